package org.clusterdrill.swarm;

/** Privileges that a node container gets to run a Docker engine inside it. */
public enum NodeMode {
    /**
     * Privileged where the outer engine allows it; otherwise {@link #CAPABILITIES}. The choice is
     * made once per JVM and logged.
     */
    AUTO,
    /** {@code --privileged}, as the official docker-in-docker image documents. */
    PRIVILEGED,
    /**
     * For engines that refuse privileged containers: every capability the engine accepts except
     * {@code SYS_RESOURCE}, seccomp and AppArmor unconfined, {@code /sys/fs/cgroup} bind-mounted
     * read-write and a cgroup parent per node.
     */
    CAPABILITIES
}
