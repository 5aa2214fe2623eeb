package org.clusterdrill.k8s;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * An etcd backup of a kind cluster: the snapshot, the control plane's certificates and the API
 * server's encryption configuration. All files are readable by their owner only.
 *
 * @param directory the folder that contains the files below
 * @param snapshot the etcd snapshot with its checksum
 * @param pki a copy of {@code /etc/kubernetes/pki} from the control plane
 * @param encryptionConfig the file named by {@code --encryption-provider-config}, if the API server has one
 * @param encryptionConfigNodePath where that file lives on the control plane, if it exists
 * @param controlPlanes names of the control-plane nodes at backup time
 * @param workers names of the worker nodes at backup time
 */
public record EtcdBackup(Path directory, EtcdSnapshot snapshot, Path pki, Optional<Path> encryptionConfig,
                         Optional<String> encryptionConfigNodePath, List<String> controlPlanes, List<String> workers) {

    public EtcdBackup {
        controlPlanes = List.copyOf(controlPlanes);
        workers = List.copyOf(workers);
    }
}
