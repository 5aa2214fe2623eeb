package org.clusterdrill.swarm;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.clusterdrill.core.DrillExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Starts a real Docker Swarm in docker-in-docker containers for the annotated test class and
 * removes it after the class, also when tests fail.
 *
 * <p>The cluster is injected as a {@link Swarm} parameter into test methods, constructors and
 * lifecycle methods; a {@link org.clusterdrill.core.Drill} parameter gives the test's drill
 * timeline. Every attribute left at its default may be set for a whole run with the system
 * property or environment variable named in its description.
 *
 * <pre>{@code
 * @SwarmCluster(managers = 3)
 * class RecoveryTest {
 *     @Test
 *     void survivesLossOfEveryManager(Swarm swarm) { ... }
 * }
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith({DrillExtension.class, SwarmClusterExtension.class})
public @interface SwarmCluster {

    /** Number of manager nodes; at least 1. Default: 3. */
    int managers() default 3;

    /** Number of worker nodes; at least 0. Default: 0. */
    int workers() default 0;

    /**
     * Image of every node, a docker-in-docker image with the official {@code docker:dind} entrypoint
     * contract. Empty means the system property {@code clusterdrill.node.image}, then the
     * environment variable {@code CLUSTERDRILL_NODE_IMAGE}, then {@value SwarmSettings#DEFAULT_NODE_IMAGE}.
     */
    String nodeImage() default "";

    /**
     * Image that services use unless they name another; it is loaded into every node, so nodes
     * never pull it. Empty means {@code clusterdrill.workload.image}, then
     * {@code CLUSTERDRILL_WORKLOAD_IMAGE}, then {@value SwarmSettings#DEFAULT_WORKLOAD_IMAGE}.
     */
    String workloadImage() default "";

    /**
     * Privileges that node containers get to run an engine. Default {@link NodeMode#AUTO}, or the
     * system property {@code clusterdrill.node.mode} / environment variable
     * {@code CLUSTERDRILL_NODE_MODE}.
     */
    NodeMode nodeMode() default NodeMode.AUTO;

    /**
     * Maximum seconds to wait for each step: an engine to respond, nodes to be Ready, services to
     * converge. Default: 120, or {@code clusterdrill.timeout.seconds}. A restored manager alone
     * needs about 20 s before its engine responds.
     */
    int timeoutSeconds() default 0;

    /**
     * Connection to each inner engine: a unix socket in a bind-mounted host folder, or the engine's
     * TCP port published on 127.0.0.1 only. Default {@code AUTO}: the socket when the outer
     * engine is local, or the system property {@code clusterdrill.transport}.
     */
    Transport transport() default Transport.AUTO;

    /**
     * Explain mode for teaching labs: before each action the harness logs the docker command a person
     * could type on the host or on that node to do the same, so a drill can be replayed by hand. Secret
     * values and join tokens are replaced by placeholders. Default false, or {@code clusterdrill.explain}.
     */
    boolean explain() default false;

    /**
     * Shares one cluster among every class of the run that requests the same topology, images and
     * node setup, so suites of small drills pay the start once. Before each further class the cluster
     * is reset: every service, secret, config and swarm network except ingress is removed. A cluster
     * with a stopped, paused or disconnected node, or a different node count, is replaced by a new one.
     * The shared cluster is removed when the run ends, and keep-on-failure does not apply to it.
     * Default false, or {@code clusterdrill.reuse}.
     */
    boolean reuse() default false;
}
