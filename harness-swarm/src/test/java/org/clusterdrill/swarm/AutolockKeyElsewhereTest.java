package org.clusterdrill.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.clusterdrill.core.ClusterDrillAssertions.assertThat;

import java.nio.file.Files;

import org.clusterdrill.core.ClusterState;
import org.junit.jupiter.api.Test;

/**
 * An autolocked single-manager swarm, backed up from its leader, whose unlock key the operator
 * moved out of the backup folder: the restore names the missing file and takes the key directly.
 */
@SwarmCluster(managers = 1)
class AutolockKeyElsewhereTest {

    @Test
    void restoresWithAKeyKeptOutsideTheBackup(Swarm swarm) throws Exception {
        String key = swarm.enableAutolock();
        swarm.leader().createSecret("api_token", "kept-elsewhere");
        ClusterState before = swarm.captureState();

        SwarmBackup backup = swarm.backup();
        assertThat(swarm.leader().exec("docker", "info", "--format", "{{.Swarm.LocalNodeState}}").stdout().trim())
                .as("the leader after the backup restarted its engine").isEqualTo("active");
        Files.delete(backup.unlockKeyFile());
        SwarmBackup reread = SwarmBackup.read(backup.metadata());
        assertThat(reread.autolocked()).isTrue();

        swarm.destroy();
        assertThatThrownBy(() -> swarm.restore(reread))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is of an autolocked swarm, and its unlock key file " + backup.unlockKeyFile()
                        + " does not exist. Pass the key with restore(backup, unlockKey)");

        swarm.restore(reread, key);

        assertThat(swarm.captureState()).preserves(before);
        assertThat(swarm.unlockKey()).isPresent().get().isNotEqualTo(key);
    }
}
