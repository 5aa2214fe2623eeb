package org.clusterdrill.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clusterdrill.core.ClusterDrillAssertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;

import org.clusterdrill.core.ClusterState;
import org.clusterdrill.core.Drill;
import org.clusterdrill.core.Phase;
import org.clusterdrill.swarm.ServiceDefinition;
import org.clusterdrill.swarm.Swarm;
import org.clusterdrill.swarm.SwarmBackup;
import org.clusterdrill.swarm.SwarmCluster;
import org.clusterdrill.swarm.SwarmNode;
import org.junit.jupiter.api.Test;

/**
 * The first lab: the operators' Swarm disaster-recovery procedure on a real three-manager swarm.
 *
 * <ol>
 *   <li>Seed: an overlay network, a secret, a config and a three-replica service that uses them.</li>
 *   <li>Back up: stop the engine of a manager that is not the leader, archive
 *       {@code /var/lib/docker/swarm}, start the engine again.</li>
 *   <li>Disaster: remove every node with its state.</li>
 *   <li>Restore: extract the archive on a fresh node, {@code docker swarm init --force-new-cluster},
 *       remove the stale node entries, add the other managers back, wait for the service.</li>
 *   <li>Verify: networks, services, secrets, configs and nodes match the state before, a canary
 *       config written before the backup survived and one written after it is gone.</li>
 * </ol>
 */
@SwarmCluster(managers = 3, explain = true)
class SwarmRecoveryLabTest {

    @Test
    void survivesLossOfEveryManager(Swarm swarm, Drill drill) throws Exception {
        drill.phase(Phase.SEED, () -> {
            SwarmNode leader = swarm.leader();
            leader.createOverlayNetwork("appnet");
            leader.createSecret("db_password", "correct horse battery staple");
            leader.createConfig("app_settings", "max_connections = 100\n");
            leader.createService(ServiceDefinition.named("web").replicas(3).network("appnet")
                    .secret("db_password").config("app_settings", "/etc/app/settings.conf").publish(8080, 80));
            swarm.awaitConverged();
        });
        swarm.leader().createConfig("canary_before_backup", "written before the backup");
        drill.canaryBeforeBackup("config", "canary_before_backup");
        ClusterState before = swarm.captureState();

        SwarmBackup backup = swarm.backup();
        assertThat(backup.sourceNode()).isNotEqualTo(swarm.leader().name());
        assertThat(Files.size(backup.archive())).isPositive();
        swarm.leader().createConfig("canary_after_backup", "written after the backup, so the restore drops it");
        drill.canaryAfterBackup("config", "canary_after_backup");

        swarm.destroy();
        assertThat(swarm.nodes()).isEmpty();

        swarm.restore(backup);
        assertThat(swarm.managers()).hasSize(3);

        ClusterState after = drill.phase(Phase.VERIFY, "", swarm::captureState);
        assertThat(after).preserves(before);
        assertThat(after.resource("service", "web").attribute("replicas.running")).isEqualTo("3");
        assertThat(drill).restoredToBackupPoint(after).recoveredWithin(Duration.ofMinutes(5));
    }
}
