package org.clusterdrill.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clusterdrill.core.ClusterDrillAssertions.assertThat;

import org.clusterdrill.core.ClusterState;
import org.junit.jupiter.api.Test;

/**
 * An autolocked swarm that lost its quorum recovers through a surviving manager, although Docker
 * Engine cannot force a new cluster on a locked manager, and ends autolocked with a new key.
 */
@SwarmCluster(managers = 3)
class AutolockQuorumRecoveryTest {

    @Test
    void recoversQuorumOfAutolockedSwarm(Swarm swarm) {
        String key = swarm.enableAutolock();
        swarm.leader().createSecret("db_password", "quorum-lost");
        swarm.leader().createService(ServiceDefinition.named("web").replicas(2).secret("db_password"));
        swarm.awaitConverged();
        ClusterState before = swarm.captureState();

        swarm.loseQuorum();
        assertThat(swarm.quorum().hasQuorum()).isFalse();
        swarm.recoverQuorum();

        assertThat(swarm.quorum().reachableManagers()).isEqualTo(3);
        assertThat(swarm.captureState()).preserves(before);
        String newKey = swarm.unlockKey().orElseThrow();
        assertThat(newKey).as("unlock key after the recovery").isNotEqualTo(key);
        for (SwarmNode manager : swarm.managers()) {
            ExecResult keyFile = manager.exec("cat", "/var/lib/docker/swarm/certificates/swarm-node.key");
            assertThat(LockedManagerKey.isLocked(keyFile.stdout())).as("key file of " + manager.name() + " locked").isTrue();
        }
    }
}
