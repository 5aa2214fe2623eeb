package org.clusterdrill.k8s;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.clusterdrill.core.DrillExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Starts a real Kubernetes cluster with kind for the annotated test class and deletes it after
 * the class, also when tests fail.
 *
 * <p>The cluster is injected as a {@link KubernetesCluster} parameter, which gives a fabric8
 * {@code KubernetesClient}, the kubeconfig, state capture, etcd and API backups, destroy and
 * restore; a {@link org.clusterdrill.core.Drill} parameter gives the test's drill timeline.
 *
 * <p>The harness runs the {@code kind} CLI with a generated configuration instead of starting
 * node containers itself, because kind's node bootstrap (containerd inside the node, kubeadm
 * init and join, the CNI and storage add-ons) lives in that CLI and changes with each kind
 * release. The {@code kind} binary must be on {@code PATH} and the node image must already be
 * in the Docker engine; otherwise the class fails before anything starts, naming what is missing.
 * Mark classes that should be skipped on such machines with {@link EnabledIfKindAvailable}.
 *
 * <pre>{@code
 * @KindCluster(controlPlanes = 1, workers = 1)
 * @EnabledIfKindAvailable
 * class RecoveryTest {
 *     @Test
 *     void survivesLossOfEtcd(KubernetesCluster cluster) { ... }
 * }
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith({DrillExtension.class, KindClusterExtension.class})
public @interface KindCluster {

    /** Number of control-plane nodes; at least 1. Default: 1. */
    int controlPlanes() default 1;

    /** Number of worker nodes; at least 0. Default: 0. */
    int workers() default 0;

    /**
     * kind node image, which must match the kind release. Empty means the system property
     * {@code clusterdrill.kind.node.image}, then the environment variable
     * {@code CLUSTERDRILL_KIND_NODE_IMAGE}, then {@value KindSettings#DEFAULT_NODE_IMAGE}.
     */
    String nodeImage() default "";

    /**
     * Maximum seconds to wait for each step: cluster creation, nodes Ready, workloads ready.
     * Default: 300, or the system property {@code clusterdrill.timeout.seconds}.
     */
    int timeoutSeconds() default 0;
}
