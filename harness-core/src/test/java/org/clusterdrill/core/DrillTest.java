package org.clusterdrill.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DrillTest {

    @Test
    void recoveryTimeSpansDestroyToConverge() {
        Drill drill = new Drill("recovery");
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        drill.record(new PhaseRecord(Phase.BACKUP, t0, Duration.ofSeconds(5), true, ""));
        drill.record(new PhaseRecord(Phase.DESTROY, t0.plusSeconds(10), Duration.ofSeconds(1), true, ""));
        drill.record(new PhaseRecord(Phase.RESTORE, t0.plusSeconds(11), Duration.ofSeconds(20), true, ""));
        drill.record(new PhaseRecord(Phase.CONVERGE, t0.plusSeconds(31), Duration.ofSeconds(4), true, ""));

        assertThat(drill.recoveryTime()).contains(Duration.ofSeconds(25));
        ClusterDrillAssertions.assertThat(drill).recoveredWithin(Duration.ofSeconds(25));
        assertThatThrownBy(() -> ClusterDrillAssertions.assertThat(drill).recoveredWithin(Duration.ofSeconds(24)))
                .hasMessage("Expected drill 'recovery' to recover within 24000 ms, but recovery took 25000 ms");
    }

    @Test
    void failedPhaseIsRecordedAndRethrown() {
        Drill drill = new Drill("failing");

        assertThatThrownBy(() -> drill.phase(Phase.BACKUP, () -> {
            throw new IllegalStateException("engine did not stop");
        })).hasMessage("engine did not stop");

        assertThat(drill.phases()).singleElement().satisfies(phase -> {
            assertThat(phase.phase()).isEqualTo(Phase.BACKUP);
            assertThat(phase.succeeded()).isFalse();
        });
        assertThatThrownBy(() -> ClusterDrillAssertions.assertThat(drill).hasNoFailedPhase())
                .hasMessageStartingWith("Expected every phase of drill 'failing' to succeed, but backup failed");
    }

    @Test
    void reportListsPhasesAndRecovery(@TempDir Path reports) throws Exception {
        Drill drill = new Drill("report");
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        drill.record(new PhaseRecord(Phase.DESTROY, t0, Duration.ofMillis(500), true, "3 nodes"));
        drill.record(new PhaseRecord(Phase.RESTORE, t0.plusMillis(500), Duration.ofMillis(1500), true, ""));
        drill.environment("engine", "20.10");
        System.setProperty(DrillReportWriter.REPORTS_DIR_PROPERTY, reports.toString());
        try {
            Path file = DrillReportWriter.write(drill, "Sample.report", "passed", null);

            String json = Files.readString(file);
            assertThat(file.getFileName().toString()).isEqualTo("Sample.report.json");
            assertThat(json).contains("\"phase\" : \"destroy\"", "\"durationMillis\" : 1500", "\"recoveryTimeMillis\" : 2000",
                    "\"engine\" : \"20.10\"", "\"outcome\" : \"passed\"");
        } finally {
            System.clearProperty(DrillReportWriter.REPORTS_DIR_PROPERTY);
        }
    }
}
