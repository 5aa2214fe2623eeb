package org.clusterdrill.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a backup from its metadata file rejects bad files with the path and the fix. */
class BackupMetadataTest {

    @Test
    void missingFileIsNamed(@TempDir Path folder) {
        Path missing = folder.resolve("swarm-abc.tar.json");

        assertThatThrownBy(() -> SwarmBackup.read(missing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Backup metadata " + missing + " does not exist; pass the .json file written beside the backup archive");
    }

    @Test
    void emptyFileIsRejected(@TempDir Path folder) throws Exception {
        Path empty = Files.createFile(folder.resolve("empty.json"));

        assertThatThrownBy(() -> SwarmBackup.read(empty)).hasMessage("Backup metadata " + empty + " is empty");
    }

    @Test
    void invalidJsonIsRejected(@TempDir Path folder) throws Exception {
        Path broken = Files.writeString(folder.resolve("broken.json"), "{\"archive\": ");

        assertThatThrownBy(() -> SwarmBackup.read(broken)).hasMessageStartingWith("Backup metadata " + broken + " is not valid JSON: ");
    }

    @Test
    void missingFieldIsNamed(@TempDir Path folder) throws Exception {
        Path partial = Files.writeString(folder.resolve("partial.json"), "{\"archive\": \"a.tar\", \"topology\": []}");

        assertThatThrownBy(() -> SwarmBackup.read(partial)).hasMessage("Backup metadata " + partial
                + " lacks the field 'sha256'; it was not written by Cluster Drill or was edited");
    }

    @Test
    void completeFileIsRead(@TempDir Path folder) throws Exception {
        Path metadata = Files.writeString(folder.resolve("swarm.tar.json"), """
                {"archive": "swarm.tar", "sha256": "ab", "clusterId": "c1", "sourceNode": "manager-2",
                 "engineVersion": "20.10.24", "createdAt": "2026-12-04T20:00:00Z",
                 "topology": [{"name": "manager-1", "role": "manager", "address": "10.1.0.11"},
                              {"name": "manager-2", "role": "manager", "address": "10.1.0.12"},
                              {"name": "worker-1", "role": "worker", "address": "10.1.0.101"}]}
                """);

        SwarmBackup backup = SwarmBackup.read(metadata);

        assertThat(backup.archive()).isEqualTo(folder.resolve("swarm.tar"));
        assertThat(backup.managerCount()).isEqualTo(2);
        assertThat(backup.source().address()).isEqualTo("10.1.0.12");
        assertThat(backup.topology()).extracting(SwarmBackup.NodeSlot::role)
                .containsExactly(SwarmNode.Role.MANAGER, SwarmNode.Role.MANAGER, SwarmNode.Role.WORKER);
    }

    @Test
    void oldEngineIsRejected() {
        assertThatThrownBy(() -> OuterEngine.requireSupportedVersion("19.03.15", java.net.URI.create("tcp://10.0.0.5:2376")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("The Docker engine at tcp://10.0.0.5:2376 runs version 19.03.15, which is too old: Cluster Drill "
                        + "needs 20.10 or newer. Upgrade Docker, or point DOCKER_HOST at a newer engine.");
    }

    @Test
    void socketTransportNeedsLocalEngine() {
        assertThatThrownBy(() -> SwarmClusterExtension.requireTransportFits(Transport.SOCKET, false,
                java.net.URI.create("tcp://10.0.0.5:2376")))
                .isInstanceOf(org.junit.jupiter.api.extension.ExtensionConfigurationException.class)
                .hasMessage("Invalid transport = socket for the engine at tcp://10.0.0.5:2376: a socket in a host folder "
                        + "only reaches the JVM when the engine runs on this machine and is reached through a unix socket; "
                        + "use transport tcp or auto");
    }

    @Test
    void engineVersionsAreCompared() {
        assertThat(OuterEngine.isAtLeast("20.10.24+dfsg1", OuterEngine.MINIMUM_VERSION)).isTrue();
        assertThat(OuterEngine.isAtLeast("27.5.1", OuterEngine.MINIMUM_VERSION)).isTrue();
        assertThat(OuterEngine.isAtLeast("20.9.0", OuterEngine.MINIMUM_VERSION)).isFalse();
        assertThat(OuterEngine.isAtLeast("19.03.15", OuterEngine.MINIMUM_VERSION)).isFalse();
    }
}
