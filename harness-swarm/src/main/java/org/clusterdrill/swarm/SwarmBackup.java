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
 */
public record SwarmBackup(Path archive, Path metadata, String sha256, String clusterId, String sourceNode,
                          String engineVersion, Instant createdAt, List<NodeSlot> topology) {

    public SwarmBackup {
        topology = List.copyOf(topology);
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

    /** Deletes the archive and its metadata file, for example when a long run keeps only the newest backup. */
    public void delete() {
        try {
            java.nio.file.Files.deleteIfExists(archive);
            java.nio.file.Files.deleteIfExists(metadata);
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
