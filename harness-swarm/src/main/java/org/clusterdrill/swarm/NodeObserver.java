package org.clusterdrill.swarm;

import java.time.Duration;
import java.time.Instant;

/** The cluster's view that a node reports its faults to and reads the quorum from. */
interface NodeObserver {

    void faultInjected(NodeContainer node, String action, Instant at, Duration took);

    QuorumStatus quorum();

    /** Registers a secret value so that drill reports and logs replace it with a placeholder. */
    void secretWritten(String value);
}
