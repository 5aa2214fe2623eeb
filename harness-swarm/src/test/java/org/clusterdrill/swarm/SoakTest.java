package org.clusterdrill.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

import org.clusterdrill.core.ClusterDrillAssertions;
import org.clusterdrill.core.ClusterState;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The full three-manager drill many times in a row ({@code clusterdrill.soak.iterations}, default
 * 20); run it with {@code mvn -Psoak test}. After every round the cluster's Docker objects, the
 * JVM's heap and the free disk space return to where they started, within stated margins.
 */
@Tag("soak")
@SwarmCluster(managers = 3)
class SoakTest {

    private static final Logger LOG = LoggerFactory.getLogger(SoakTest.class);
    private static final long HEAP_MARGIN_BYTES = 64L << 20;
    private static final long DISK_MARGIN_BYTES = 512L << 20;

    @Test
    void repeatedDrillsReturnToBaseline(Swarm swarm) throws Exception {
        int iterations = Integer.getInteger("clusterdrill.soak.iterations", 20);
        swarm.leader().createOverlayNetwork("appnet");
        swarm.leader().createSecret("db_password", "soak-secret");
        swarm.leader().createService(ServiceDefinition.named("web").replicas(3).network("appnet").secret("db_password"));
        swarm.awaitConverged();
        ClusterState before = swarm.captureState();
        int objects = HarnessCleanupTest.objectsOfRun(swarm.runId());
        long heap = usedHeapAfterGc();
        long freeDisk = Files.getFileStore(Path.of(System.getProperty("java.io.tmpdir"))).getUsableSpace();

        for (int round = 1; round <= iterations; round++) {
            SwarmBackup backup = swarm.backup();
            swarm.destroy();
            swarm.restore(backup);
            backup.delete();

            ClusterDrillAssertions.assertThat(swarm.captureState()).preserves(before);
            assertThat(HarnessCleanupTest.objectsOfRun(swarm.runId())).as("Docker objects after round " + round)
                    .isEqualTo(objects);
            LOG.info("Soak round {} of {}: heap {} MiB, free disk {} MiB", round, iterations, usedHeapAfterGc() >> 20,
                    Files.getFileStore(Path.of(System.getProperty("java.io.tmpdir"))).getUsableSpace() >> 20);
        }

        assertThat(usedHeapAfterGc()).as("used heap after GC").isLessThan(heap + HEAP_MARGIN_BYTES);
        assertThat(Files.getFileStore(Path.of(System.getProperty("java.io.tmpdir"))).getUsableSpace())
                .as("free disk space").isGreaterThan(freeDisk - DISK_MARGIN_BYTES);
    }

    private static long usedHeapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
