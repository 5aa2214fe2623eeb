package org.clusterdrill.swarm;

/** Connection that the JVM uses to reach each inner engine. */
public enum Transport {
    /** A unix socket where the outer engine is reached through a unix socket, else TCP. */
    AUTO,
    /** The inner engine's unix socket in a host folder bind-mounted into the node. */
    SOCKET,
    /** The inner engine's plain TCP port 2375, published on 127.0.0.1 only. */
    TCP
}
