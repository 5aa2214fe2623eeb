package org.clusterdrill.swarm;

/**
 * Thrown when a change to a swarm fails because too few managers are reachable to form a Raft
 * quorum. Recover with {@link Swarm#recoverQuorum()}, which forces a new cluster on a survivor.
 */
public class QuorumLostException extends IllegalStateException {

    private final transient QuorumStatus status;

    public QuorumLostException(QuorumStatus status, Throwable engineError) {
        super(status.describe(), engineError);
        this.status = status;
    }

    public QuorumStatus status() {
        return status;
    }
}
