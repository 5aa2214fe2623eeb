package org.clusterdrill.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * Writes one JSON report per drill into the reports folder: {@code target/cluster-drill-reports}
 * below the working directory, or the folder named by the system property
 * {@value #REPORTS_DIR_PROPERTY}.
 */
public final class DrillReportWriter {

    /** System property that overrides the reports folder. */
    public static final String REPORTS_DIR_PROPERTY = "clusterdrill.reports.dir";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private DrillReportWriter() {
    }

    /** Returns the folder reports are written to. */
    public static Path reportsDirectory() {
        return Paths.get(System.getProperty(REPORTS_DIR_PROPERTY, "target/cluster-drill-reports"));
    }

    /**
     * Writes the drill's report as {@code <fileStem>.json} and returns its path.
     *
     * @param outcome "passed", "failed" or "aborted"
     * @param failure the failure message, or null when the drill passed
     */
    public static Path write(Drill drill, String fileStem, String outcome, String failure) throws IOException {
        Path directory = reportsDirectory();
        Files.createDirectories(directory);
        Path file = directory.resolve(fileStem.replaceAll("[^A-Za-z0-9._-]", "_") + ".json");
        Files.writeString(file, JSON.writeValueAsString(toJson(drill, outcome, failure)));
        return file;
    }

    static Map<String, Object> toJson(Drill drill, String outcome, String failure) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("drill", drill.name());
        report.put("outcome", outcome);
        if (failure != null) {
            report.put("failure", failure);
        }
        List<Map<String, Object>> phases = new ArrayList<>();
        for (PhaseRecord phase : drill.phases()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("phase", phase.phase().label());
            entry.put("startedAt", phase.startedAt().toString());
            entry.put("durationMillis", phase.duration().toMillis());
            entry.put("succeeded", phase.succeeded());
            entry.put("detail", phase.detail());
            phases.add(entry);
        }
        report.put("phases", phases);
        Map<String, Long> totals = new LinkedHashMap<>();
        for (Phase phase : Phase.values()) {
            if (drill.phases().stream().anyMatch(p -> p.phase() == phase)) {
                totals.put(phase.label(), drill.duration(phase).toMillis());
            }
        }
        report.put("phaseTotalsMillis", totals);
        drill.recoveryTime().ifPresent(recovery -> report.put("recoveryTimeMillis", recovery.toMillis()));
        report.put("environment", new java.util.TreeMap<>(drill.environment()));
        return report;
    }
}
