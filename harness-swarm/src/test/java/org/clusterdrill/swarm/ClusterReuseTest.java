package org.clusterdrill.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;

/** Classes that opt in share one cluster, reset between them, and the run removes it at its end. */
class ClusterReuseTest {

    static final List<String> RUN_IDS = new CopyOnWriteArrayList<>();
    static final List<List<String>> SECRETS_SEEN = new CopyOnWriteArrayList<>();

    @Test
    void secondClassGetsTheResetCluster() {
        RUN_IDS.clear();
        SECRETS_SEEN.clear();

        EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(FirstUser.class), selectClass(SecondUser.class))
                .execute().testEvents().assertStatistics(stats -> stats.succeeded(2));

        assertThat(RUN_IDS).hasSize(2);
        assertThat(RUN_IDS.get(1)).as("run id of the second class").isEqualTo(RUN_IDS.get(0));
        assertThat(SECRETS_SEEN.get(0)).as("secrets when the first class starts").isEmpty();
        assertThat(SECRETS_SEEN.get(1)).as("secrets when the second class starts").isEmpty();
        assertThat(HarnessCleanupTest.objectsOfRun(RUN_IDS.get(0))).as("objects after the run").isZero();
    }

    static void use(Swarm swarm) {
        RUN_IDS.add(swarm.runId());
        SECRETS_SEEN.add(swarm.leader().docker().listSecretsCmd().exec().stream().map(s -> s.getSpec().getName()).toList());
        swarm.leader().createOverlayNetwork("leftover_net");
        swarm.leader().createSecret("leftover", "from a previous class");
        swarm.leader().createService(ServiceDefinition.named("leftover").network("leftover_net").secret("leftover"));
    }

    @SwarmCluster(managers = 1, reuse = true)
    static class FirstUser {
        @Test
        void seedsObjects(Swarm swarm) {
            use(swarm);
        }
    }

    @SwarmCluster(managers = 1, reuse = true)
    static class SecondUser {
        @Test
        void findsAResetCluster(Swarm swarm) {
            use(swarm);
        }
    }
}
