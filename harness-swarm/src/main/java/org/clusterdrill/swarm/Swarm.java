package org.clusterdrill.swarm;

import java.util.List;

import org.clusterdrill.core.ClusterState;

/**
 * A running Docker Swarm of docker-in-docker nodes, injected by {@link SwarmCluster}.
 *
 * <p>A drill runs {@link #captureState()}, {@link #backup()}, {@link #destroy()},
 * {@link #restore(SwarmBackup)} and compares the states; backup, destroy and restore record their
 * phases in the current test's drill.
 */
public interface Swarm {

    /** Returns the id that labels every container, network and volume of this cluster. */
    String runId();

    /** Returns the image that services run by default; every node has it loaded. */
    String workloadImage();

    /** Returns the manager that currently leads the Raft group, asking the cluster each time. */
    SwarmNode leader();

    List<SwarmNode> managers();

    List<SwarmNode> workers();

    /** Returns every node, managers first. */
    List<SwarmNode> nodes();

    /** Returns the node with the given name, such as {@code manager-2}. */
    SwarmNode node(String name);

    /**
     * Captures networks, services, secrets (by a SHA-256 that a task computes, never the value),
     * configs and nodes, for comparison with {@code assertThat(after).preserves(before)}.
     */
    ClusterState captureState();

    /**
     * Backs the swarm up the way operators do, from a manager that is not the leader, because
     * stopping the leader forces an election. On a single-manager swarm the leader is used.
     */
    SwarmBackup backup();

    /** Backs the swarm up from the given manager, which may be the leader. */
    SwarmBackup backup(SwarmNode source);

    /** Removes every node with its state: containers and volumes. The cluster network stays. */
    void destroy();

    /**
     * Restores a destroyed swarm from a backup onto fresh nodes with the original names and
     * addresses, forces a new cluster, removes stale node entries, adds managers and workers up to
     * the original topology and waits until every service has converged.
     *
     * @throws IllegalStateException when nodes of this cluster are still running
     */
    void restore(SwarmBackup backup);

    /**
     * Restores a backup of an autolocked swarm with an unlock key given here, for example one kept
     * in a password manager instead of the key file beside the archive. The key is checked against
     * the archive before any node starts, so a wrong key changes nothing. After the restore the
     * swarm is autolocked with a new key, which {@link #unlockKey()} returns.
     *
     * @throws IllegalArgumentException when the key is malformed or does not open the backup
     */
    void restore(SwarmBackup backup, String unlockKey);

    /**
     * Restores like {@link #restore(SwarmBackup)}, but onto nodes whose addresses differ from the
     * backup's, as when a swarm is rebuilt on new machines.
     */
    void restoreOnNewAddresses(SwarmBackup backup);

    /**
     * Turns autolock on, as {@code docker swarm update --autolock=true} does: managers keep their
     * TLS and Raft keys encrypted at rest, and a manager whose engine restarts stays locked until
     * {@link SwarmNode#unlock(String)}. A backup then writes the unlock key to a file of its own,
     * and a restore unlocks with it and rotates the key.
     *
     * @return the unlock key; drill reports and logs show it redacted
     */
    String enableAutolock();

    /** Returns the swarm's current unlock key, or empty when autolock is off. */
    java.util.Optional<String> unlockKey();

    /** Waits until every service runs its desired number of tasks. */
    void awaitConverged();

    /** Waits until a reachable manager leads the swarm, for example after the leader was stopped. */
    SwarmNode awaitLeader();

    /** Returns the faults injected so far, oldest first. */
    List<Fault> faults();

    /** Counts the reachable managers against the quorum of {@code managers / 2 + 1}. */
    QuorumStatus quorum();

    /** Kills the leader's engine with SIGKILL and returns the node. */
    SwarmNode killLeader();

    /**
     * Stops the engines of {@code count} managers at once: the leader, which forces an election,
     * and then followers. Returns the stopped nodes.
     */
    List<SwarmNode> stopManagers(int count);

    /** Stops as many managers as it takes to lose the quorum, the leader among them. */
    List<SwarmNode> loseQuorum();

    /**
     * Recovers from a lost quorum the way operators do: {@code swarm init --force-new-cluster} on a
     * reachable manager, stale node entries removed, and the other managers replaced by fresh
     * nodes with their names and addresses. Waits until every service has converged.
     */
    void recoverQuorum();
}
