package org.clusterdrill.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DrillTimelineTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path reports;

    @AfterEach
    void clearReportsDirectory() {
        System.clearProperty(DrillReportWriter.REPORTS_DIR_PROPERTY);
    }

    @Test
    void eventsKeepKindNodeAndOrder() {
        Drill drill = new Drill("events");
        Instant before = Instant.now();

        drill.event(DrillEvent.FAULT, "engine killed", "manager-2");
        drill.event(DrillEvent.NOTE, "backup copied");

        assertThat(drill.events()).hasSize(2);
        DrillEvent fault = drill.events().get(0);
        assertThat(fault.kind()).isEqualTo("fault");
        assertThat(fault.description()).isEqualTo("engine killed");
        assertThat(fault.node()).isEqualTo("manager-2");
        assertThat(fault.at()).isBetween(before, Instant.now());
        DrillEvent note = drill.events().get(1);
        assertThat(note.kind()).isEqualTo("note");
        assertThat(note.node()).isEmpty();
        assertThat(note.at()).isAfterOrEqualTo(fault.at());
    }

    @Test
    void blankEventKindIsRejected() {
        Drill drill = new Drill("events");

        assertThatThrownBy(() -> drill.event(" ", "something"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Event kind must not be blank; use for example \"fault\" or \"note\"");
        assertThat(drill.events()).isEmpty();
    }

    @Test
    void statesKeepRecordingOrder() {
        Drill drill = new Drill("states");
        ClusterState before = ClusterState.builder("test").add("secret", "a", Map.of("sha256", "11")).build();
        ClusterState after = ClusterState.builder("test").build();

        drill.recordState("before", before);
        drill.recordState("after", after);

        assertThat(drill.states()).extracting(RecordedState::label).containsExactly("before", "after");
        assertThat(drill.state("before")).containsSame(before);
        assertThat(drill.state("after")).containsSame(after);
        assertThat(drill.state("during")).isEmpty();
    }

    @Test
    void duplicateStateLabelIsRejected() {
        Drill drill = new Drill("states");
        drill.recordState("after", ClusterState.builder("test").build());

        assertThatThrownBy(() -> drill.recordState("after", ClusterState.builder("test").build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Drill 'states' already has a state labelled 'after'; give each recorded state its own label, "
                        + "for example \"after-restore\"");
    }

    @Test
    void jsonReportListsEventsStatesAndDifferences() throws Exception {
        Drill drill = new Drill("json");
        drill.record(new PhaseRecord(Phase.BACKUP, T0, Duration.ofSeconds(2), true, ""));
        drill.record(new DrillEvent(T0.plusSeconds(3), DrillEvent.FAULT, "engine killed", "manager-1"));
        drill.recordState("before", ClusterState.builder("test")
                .add("service", "web", Map.of("replicas.running", "3"))
                .add("secret", "db_password", Map.of("sha256", "aa11")).build());
        drill.recordState("after", ClusterState.builder("test")
                .add("service", "web", Map.of("replicas.running", "2")).build());
        System.setProperty(DrillReportWriter.REPORTS_DIR_PROPERTY, reports.toString());

        Path file = DrillReportWriter.write(drill, "Json", "passed", null);

        JsonNode report = new ObjectMapper().readTree(file.toFile());
        assertThat(report.path("startedAt").asText()).isEqualTo("2026-01-01T00:00:00Z");
        JsonNode event = report.path("events").path(0);
        assertThat(event.path("kind").asText()).isEqualTo("fault");
        assertThat(event.path("node").asText()).isEqualTo("manager-1");
        assertThat(event.path("description").asText()).isEqualTo("engine killed");
        assertThat(event.path("offsetMillis").asLong()).isEqualTo(3000);
        assertThat(report.path("states")).hasSize(2);
        JsonNode before = report.path("states").path(0);
        assertThat(before.path("label").asText()).isEqualTo("before");
        assertThat(before.path("resources").path(0).path("kind").asText()).isEqualTo("secret");
        assertThat(before.path("resources").path(0).path("attributes").path("sha256").asText()).isEqualTo("aa11");
        JsonNode comparison = report.path("differences").path(0);
        assertThat(comparison.path("from").asText()).isEqualTo("before");
        assertThat(comparison.path("to").asText()).isEqualTo("after");
        JsonNode missing = comparison.path("differences").path(0);
        assertThat(missing.path("type").asText()).isEqualTo("missing");
        assertThat(missing.path("name").asText()).isEqualTo("db_password");
        JsonNode changed = comparison.path("differences").path(1);
        assertThat(changed.path("type").asText()).isEqualTo("changed");
        assertThat(changed.path("changes").path(0).path("attribute").asText()).isEqualTo("replicas.running");
        assertThat(changed.path("changes").path(0).path("before").asText()).isEqualTo("3");
        assertThat(changed.path("changes").path(0).path("after").asText()).isEqualTo("2");
        assertThat(report.path("environment").path("harness.version").asText()).isEqualTo("development");
    }

    @Test
    void redactedValueLeavesNoTrace() throws Exception {
        Drill drill = new Drill("redacted");
        drill.redact("correct horse");
        drill.phase(Phase.SEED, "secret 'correct horse' created", () -> null);
        drill.event(DrillEvent.NOTE, "password is correct horse");
        drill.environment("password", "correct horse");
        System.setProperty(DrillReportWriter.REPORTS_DIR_PROPERTY, reports.toString());

        Path json = DrillReportWriter.write(drill, "Redacted", "failed", "expected correct horse");

        String jsonText = Files.readString(json);
        String htmlText = Files.readString(reports.resolve("Redacted.html"));
        assertThat(jsonText).doesNotContain("correct horse");
        assertThat(jsonText).contains("secret '[redacted]' created", "password is [redacted]", "expected [redacted]");
        assertThat(htmlText).doesNotContain("correct horse");
        assertThat(htmlText).contains("password is [redacted]");
    }

    @Test
    void blankRedactionIsRejected() {
        Drill drill = new Drill("redacted");

        assertThatThrownBy(() -> drill.redact(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("A value to redact must not be null or blank");
    }
}
