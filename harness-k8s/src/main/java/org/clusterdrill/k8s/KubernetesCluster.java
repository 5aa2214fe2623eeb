package org.clusterdrill.k8s;

import java.nio.file.Path;
import java.util.List;

import io.fabric8.kubernetes.client.KubernetesClient;
import org.clusterdrill.core.ClusterState;

/**
 * A running kind cluster, injected by {@link KindCluster}.
 *
 * <p>A drill runs {@link #captureState()}, takes a backup ({@link #backupEtcd()} or
 * {@link #exportApi()}), {@link #destroy()}s the cluster, restores it and compares the states.
 * Backup, destroy and restore record their phases in the current test's drill.
 */
public interface KubernetesCluster {

    /** Returns the kind cluster name, which also prefixes every node container's name. */
    String name();

    /** Returns a client for the cluster; after a restore, a new one. */
    KubernetesClient client();

    /** Returns the kubeconfig file of the cluster, readable by its owner only. */
    Path kubeconfig();

    /** Returns the names of the control-plane node containers. */
    List<String> controlPlanes();

    /** Returns the names of the worker node containers. */
    List<String> workers();

    /** Captures the state of the objects in {@link KubernetesScope#defaults()}. */
    ClusterState captureState();

    /**
     * Saves an etcd snapshot on the first control plane with {@code etcdctl snapshot save},
     * copies it out with its SHA-256, and keeps {@code /etc/kubernetes/pki} and the API server's
     * encryption configuration, if it has one.
     */
    EtcdBackup backupEtcd();

    /** Exports the objects in {@link KubernetesScope#defaults()} as YAML. */
    ApiExport exportApi();

    /** Deletes the kind cluster with every node. */
    void destroy();

    /**
     * Creates the cluster again with the backup's certificate authorities, restores the etcd
     * snapshot on every control plane, restarts the control plane and the kubelets and waits
     * until nodes and workloads are ready.
     *
     * @throws IllegalStateException when the cluster still exists
     */
    EtcdRestoreResult restore(EtcdBackup backup);

    /**
     * Creates the cluster again when it was destroyed, applies the export with the given policy
     * and waits until workloads are ready.
     */
    ApiRestoreReport restore(ApiExport export, ExistingObjectPolicy policy);

    /** Waits until every Deployment and StatefulSet in scope has its desired ready replicas. */
    void awaitWorkloadsReady();
}
