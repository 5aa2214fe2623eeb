package org.clusterdrill.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * Writes the reports of a drill into the reports folder: {@code target/cluster-drill-reports}
 * below the working directory, or the folder named by the system property
 * {@value #REPORTS_DIR_PROPERTY}. Each drill gets {@code <fileStem>.json} and a self-contained
 * {@code <fileStem>.html}, and {@code index.html} is rewritten to list every drill report in the folder.
 *
 * <p>Cluster states appear in reports exactly as {@link ClusterState} contains them, so secrets and
 * configs appear only as the hashes that the platform captured. The other text comes from the test
 * and the harness as written: the drill's name, phase details, event descriptions, canary names,
 * the environment and the failure message. Every value registered with {@link Drill#redact(String)}
 * is replaced by {@value Redaction#MASK} in all of them.
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
     * Writes the drill's report as {@code <fileStem>.json} and {@code <fileStem>.html}, rewrites
     * {@code index.html} and returns the path of the JSON report.
     *
     * @param outcome "passed", "failed" or "aborted"
     * @param failure the failure message, or null when the drill passed
     */
    public static Path write(Drill drill, String fileStem, String outcome, String failure) throws IOException {
        Path directory = reportsDirectory();
        Files.createDirectories(directory);
        String safeStem = fileStem.replaceAll("[^A-Za-z0-9._-]", "_");
        Path json = directory.resolve(safeStem + ".json");
        writeAtomically(json, JSON.writeValueAsString(DrillJsonReport.toJson(drill, outcome, failure)));
        writeAtomically(directory.resolve(safeStem + ".html"), DrillHtmlReport.render(drill, outcome, failure));
        ReportIndex.rewrite(directory);
        return json;
    }

    /**
     * Writes a file through a temporary file in the same folder, so a reader such as the index of
     * another test run never reads it half written.
     */
    static void writeAtomically(Path file, String content) throws IOException {
        Path temporary = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
        try {
            Files.writeString(temporary, content, StandardCharsets.UTF_8);
            // A temporary file is readable by its owner only, but reports carry no secrets and are shared as build output.
            if (Files.getFileStore(temporary).supportsFileAttributeView(PosixFileAttributeView.class)) {
                Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-r--r--"));
            }
            try {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
