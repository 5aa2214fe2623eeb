package org.clusterdrill.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.clusterdrill.core.ClusterDrillAssertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicReference;

import org.clusterdrill.core.ClusterState;
import org.junit.jupiter.api.Test;

/**
 * Restores an autolocked three-manager swarm. The unlock key goes to a file of its own beside the
 * archive and never to the log. A wrong key is rejected before any node starts. After the restore
 * the swarm is autolocked with a new key, and a restarted manager opens with that key only.
 */
@SwarmCluster(managers = 3)
class AutolockRestoreTest {

    @Test
    void restoresAnAutolockedSwarmAndRotatesItsKey(Swarm swarm) {
        AtomicReference<String> firstKey = new AtomicReference<>();
        AtomicReference<String> rotatedKey = new AtomicReference<>();
        String log = CapturedStderr.during(() -> drill(swarm, firstKey, rotatedKey));

        assertThat(log).doesNotContain(firstKey.get()).doesNotContain(rotatedKey.get());
    }

    private void drill(Swarm swarm, AtomicReference<String> firstKey, AtomicReference<String> rotatedKey) {
        String key = swarm.enableAutolock();
        firstKey.set(key);
        assertThat(key).startsWith("SWMKEY-1-");
        assertThat(swarm.unlockKey()).contains(key);

        SwarmNode leader = swarm.leader();
        leader.createOverlayNetwork("appnet");
        leader.createSecret("db_password", "autolocked-secret");
        leader.createService(ServiceDefinition.named("web").replicas(2).network("appnet").secret("db_password"));
        swarm.awaitConverged();
        ClusterState before = swarm.captureState();

        SwarmBackup backup = swarm.backup();
        assertThat(backup.autolocked()).isTrue();
        assertKeyKeptApart(backup, key);

        swarm.destroy();
        byte[] otherKeyBytes = new byte[32];
        new SecureRandom().nextBytes(otherKeyBytes);
        String otherKey = "SWMKEY-1-" + Base64.getEncoder().withoutPadding().encodeToString(otherKeyBytes);
        assertThatThrownBy(() -> swarm.restore(backup, otherKey))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Cannot restore backup " + backup.archive())
                .hasMessageContaining("does not open")
                .hasMessageContaining("No node was started and the archive is unchanged")
                .message().doesNotContain(otherKey);
        assertThatThrownBy(() -> swarm.restore(backup, "db-password-by-mistake"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not start with SWMKEY-1-");
        assertThat(((DockerSwarm) swarm).containers()).isEmpty();
        assertThat(sha256(backup)).isEqualTo(backup.sha256());

        swarm.restore(backup);

        assertThat(swarm.captureState()).preserves(before);
        String newKey = swarm.unlockKey().orElseThrow();
        rotatedKey.set(newKey);
        assertThat(newKey).as("unlock key after the restore").startsWith("SWMKEY-1-").isNotEqualTo(key);

        SwarmNode follower = swarm.managers().stream().filter(m -> !m.name().equals(swarm.leader().name())).findFirst()
                .orElseThrow();
        follower.stopEngine();
        follower.startEngine();
        assertThat(localState(follower)).isEqualTo("locked");
        assertThatThrownBy(() -> follower.unlock(key))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rejected the unlock key");
        follower.unlock(newKey);
        assertThat(localState(follower)).isEqualTo("active");
        assertThat(swarm.quorum().reachableManagers()).isEqualTo(3);
    }

    private static void assertKeyKeptApart(SwarmBackup backup, String key) {
        try {
            assertThat(backup.unlockKeyFile()).isNotEqualTo(backup.archive()).hasParent(backup.archive().getParent());
            assertThat(Files.readString(backup.unlockKeyFile()).trim()).isEqualTo(key);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(backup.unlockKeyFile()))).isEqualTo("rw-------");
            assertThat(Files.readString(backup.metadata())).contains(backup.unlockKeyFile().getFileName().toString())
                    .doesNotContain(key);
            byte[] archive = Files.readAllBytes(backup.archive());
            assertThat(new String(archive, StandardCharsets.ISO_8859_1)).as("archive").doesNotContain(key);
            assertThat(SwarmBackup.read(backup.metadata()).unlockKeyFile()).isEqualTo(backup.unlockKeyFile());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String localState(SwarmNode node) {
        return node.exec("docker", "info", "--format", "{{.Swarm.LocalNodeState}}").stdout().trim();
    }

    private static String sha256(SwarmBackup backup) {
        try {
            return SwarmBackups.sha256(backup.archive());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
