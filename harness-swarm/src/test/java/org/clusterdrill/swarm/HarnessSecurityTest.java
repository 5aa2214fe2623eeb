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

/** A full drill writes no secret value to the log, the reports or the diagnostics. */
class HarnessSecurityTest {

    static final String SECRET_VALUE = "marigold-4471-unlock";

    @Test
    void secretNeverReachesLogsOrReports() throws Exception {
        String log = CapturedStderr.during(() ->
                HarnessCleanupTest.run(FullDrill.class).testEvents().assertStatistics(stats -> stats.succeeded(1)));

        assertThat(log).as("captured log").contains("Drill 'FullDrill.backsUpAndRestores'");
        assertThat(log).doesNotContain(SECRET_VALUE);
        List<Path> reports;
        try (Stream<Path> files = Files.list(DrillReportWriter.reportsDirectory())) {
            reports = files.filter(f -> f.getFileName().toString().startsWith("FullDrill.")).toList();
        }
        assertThat(reports).extracting(p -> p.getFileName().toString())
                .contains("FullDrill.backsUpAndRestores.json", "FullDrill.backsUpAndRestores.html");
        for (Path report : reports) {
            assertThat(Files.readString(report)).as(report.toString()).doesNotContain(SECRET_VALUE);
        }
    }

    @SwarmCluster(managers = 1)
    static class FullDrill {

        @Test
        void backsUpAndRestores(Swarm swarm) {
            swarm.leader().createSecret("db_password", SECRET_VALUE);
            swarm.leader().createService(ServiceDefinition.named("web").secret("db_password"));
            swarm.awaitConverged();
            ClusterState before = swarm.captureState();
            SwarmBackup backup = swarm.backup();
            swarm.destroy();
            swarm.restore(backup);
            ClusterDrillAssertions.assertThat(swarm.captureState()).preserves(before);
        }
    }

}
