package org.clusterdrill.swarm;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.SwarmNode;
import com.github.dockerjava.api.model.SwarmNodeRole;
import com.github.dockerjava.api.model.SwarmSpec;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operators' backup and restore procedures for a swarm's Raft state.
 *
 * <p>Backup: stop the engine of a manager, archive {@code /var/lib/docker/swarm}, start the engine
 * again, verify the archive and write its metadata beside it. Restore: a fresh node with the
 * archive extracted into {@code /var/lib/docker}, {@code swarm init --force-new-cluster}, stale
 * node entries removed, managers and workers added back.
 */
final class SwarmBackups {

    private static final Logger LOG = LoggerFactory.getLogger(SwarmBackups.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);

    /** Entries that every manager's swarm state has; a backup without them cannot restore. */
    private static final List<String> REQUIRED_ENTRIES = List.of(
            "swarm/state.json", "swarm/docker-state.json", "swarm/raft/", "swarm/certificates/swarm-node.crt",
            "swarm/certificates/swarm-node.key", "swarm/certificates/swarm-root-ca.crt");

    private final DockerSwarm swarm;
    private final OuterEngine outer;
    private final Path directory;

    SwarmBackups(DockerSwarm swarm, OuterEngine outer, Path directory) {
        this.swarm = swarm;
        this.outer = outer;
        this.directory = directory;
    }

    SwarmBackup backup(NodeContainer source, List<SwarmBackup.NodeSlot> topology) throws IOException {
        String clusterId = source.docker().inspectSwarmCmd().exec().getId();
        String engineVersion = source.docker().versionCmd().exec().getVersion();
        Instant createdAt = Instant.now();
        Path archive = ownerOnlyFile("swarm-" + clusterId.substring(0, Math.min(12, clusterId.length())) + "-"
                + FILE_TIME.format(createdAt) + ".tar");

        java.util.Optional<String> unlockKey = swarm.unlockKey();
        long stopped = System.nanoTime();
        source.stopEngine(false);
        String sha256;
        source.explain("host", () -> "docker cp " + source.containerName() + ":/var/lib/docker/swarm - > " + archive
                + " && sha256sum " + archive);
        try (InputStream tar = outer.copyFrom(source.containerId(), "/var/lib/docker/swarm")) {
            sha256 = copyWithSha256(tar, archive);
        } finally {
            source.startEngine(false);
        }
        if (unlockKey.isPresent()) {
            // The swarm is autolocked, so the restarted manager waits for its key.
            source.unlock(unlockKey.get());
        }
        LOG.info("Archived the swarm state of {} in {} ms; engine running again", source.name(),
                (System.nanoTime() - stopped) / 1_000_000);

        verifyListing(archive);
        Path keyFile = null;
        if (unlockKey.isPresent()) {
            keyFile = ownerOnlyFile(archive.getFileName() + ".unlock-key");
            Files.writeString(keyFile, unlockKey.get() + "\n");
        }
        SwarmBackup backup = new SwarmBackup(archive, Path.of(archive + ".json"), sha256, clusterId, source.name(),
                engineVersion, createdAt, topology, keyFile);
        writeMetadata(backup);
        swarm.awaitNodesReady(source);
        LOG.info("Backup of swarm {} from {}: {} ({} bytes, sha256 {})", clusterId, source.name(), archive,
                Files.size(archive), sha256);
        return backup;
    }

    /** Checks that the archive exists, is unchanged since the backup and contains a manager's state. */
    void verify(SwarmBackup backup) {
        Path archive = backup.archive();
        if (!Files.isRegularFile(archive)) {
            throw new IllegalArgumentException("Backup archive " + archive + " does not exist or is not a file");
        }
        try {
            if (Files.size(archive) == 0) {
                throw new IllegalArgumentException("Backup archive " + archive + " is empty");
            }
            String actual = sha256(archive);
            if (!actual.equals(backup.sha256())) {
                throw new IllegalArgumentException("Backup archive " + archive + " has SHA-256 " + actual + " but its metadata "
                        + "records " + backup.sha256() + ": the file was changed or truncated after the backup");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("Backup archive " + archive + " cannot be read: " + e.getMessage(), e);
        }
        verifyListing(archive);
    }

    /** Checks that the archive is a readable tar archive with every required entry. */
    static void verifyListing(Path archive) {
        Set<String> entries = new HashSet<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new BufferedInputStream(Files.newInputStream(archive)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                entries.add(entry.getName());
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("Backup archive " + archive + " is not a readable tar archive: " + e.getMessage(), e);
        }
        List<String> missing = new ArrayList<>();
        for (String required : REQUIRED_ENTRIES) {
            boolean present = required.endsWith("/")
                    ? entries.stream().anyMatch(name -> name.startsWith(required) && !name.equals(required))
                    : entries.contains(required);
            if (!present) {
                missing.add(required);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("Backup archive " + archive + " lacks " + missing
                    + "; it does not hold a swarm manager's state (entries found: " + entries.size() + ")");
        }
    }

    void restore(SwarmBackup backup, NodeLauncher launcher, java.util.function.UnaryOperator<SwarmBackup.NodeSlot> relocate,
                 String givenUnlockKey) throws IOException {
        String unlockKey = givenUnlockKey == null && backup.autolocked() ? readUnlockKey(backup) : givenUnlockKey;
        boolean locked = checkUnlockKey(backup, unlockKey);
        SwarmBackup.NodeSlot sourceSlot = relocate.apply(backup.source());
        // The node starts empty once so the workload image is loaded before any task of the restored
        // state can be scheduled. A task that finds no image fails and may stay pending for minutes.
        NodeContainer first = launcher.launch(sourceSlot);
        swarm.adopt(first);
        first.stopEngine(false);
        first.explain("host", () -> "sha256sum " + backup.archive() + " && docker cp - " + first.containerName()
                + ":/var/lib/docker < " + backup.archive());
        try (InputStream archive = new BufferedInputStream(Files.newInputStream(backup.archive()))) {
            outer.copyInto(first.containerId(), archive, "/var/lib/docker");
        }
        if (locked) {
            first.openLockedStateOffline(unlockKey);
        }
        long start = System.nanoTime();
        first.startEngine(false);
        LOG.info("Restored engine on {} responded after {} ms", first.name(), (System.nanoTime() - start) / 1_000_000);

        if (!locked) {
            first.explain(first.name(), () -> "docker swarm init --force-new-cluster --advertise-addr " + first.address()
                    + " --listen-addr 0.0.0.0:2377");
            first.docker().initializeSwarmCmd(new SwarmSpec()).withForceNewCluster(true)
                    .withAdvertiseAddr(first.address()).withListenAddr("0.0.0.0:2377").exec();
        } else {
            first.forceNewAutolockedCluster();
        }
        removeStaleNodes(first, Set.of());

        List<SwarmBackup.NodeSlot> others = backup.topology().stream().map(relocate)
                .filter(slot -> !slot.name().equals(sourceSlot.name())).toList();
        String oldAddress = backup.source().address();
        boolean moved = !oldAddress.equals(first.address());
        if (moved) {
            // Docker 20.10 keeps the backup's address as the restored manager's Raft address, even
            // with --force-new-cluster --advertise-addr, so joining managers would dial the old one.
            // The node answers on the old address too until it is demoted and promoted again.
            swarm.addAddressAlias(first, oldAddress);
        }
        swarm.launchAndJoin(others, first);
        if (moved) {
            swarm.reseatManager(first, oldAddress);
        }
        swarm.verifySingleCluster();
        if (locked) {
            swarm.rotateUnlockKey(first);
        }
        LOG.info("Swarm {} restored from {} onto {} nodes", backup.clusterId(), backup.archive().getFileName(),
                backup.topology().size());
    }

    private static String readUnlockKey(SwarmBackup backup) {
        Path file = backup.unlockKeyFile();
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("Backup " + backup.archive() + " is of an autolocked swarm, and its unlock key "
                    + "file " + file + " does not exist. Pass the key with restore(backup, unlockKey)");
        }
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new IllegalArgumentException("Unlock key file " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * Tells whether the backup's manager key is locked, and checks that the unlock key opens it.
     * Runs before any node starts, so a wrong key changes nothing.
     */
    private static boolean checkUnlockKey(SwarmBackup backup, String unlockKey) throws IOException {
        String nodeKey = readEntry(backup.archive(), NODE_KEY);
        if (!LockedManagerKey.isLocked(nodeKey)) {
            if (unlockKey != null && !backup.autolocked()) {
                LOG.warn("Backup {} is of a swarm that was not autolocked; the unlock key given is not used",
                        backup.archive().getFileName());
            }
            return false;
        }
        if (unlockKey == null) {
            throw new IllegalArgumentException("Backup " + backup.archive() + " is of an autolocked swarm, but its metadata "
                    + "names no unlock key file. Pass the key with restore(backup, unlockKey)");
        }
        try {
            LockedManagerKey.unlock(nodeKey, unlockKey);
            return true;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Cannot restore backup " + backup.archive() + ": " + e.getMessage()
                    + ". No node was started and the archive is unchanged.", e);
        }
    }

    private static final String NODE_KEY = "swarm/certificates/swarm-node.key";

    static String readEntry(Path archive, String name) throws IOException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new BufferedInputStream(Files.newInputStream(archive)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (entry.getName().equals(name)) {
                    return new String(tar.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
                }
            }
        }
        throw new IllegalArgumentException("Backup archive " + archive + " lacks " + name);
    }

    /**
     * Demotes and removes every node entry except this manager's and those of the named nodes,
     * because the nodes behind them are gone.
     */
    static void removeStaleNodes(NodeContainer manager, Set<String> keptHostnames) {
        DockerClient docker = manager.docker();
        String self = docker.infoCmd().exec().getSwarm().getNodeID();
        for (SwarmNode node : docker.listSwarmNodesCmd().exec()) {
            if (node.getId().equals(self) || keptHostnames.contains(node.getDescription().getHostname())) {
                continue;
            }
            manager.explain(manager.name(), () -> (node.getSpec().getRole() == SwarmNodeRole.MANAGER
                    ? "docker node demote " + node.getId() + " ; " : "") + "docker node rm --force " + node.getId()
                    + "   # stale entry of " + node.getDescription().getHostname());
            if (node.getSpec().getRole() == SwarmNodeRole.MANAGER) {
                try {
                    docker.updateSwarmNodeCmd().withSwarmNodeId(node.getId()).withVersion(node.getVersion().getIndex())
                            .withSwarmNodeSpec(node.getSpec().withRole(SwarmNodeRole.WORKER)).exec();
                } catch (NotFoundException e) {
                    // --force-new-cluster already dropped the node from the Raft member list, which the
                    // engine reports as "can't find manager in raft memberlist"; removal still works.
                    LOG.debug("Demoting stale manager {}: {}", node.getDescription().getHostname(), e.getMessage());
                }
            }
            docker.removeSwarmNodeCmd(node.getId()).withForce(true).exec();
            LOG.debug("Removed stale node entry {} ({})", node.getDescription().getHostname(), node.getId());
        }
    }

    private Path ownerOnlyFile(String name) throws IOException {
        Files.createDirectories(directory);
        Path file = directory.resolve(name);
        try {
            if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
                return Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            return Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
            throw new IllegalStateException("Backup file " + file + " exists already; backups never overwrite each other", e);
        }
    }

    private void writeMetadata(SwarmBackup backup) throws IOException {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("archive", backup.archive().getFileName().toString());
        metadata.put("sha256", backup.sha256());
        metadata.put("sizeBytes", Files.size(backup.archive()));
        metadata.put("clusterId", backup.clusterId());
        metadata.put("sourceNode", backup.sourceNode());
        metadata.put("engineVersion", backup.engineVersion());
        metadata.put("managerCount", backup.managerCount());
        metadata.put("createdAt", backup.createdAt().toString());
        metadata.put("autolocked", backup.autolocked());
        if (backup.autolocked()) {
            metadata.put("unlockKeyFile", backup.unlockKeyFile().getFileName().toString());
        }
        metadata.put("topology", backup.topology().stream().map(slot -> Map.of(
                "name", slot.name(), "role", slot.role().label(), "address", slot.address())).toList());
        Path file = ownerOnlyFile(backup.metadata().getFileName().toString());
        Files.writeString(file, JSON.writeValueAsString(metadata));
    }

    static SwarmBackup readMetadata(Path metadata) {
        if (!Files.isRegularFile(metadata)) {
            throw new IllegalArgumentException("Backup metadata " + metadata + " does not exist; pass the .json file "
                    + "written beside the backup archive");
        }
        com.fasterxml.jackson.databind.JsonNode json;
        try {
            if (Files.size(metadata) == 0) {
                throw new IllegalArgumentException("Backup metadata " + metadata + " is empty");
            }
            json = JSON.readTree(metadata.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("Backup metadata " + metadata + " is not valid JSON: " + e.getMessage(), e);
        }
        List<SwarmBackup.NodeSlot> topology = new ArrayList<>();
        for (com.fasterxml.jackson.databind.JsonNode slot : required(json, "topology", metadata)) {
            topology.add(new SwarmBackup.NodeSlot(required(slot, "name", metadata).asText(),
                    org.clusterdrill.swarm.SwarmNode.Role.valueOf(required(slot, "role", metadata).asText().toUpperCase(java.util.Locale.ROOT)),
                    required(slot, "address", metadata).asText()));
        }
        return new SwarmBackup(metadata.resolveSibling(required(json, "archive", metadata).asText()), metadata,
                required(json, "sha256", metadata).asText(), required(json, "clusterId", metadata).asText(),
                required(json, "sourceNode", metadata).asText(), required(json, "engineVersion", metadata).asText(),
                Instant.parse(required(json, "createdAt", metadata).asText()), topology,
                json.hasNonNull("unlockKeyFile") ? metadata.resolveSibling(json.get("unlockKeyFile").asText()) : null);
    }

    private static com.fasterxml.jackson.databind.JsonNode required(com.fasterxml.jackson.databind.JsonNode json, String field,
                                                                   Path metadata) {
        com.fasterxml.jackson.databind.JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("Backup metadata " + metadata + " lacks the field '" + field
                    + "'; it was not written by Cluster Drill or was edited");
        }
        return value;
    }

    private static String copyWithSha256(InputStream in, Path target) throws IOException {
        MessageDigest digest = sha256Digest();
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(target), digest)) {
            in.transferTo(out);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest = sha256Digest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            int read;
            while ((read = in.read(buffer)) > 0) {
                digest.update(buffer, 0, read);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
