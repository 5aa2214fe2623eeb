package org.clusterdrill.swarm;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * A backup of a swarm's Raft state: an archive of {@code /var/lib/docker/swarm} taken from a
 * stopped manager, and a JSON metadata file beside it.
 *
 * @param archive the tar archive; readable by its owner only
 * @param metadata the JSON file with the fields below; readable by its owner only
 * @param sha256 the archive's SHA-256, checked again before a restore
 * @param clusterId the id of the swarm the archive belongs to
 * @param sourceNode the name of the manager the archive was taken from
 * @param engineVersion that manager's engine version
 * @param createdAt when the archive was taken
 * @param topology every node of the swarm at backup time, managers first
 * @param unlockKeyFile for an autolocked swarm, the file that holds its unlock key, apart from the
 *        archive and readable by its owner only; {@code null} when the swarm was not autolocked. An
 *        operator may move the file to a password manager; {@link Swarm#restore(SwarmBackup, String)}
 *        then takes the key directly
 */
public record SwarmBackup(Path archive, Path metadata, String sha256, String clusterId, String sourceNode,
                          String engineVersion, Instant createdAt, List<NodeSlot> topology, Path unlockKeyFile) {

    public SwarmBackup {
        topology = List.copyOf(topology);
    }

    /** A backup of a swarm that was not autolocked. */
    public SwarmBackup(Path archive, Path metadata, String sha256, String clusterId, String sourceNode,
                       String engineVersion, Instant createdAt, List<NodeSlot> topology) {
        this(archive, metadata, sha256, clusterId, sourceNode, engineVersion, createdAt, topology, null);
    }

    /** Tells whether the swarm was autolocked, so that a restore needs its unlock key. */
    public boolean autolocked() {
        return unlockKeyFile != null;
    }

    @Override
    public String toString() {
        return "SwarmBackup[" + archive + ", swarm " + clusterId + " from " + sourceNode + " at " + createdAt
                + (autolocked() ? ", autolocked, key in " + unlockKeyFile.getFileName() : "") + "]";
    }

    /**
     * Reads a backup from the metadata file written beside its archive, for example to restore a
     * backup kept from an earlier run.
     *
     * @throws IllegalArgumentException when the file is missing, empty, not valid JSON or lacks a field
     */
    public static SwarmBackup read(Path metadata) {
        return SwarmBackups.readMetadata(metadata);
    }

    /** Deletes the archive, its metadata file and its unlock key file, for example when a long run keeps only the newest backup. */
    public void delete() {
        try {
            java.nio.file.Files.deleteIfExists(archive);
            java.nio.file.Files.deleteIfExists(metadata);
            if (unlockKeyFile != null) {
                java.nio.file.Files.deleteIfExists(unlockKeyFile);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("Could not delete backup " + archive, e);
        }
    }

    /** Returns how many managers the swarm had at backup time. */
    public long managerCount() {
        return topology.stream().filter(slot -> slot.role() == SwarmNode.Role.MANAGER).count();
    }

    /** Returns the slot of the node the archive was taken from. */
    public NodeSlot source() {
        return topology.stream().filter(slot -> slot.name().equals(sourceNode)).findFirst()
                .orElseThrow(() -> new IllegalStateException("Backup " + archive + " names source node '" + sourceNode
                        + "', which is not in its topology " + topology));
    }

    /**
     * A node's place in the topology.
     *
     * @param name the node's name and host name
     * @param role manager or worker
     * @param address its IP address on the cluster network
     */
    public record NodeSlot(String name, SwarmNode.Role role, String address) {
    }
}
