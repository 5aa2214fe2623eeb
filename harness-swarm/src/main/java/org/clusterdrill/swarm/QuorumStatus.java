package org.clusterdrill.swarm;

/**
 * How many managers of a swarm can take part in Raft, compared with the quorum that every change
 * needs: {@code managers / 2 + 1}.
 *
 * @param reachableManagers managers whose engines run and are connected to the cluster network
 * @param managers every manager of the swarm, reachable or not
 */
public record QuorumStatus(int reachableManagers, int managers) {

    /** Returns the number of managers that must agree on every change. */
    public int needed() {
        return managers / 2 + 1;
    }

    /** Returns the number of managers the swarm can lose and still accept changes: {@code (managers - 1) / 2}. */
    public int tolerated() {
        return (managers - 1) / 2;
    }

    public boolean hasQuorum() {
        return reachableManagers >= needed();
    }

    /** Describes the status, for example {@code "no quorum: 1 of 3 managers reachable, 2 needed"}. */
    public String describe() {
        return (hasQuorum() ? "quorum" : "no quorum") + ": " + reachableManagers + " of " + managers
                + " managers reachable, " + needed() + " needed";
    }
}
