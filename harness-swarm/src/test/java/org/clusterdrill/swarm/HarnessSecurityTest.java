package org.clusterdrill.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.clusterdrill.core.ClusterDrillAssertions;
import org.clusterdrill.core.ClusterState;
import org.clusterdrill.core.DrillReportWriter;
import org.junit.jupiter.api.Test;

/**
 * A full drill of an autolocked swarm writes neither a secret value nor an unlock key, old or
 * rotated, to the log or the reports.
 */
class HarnessSecurityTest {

    static final String SECRET_VALUE = "marigold-4471-unlock";

    @Test
    void secretNeverReachesLogsOrReports() throws Exception {
        String log = CapturedStderr.during(() ->
                HarnessCleanupTest.run(FullDrill.class).testEvents().assertStatistics(stats -> stats.succeeded(1)));

        assertThat(log).as("captured log").contains("Drill 'FullDrill.backsUpAndRestores'");
        assertThat(log).doesNotContain(SECRET_VALUE);
        assertThat(FullDrill.unlockKeys).as("unlock keys before and after the restore").hasSize(2).doesNotHaveDuplicates();
        for (String key : FullDrill.unlockKeys) {
            assertThat(log).doesNotContain(key);
        }
        List<Path> reports;
        try (Stream<Path> files = Files.list(DrillReportWriter.reportsDirectory())) {
            reports = files.filter(f -> f.getFileName().toString().startsWith("FullDrill.")).toList();
        }
        assertThat(reports).extracting(p -> p.getFileName().toString())
                .contains("FullDrill.backsUpAndRestores.json", "FullDrill.backsUpAndRestores.html");
        for (Path report : reports) {
            assertThat(Files.readString(report)).as(report.toString()).doesNotContain(SECRET_VALUE)
                    .doesNotContain(FullDrill.unlockKeys.get(0)).doesNotContain(FullDrill.unlockKeys.get(1));
        }
    }

    @SwarmCluster(managers = 1)
    static class FullDrill {

        static final List<String> unlockKeys = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Test
        void backsUpAndRestores(Swarm swarm) {
            unlockKeys.clear();
            unlockKeys.add(swarm.enableAutolock());
            swarm.leader().createSecret("db_password", SECRET_VALUE);
            swarm.leader().createService(ServiceDefinition.named("web").secret("db_password"));
            swarm.awaitConverged();
            ClusterState before = swarm.captureState();
            SwarmBackup backup = swarm.backup();
            swarm.destroy();
            swarm.restore(backup);
            ClusterDrillAssertions.assertThat(swarm.captureState()).preserves(before);
            unlockKeys.add(swarm.unlockKey().orElseThrow());
        }
    }

}
