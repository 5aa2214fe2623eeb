package org.clusterdrill.k8s;

import java.util.ArrayList;
import java.util.List;

/**
 * One etcd member as a snapshot save or restore addresses it.
 *
 * @param name the member's name ({@code --name}); kubeadm uses the node name
 * @param peerUrl the member's peer URL ({@code --initial-advertise-peer-urls})
 * @param clientUrl the URL that {@code etcdctl} connects to from inside the member's container
 * @param dataDir the member's data directory
 * @param tls client certificate files for {@code etcdctl}, or null for plain HTTP
 */
record EtcdMember(String name, String peerUrl, String clientUrl, String dataDir, Tls tls) {

    /**
     * Paths of the CA bundle, client certificate and key, as seen by {@code etcdctl}.
     */
    record Tls(String caFile, String certFile, String keyFile) {
    }

    /** Returns the flags that connect {@code etcdctl} to this member. */
    List<String> clientFlags() {
        List<String> flags = new ArrayList<>(List.of("--endpoints=" + clientUrl));
        if (tls != null) {
            flags.add("--cacert=" + tls.caFile());
            flags.add("--cert=" + tls.certFile());
            flags.add("--key=" + tls.keyFile());
        }
        return flags;
    }

    /** Returns the {@code --initial-cluster} value for a cluster of these members. */
    static String initialCluster(List<EtcdMember> members) {
        return String.join(",", members.stream().map(member -> member.name() + "=" + member.peerUrl()).toList());
    }
}
