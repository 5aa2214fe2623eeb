package org.clusterdrill.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.clusterdrill.core.ClusterDrillAssertions;
import org.clusterdrill.core.ClusterState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Raft quorum rule, checked on a real swarm of N managers: with f = (N - 1) / 2 managers
 * stopped, the leader among them, the swarm elects a new leader and accepts changes; with one
 * more stopped it rejects them; forcing a new cluster on a survivor brings back the state.
 */
final class QuorumDrill {

    private static final Logger LOG = LoggerFactory.getLogger(QuorumDrill.class);

    private QuorumDrill() {
    }

    static void run(Swarm swarm) {
        int managers = swarm.managers().size();
        int tolerated = (managers - 1) / 2;
        SwarmNode firstLeader = swarm.leader();
        firstLeader.createSecret("seed_secret", "seed");
        firstLeader.createService(ServiceDefinition.named("seed").replicas(1));
        swarm.awaitConverged();
        ClusterState before = swarm.captureState();

        long stopRequested = System.nanoTime();
        List<SwarmNode> down = swarm.stopManagers(tolerated);
        long stopped = System.nanoTime();
        SwarmNode newLeader = swarm.awaitLeader();
        Duration election = Duration.ofNanos(System.nanoTime() - stopped);
        LOG.info("{} managers, {} stopped: {} elected leader {} ms after the stop ended ({} ms after it began)", managers,
                tolerated, newLeader.name(), election.toMillis(), (System.nanoTime() - stopRequested) / 1_000_000);
        assertThat(down).extracting(SwarmNode::name).contains(firstLeader.name());
        assertThat(down).extracting(SwarmNode::name).doesNotContain(newLeader.name());
        assertThat(swarm.quorum().hasQuorum()).isTrue();

        newLeader.createSecret("written_with_" + tolerated + "_down", "still writable");
        newLeader.createService(ServiceDefinition.named("written").replicas(1));
        assertThat(newLeader.docker().listSecretsCmd().exec()).extracting(s -> s.getSpec().getName())
                .contains("written_with_" + tolerated + "_down");
        assertThat(newLeader.docker().listServicesCmd().exec()).extracting(s -> s.getSpec().getName())
                .contains("written");
        newLeader.docker().removeServiceCmd("written").exec();
        newLeader.docker().removeSecretCmd("written_with_" + tolerated + "_down").exec();

        swarm.stopManagers(1);
        QuorumStatus lost = swarm.quorum();
        assertThat(lost.hasQuorum()).isFalse();
        SwarmNode survivor = swarm.managers().stream()
                .filter(m -> down.stream().noneMatch(d -> d.name().equals(m.name())))
                .filter(m -> ((NodeContainer) m).health().reachable()).findFirst().orElseThrow();
        assertThatThrownBy(() -> survivor.createSecret("written_without_quorum", "rejected"))
                .isInstanceOf(QuorumLostException.class)
                .hasMessage("no quorum: " + (managers - tolerated - 1) + " of " + managers + " managers reachable, "
                        + (managers / 2 + 1) + " needed");

        long recoveryStart = System.nanoTime();
        swarm.recoverQuorum();
        LOG.info("{} managers: quorum recovered in {} ms", managers, (System.nanoTime() - recoveryStart) / 1_000_000);
        assertThat(swarm.quorum().reachableManagers()).isEqualTo(managers);
        ClusterDrillAssertions.assertThat(swarm.captureState()).preserves(before);
    }
}
