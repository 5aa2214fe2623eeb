package org.clusterdrill.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataLossWindowTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /** Builds a drill with canary config/early written before the backup and config/late written after it. */
    private static Drill drillWithCanaries() {
        Drill drill = new Drill("canaries");
        drill.canaryBeforeBackup("config", "early");
        drill.record(new PhaseRecord(Phase.BACKUP, T0, Duration.ofSeconds(1), true, ""));
        drill.canaryAfterBackup("config", "late");
        return drill;
    }

    private static ClusterState stateWithConfigs(String... names) {
        ClusterState.Builder builder = ClusterState.builder("test").kind("config");
        for (String name : names) {
            builder.add("config", name, Map.of("sha256", "00"));
        }
        return builder.build();
    }

    @Test
    void restoreToBackupPasses() {
        Drill drill = drillWithCanaries();

        ClusterDrillAssertions.assertThat(drill).restoredToBackupPoint(stateWithConfigs("early"));

        DataLossCheck check = drill.dataLossCheck().orElseThrow();
        assertThat(check.passed()).isTrue();
        assertThat(check.results()).extracting(DataLossCheck.CanaryResult::outcome)
                .containsExactly("survived as expected", "vanished as expected");
    }

    @Test
    void lostCanaryIsNamed() {
        Drill drill = drillWithCanaries();

        assertThatThrownBy(() -> ClusterDrillAssertions.assertThat(drill).restoredToBackupPoint(stateWithConfigs()))
                .isInstanceOf(AssertionError.class)
                .hasMessage(String.format("%nExpected drill 'canaries' to restore exactly to its backup, but 1 of 2 canaries "
                        + "do not match:%n"
                        + "  - config 'early' was written before the backup but is missing after the restore: data was lost"));
        assertThat(drill.dataLossCheck().orElseThrow().lost()).extracting(Canary::name).containsExactly("early");
    }

    @Test
    void survivingLateCanaryIsNamed() {
        Drill drill = drillWithCanaries();

        assertThatThrownBy(() -> ClusterDrillAssertions.assertThat(drill).restoredToBackupPoint(stateWithConfigs("early", "late")))
                .hasMessageContaining("  - config 'late' was written after the backup but is still present: "
                        + "the restore did not go back to the backup")
                .hasMessageNotContaining("'early'");
        assertThat(drill.dataLossCheck().orElseThrow().unexpectedlyPresent()).extracting(Canary::name).containsExactly("late");
    }

    @Test
    void everyMismatchIsListed() {
        Drill drill = drillWithCanaries();

        assertThatThrownBy(() -> ClusterDrillAssertions.assertThat(drill).restoredToBackupPoint(stateWithConfigs("late")))
                .hasMessageContaining("but 2 of 2 canaries do not match")
                .hasMessageContaining("config 'early' was written before the backup")
                .hasMessageContaining("config 'late' was written after the backup");
    }

    @Test
    void canaryOfOtherKindDoesNotCount() {
        Drill drill = drillWithCanaries();
        ClusterState restored = ClusterState.builder("test").add("secret", "early", Map.of()).build();

        assertThatThrownBy(() -> ClusterDrillAssertions.assertThat(drill).restoredToBackupPoint(restored))
                .hasMessageContaining("config 'early' was written before the backup but is missing");
    }

    @Test
    void drillWithoutCanariesFails() {
        Drill drill = new Drill("empty");

        assertThatThrownBy(() -> ClusterDrillAssertions.assertThat(drill).restoredToBackupPoint(stateWithConfigs()))
                .hasMessage("Expected drill 'empty' to have canaries to check, but none were recorded. Record them with "
                        + "drill.canaryBeforeBackup(kind, name) and drill.canaryAfterBackup(kind, name).");
    }

    @Test
    void nullRestoredStateFails() {
        Drill drill = drillWithCanaries();

        assertThatThrownBy(() -> ClusterDrillAssertions.assertThat(drill).restoredToBackupPoint(null))
                .hasMessage("Expected a state captured after the restore of drill 'canaries', but it was null");
    }

    @Test
    void beforeCanaryAfterBackupIsRejected() {
        Drill drill = drillWithCanaries();

        assertThatThrownBy(() -> drill.canaryBeforeBackup("config", "too-late"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Canary config 'too-late' of drill 'canaries' cannot count as written before the backup, because "
                        + "a backup phase has already finished. Write it before the backup, or record it with canaryAfterBackup.");
    }

    @Test
    void afterCanaryBeforeBackupIsRejected() {
        Drill drill = new Drill("no-backup");
        drill.record(new PhaseRecord(Phase.BACKUP, T0, Duration.ofSeconds(1), false, "engine did not stop"));

        assertThatThrownBy(() -> drill.canaryAfterBackup("config", "late"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Canary config 'late' of drill 'no-backup' cannot count as written after the backup, "
                        + "because no backup phase has finished yet.");
    }

    @Test
    void duplicateCanaryIsRejected() {
        Drill drill = drillWithCanaries();

        assertThatThrownBy(() -> drill.canaryAfterBackup("config", "early"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Drill 'canaries' already has a canary config 'early'; give each canary its own name");
    }

    @Test
    void reportListsCanaryOutcomes(@TempDir Path reports) throws Exception {
        Drill drill = drillWithCanaries();
        drill.checkDataLoss(stateWithConfigs("early", "late"));
        System.setProperty(DrillReportWriter.REPORTS_DIR_PROPERTY, reports.toString());
        try {
            Path file = DrillReportWriter.write(drill, "Canaries", "failed", null);

            JsonNode window = new ObjectMapper().readTree(file.toFile()).path("dataLossWindow");
            assertThat(window.path("checked").asBoolean()).isTrue();
            assertThat(window.path("passed").asBoolean()).isFalse();
            JsonNode early = window.path("canaries").path(0);
            assertThat(early.path("name").asText()).isEqualTo("early");
            assertThat(early.path("written").asText()).isEqualTo("before-backup");
            assertThat(early.path("presentAfterRestore").asBoolean()).isTrue();
            assertThat(early.path("outcome").asText()).isEqualTo("survived as expected");
            JsonNode late = window.path("canaries").path(1);
            assertThat(late.path("written").asText()).isEqualTo("after-backup");
            assertThat(late.path("outcome").asText()).isEqualTo("survived unexpectedly");
        } finally {
            System.clearProperty(DrillReportWriter.REPORTS_DIR_PROPERTY);
        }
    }

    @Test
    void uncheckedCanariesAreReported(@TempDir Path reports) throws Exception {
        Drill drill = drillWithCanaries();
        System.setProperty(DrillReportWriter.REPORTS_DIR_PROPERTY, reports.toString());
        try {
            Path file = DrillReportWriter.write(drill, "Unchecked", "passed", null);

            JsonNode window = new ObjectMapper().readTree(file.toFile()).path("dataLossWindow");
            assertThat(window.path("checked").asBoolean()).isFalse();
            assertThat(window.has("passed")).isFalse();
            assertThat(window.path("canaries").path(0).path("outcome").asText()).isEqualTo("not checked");
        } finally {
            System.clearProperty(DrillReportWriter.REPORTS_DIR_PROPERTY);
        }
    }
}
