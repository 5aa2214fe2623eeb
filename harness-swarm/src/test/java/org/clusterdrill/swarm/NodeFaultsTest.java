package org.clusterdrill.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import com.github.dockerjava.api.model.SwarmNodeState;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** Each node fault has the effect the swarm's managers see, and is recorded with its time. */
@SwarmCluster(managers = 3, workers = 1)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeFaultsTest {

    @Test
    @Order(1)
    void killedNodeIsDownUntilStarted(Swarm swarm) {
        SwarmNode worker = swarm.node("worker-1");

        worker.kill();
        awaitState(swarm, "worker-1", SwarmNodeState.DOWN);
        worker.startEngine();
        awaitState(swarm, "worker-1", SwarmNodeState.READY);

        assertThat(swarm.faults()).extracting(Fault::action).contains("kill engine", "start engine");
        assertThat(swarm.faults()).allSatisfy(fault -> assertThat(fault.node()).isEqualTo("worker-1"));
    }

    @Test
    @Order(2)
    void disconnectedNodeIsDownUntilReconnected(Swarm swarm) {
        SwarmNode worker = swarm.node("worker-1");

        worker.disconnect();
        awaitState(swarm, "worker-1", SwarmNodeState.DOWN);
        worker.reconnect();
        awaitState(swarm, "worker-1", SwarmNodeState.READY);

        assertThat(worker.address()).isEqualTo(((DockerSwarm) swarm).network().address(SwarmNode.Role.WORKER, 1));
    }

    @Test
    @Order(3)
    void pausedNodeIsDownUntilUnpaused(Swarm swarm) {
        SwarmNode worker = swarm.node("worker-1");

        worker.pause();
        awaitState(swarm, "worker-1", SwarmNodeState.DOWN);
        worker.unpause();
        awaitState(swarm, "worker-1", SwarmNodeState.READY);
    }

    @Test
    @Order(4)
    void wipedNodeLeavesTheSwarm(Swarm swarm) {
        SwarmNode worker = swarm.node("worker-1");

        worker.wipeSwarmState();

        assertThat(worker.docker().infoCmd().exec().getSwarm().getLocalNodeState().name()).isEqualTo("INACTIVE");
        awaitState(swarm, "worker-1", SwarmNodeState.DOWN);
        assertThat(swarm.faults()).last().extracting(Fault::action).isEqualTo("wipe swarm state");
    }

    @Test
    @Order(5)
    void killedLeaderIsReplaced(Swarm swarm) {
        SwarmNode killed = swarm.killLeader();

        SwarmNode next = swarm.awaitLeader();

        assertThat(next.name()).isNotEqualTo(killed.name());
        assertThat(swarm.quorum().describe()).isEqualTo("quorum: 2 of 3 managers reachable, 2 needed");
    }

    private static void awaitState(Swarm swarm, String node, SwarmNodeState expected) {
        Awaitility.await(node + " " + expected).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(() -> swarm.leader().docker().listSwarmNodesCmd().exec().stream()
                        .filter(n -> n.getDescription().getHostname().equals(node))
                        .anyMatch(n -> n.getStatus().getState() == expected));
    }
}
