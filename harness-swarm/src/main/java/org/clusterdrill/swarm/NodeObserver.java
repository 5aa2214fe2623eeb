package org.clusterdrill.swarm;

import java.time.Duration;
import java.time.Instant;

/** The cluster's view that a node reports its faults to and reads the quorum from. */
interface NodeObserver {

    /** Records a change of a node: a fault the test injected, or a step of a backup or restore when {@code fault} is false. */
    void nodeChanged(NodeContainer node, String action, Instant at, Duration took, boolean fault);

    QuorumStatus quorum();

    /** Registers a secret value so that drill reports and logs replace it with a placeholder. */
    void secretWritten(String value);

    /**
     * Logs, in explain mode, the docker command a person would type for an action of the harness.
     *
     * @param where {@code "host"} for the outer engine, or the name of the node whose engine runs it
     */
    void explain(String where, String command);

    /** Tells whether explain mode is on, so callers build command lines only when they are logged. */
    boolean explaining();
}
