package org.clusterdrill.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;

/** Two classes whose clusters run at the same time get their own runs, networks, subnets and containers. */
class ParallelIsolationTest {

    static final Map<String, DockerSwarm> CLUSTERS = new ConcurrentHashMap<>();
    static final Map<String, String> SUBNETS = new ConcurrentHashMap<>();

    @Test
    void concurrentClassesDoNotShareAnything() {
        EngineTestKit.engine("junit-jupiter")
                .configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
                .configurationParameter("junit.jupiter.execution.parallel.mode.classes.default", "concurrent")
                .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
                .configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism", "2")
                .selectors(selectClass(First.class), selectClass(Second.class))
                .execute().testEvents().assertStatistics(stats -> stats.succeeded(2));

        assertThat(CLUSTERS).containsOnlyKeys("first", "second");
        assertThat(CLUSTERS.get("first").runId()).isNotEqualTo(CLUSTERS.get("second").runId());
        assertThat(SUBNETS.get("first")).isNotEqualTo(SUBNETS.get("second"));
        assertThat(HarnessCleanupTest.objectsOfRun(CLUSTERS.get("first").runId())).isZero();
        assertThat(HarnessCleanupTest.objectsOfRun(CLUSTERS.get("second").runId())).isZero();
    }

    static void recordAndCheck(String key, Swarm swarm) {
        DockerSwarm cluster = (DockerSwarm) swarm;
        CLUSTERS.put(key, cluster);
        SUBNETS.put(key, cluster.network().subnet());
        var attached = cluster.outerEngine().inspectNetwork(cluster.network().id()).getContainers();
        assertThat(attached).hasSize(cluster.containers().size());
        for (NodeContainer node : cluster.containers()) {
            assertThat(attached).containsKey(node.containerId());
        }
        swarm.leader().createSecret(key + "_only", key);
        assertThat(swarm.leader().docker().listSecretsCmd().exec()).extracting(s -> s.getSpec().getName())
                .containsExactly(key + "_only");
    }

    @SwarmCluster(managers = 1)
    static class First {
        @Test
        void ownsItsCluster(Swarm swarm) {
            recordAndCheck("first", swarm);
        }
    }

    @SwarmCluster(managers = 1)
    static class Second {
        @Test
        void ownsItsCluster(Swarm swarm) {
            recordAndCheck("second", swarm);
        }
    }
}
