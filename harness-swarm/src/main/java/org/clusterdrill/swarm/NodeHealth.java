package org.clusterdrill.swarm;

/** The state a node is in after the faults the harness injected into it. */
enum NodeHealth {
    RUNNING, STOPPED, KILLED, PAUSED, DISCONNECTED;

    /** Tells whether the node's engine runs and is connected, so it can take part in Raft. */
    boolean reachable() {
        return this == RUNNING;
    }
}
