package org.clusterdrill.core;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code index.html} of a reports folder: one row per drill JSON report in the folder, with
 * its outcome, recovery time, data-loss result and links to its pages.
 */
final class ReportIndex {

    static final String FILE_NAME = "index.html";

    private static final Logger LOG = LoggerFactory.getLogger(ReportIndex.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LOCK_FILE_NAME = ".index.lock";
    // A file lock excludes other JVMs, such as parallel Surefire forks, but not other threads of this one.
    private static final ReentrantLock THREAD_LOCK = new ReentrantLock();

    /** One drill as the index lists it, read back from its JSON report. */
    record Entry(String fileStem, String drill, String outcome, Instant startedAt, Duration recoveryTime,
                 String dataLoss, boolean hasHtml) {
    }

    private ReportIndex() {
    }

    /** Reads every drill report in the folder and replaces its {@code index.html}. */
    static Path rewrite(Path directory) throws IOException {
        Path index = directory.resolve(FILE_NAME);
        THREAD_LOCK.lock();
        try (FileChannel channel = FileChannel.open(directory.resolve(LOCK_FILE_NAME),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = channel.lock()) {
            DrillReportWriter.writeAtomically(index, render(readEntries(directory)));
        } finally {
            THREAD_LOCK.unlock();
        }
        return index;
    }

    static List<Entry> readEntries(Path directory) throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (DirectoryStream<Path> reports = Files.newDirectoryStream(directory, "*.json")) {
            for (Path report : reports) {
                readEntry(report).ifPresent(entries::add);
            }
        }
        entries.sort(Comparator.comparing(Entry::startedAt).thenComparing(Entry::drill));
        return entries;
    }

    private static Optional<Entry> readEntry(Path report) {
        JsonNode root;
        try {
            root = JSON.readTree(report.toFile());
        } catch (IOException e) {
            LOG.warn("Leaving {} out of the report index: it is not readable JSON ({})", report, e.getMessage());
            return Optional.empty();
        }
        if (root == null || !root.hasNonNull("drill") || !root.hasNonNull("outcome")) {
            // Other JSON files, such as backup metadata, may share the folder.
            return Optional.empty();
        }
        String fileName = report.getFileName().toString();
        String stem = fileName.substring(0, fileName.length() - ".json".length());
        Duration recovery = root.hasNonNull("recoveryTimeMillis") ? Duration.ofMillis(root.get("recoveryTimeMillis").asLong()) : null;
        return Optional.of(new Entry(stem, root.get("drill").asText(), root.get("outcome").asText(),
                parseInstant(root.path("startedAt").asText("")), recovery, dataLoss(root.path("dataLossWindow")),
                Files.exists(report.resolveSibling(stem + ".html"))));
    }

    private static Instant parseInstant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            // Reports written before startedAt existed sort first.
            return Instant.EPOCH;
        }
    }

    private static String dataLoss(JsonNode window) {
        if (window.path("checked").asBoolean(false)) {
            return window.path("passed").asBoolean(false) ? "matches backup" : "does not match backup";
        }
        return window.path("canaries").size() > 0 ? "not checked" : "no canaries";
    }

    static String render(List<Entry> entries) {
        Html html = new Html(new Redaction());
        html.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .raw("<title>Cluster Drill reports</title>\n<style>").raw(ReportStyle.CSS).raw("</style>\n</head>\n<body>\n")
                .raw("<h1>Cluster Drill reports</h1>\n")
                .element("p", "muted", entries.size() + " drill report(s) in this folder, oldest first.");
        html.raw("\n<table class=\"index\">\n<thead><tr><th>Drill</th><th>Outcome</th><th>Started</th>"
                + "<th>Recovery time</th><th>Data-loss window</th><th>Files</th></tr></thead>\n<tbody>\n");
        for (Entry entry : entries) {
            html.raw("<tr><td>");
            if (entry.hasHtml()) {
                html.raw("<a href=\"").text(link(entry.fileStem() + ".html")).raw("\">").text(entry.drill()).raw("</a>");
            } else {
                html.text(entry.drill());
            }
            html.raw("</td>")
                    .element("td", "outcome " + outcomeClass(entry.outcome()), entry.outcome())
                    .element("td", "", entry.startedAt().equals(Instant.EPOCH) ? "unknown" : ReportFormat.instant(entry.startedAt()))
                    .element("td", "number", entry.recoveryTime() == null ? "none" : ReportFormat.duration(entry.recoveryTime()))
                    .element("td", "", entry.dataLoss())
                    .raw("<td>");
            if (entry.hasHtml()) {
                html.raw("<a href=\"").text(link(entry.fileStem() + ".html")).raw("\">HTML</a> ");
            }
            html.raw("<a href=\"").text(link(entry.fileStem() + ".json")).raw("\">JSON</a></td></tr>\n");
        }
        html.raw("</tbody>\n</table>\n</body>\n</html>\n");
        return html.toString();
    }

    /** Encodes a file name as a relative URL, because JSON files that other tools left in the folder may have any name. */
    private static String link(String fileName) {
        return URLEncoder.encode(fileName, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Returns the CSS class for an outcome; anything other than passed or failed is shown as neutral. */
    static String outcomeClass(String outcome) {
        return switch (outcome) {
            case "passed" -> "passed";
            case "failed" -> "failed";
            default -> "other";
        };
    }
}
