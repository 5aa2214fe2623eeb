package org.clusterdrill.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.clusterdrill.core.ClusterDrillAssertions;
import org.clusterdrill.core.ClusterState;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The quorum drills for 1 and 7 managers, which take longer; run them with {@code mvn -Pslow test}. */
@Tag("slow")
class QuorumSlowTest {

    @Nested
    @SwarmCluster(managers = 1)
    class OneManager {

        @Test
        void losesQuorumWithItsOnlyManager(Swarm swarm) {
            swarm.leader().createSecret("only_secret", "value");
            ClusterState before = swarm.captureState();

            SwarmNode only = swarm.loseQuorum().get(0);

            assertThat(swarm.quorum().describe()).isEqualTo("no quorum: 0 of 1 managers reachable, 1 needed");
            assertThatThrownBy(swarm::recoverQuorum).hasMessage("No manager of swarm " + swarm.runId()
                    + " is reachable, so none can force a new cluster; restore from a backup");
            only.startEngine();
            swarm.awaitLeader();
            ClusterDrillAssertions.assertThat(swarm.captureState()).preserves(before);
        }
    }

    @Nested
    @SwarmCluster(managers = 7)
    class SevenManagers {

        @Test
        void toleratesThreeLostManagers(Swarm swarm) {
            QuorumDrill.run(swarm);
        }
    }
}
