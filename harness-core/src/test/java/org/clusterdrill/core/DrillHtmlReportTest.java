package org.clusterdrill.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DrillHtmlReportTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path reports;

    @BeforeEach
    void useTemporaryReportsDirectory() {
        System.setProperty(DrillReportWriter.REPORTS_DIR_PROPERTY, reports.toString());
    }

    @AfterEach
    void clearReportsDirectory() {
        System.clearProperty(DrillReportWriter.REPORTS_DIR_PROPERTY);
    }

    /** Builds a drill that ran every phase, with one fault, two states and two canaries. */
    private static Drill fullDrill(String name) {
        Drill drill = new Drill(name);
        drill.record(new PhaseRecord(Phase.START, T0, Duration.ofSeconds(30), true, "3 managers"));
        drill.record(new PhaseRecord(Phase.SEED, T0.plusSeconds(30), Duration.ofSeconds(4), true, ""));
        drill.canaryBeforeBackup("config", "canary-before");
        drill.recordState("before", ClusterState.builder("test")
                .add("config", "canary-before", Map.of("sha256", "c0"))
                .add("service", "web", Map.of("image", "busybox", "replicas.running", "3"))
                .add("secret", "db_password", Map.of("sha256", "aa11")).build());
        drill.record(new PhaseRecord(Phase.BACKUP, T0.plusSeconds(34), Duration.ofSeconds(6), true, "from manager-2"));
        drill.canaryAfterBackup("config", "canary-after");
        drill.record(new DrillEvent(T0.plusSeconds(41), DrillEvent.FAULT, "every node removed", "manager-1"));
        drill.record(new PhaseRecord(Phase.DESTROY, T0.plusSeconds(41), Duration.ofSeconds(2), true, ""));
        drill.record(new PhaseRecord(Phase.RESTORE, T0.plusSeconds(43), Duration.ofSeconds(35), true, ""));
        drill.record(new PhaseRecord(Phase.CONVERGE, T0.plusSeconds(78), Duration.ofSeconds(9), true, ""));
        drill.record(new PhaseRecord(Phase.VERIFY, T0.plusSeconds(87), Duration.ofMillis(800), true, ""));
        ClusterState after = ClusterState.builder("test")
                .add("config", "canary-before", Map.of("sha256", "c0"))
                .add("service", "web", Map.of("image", "busybox", "replicas.running", "2"))
                .add("network", "extra", Map.of()).build();
        drill.recordState("after", after);
        drill.checkDataLoss(after);
        drill.environment("inner.engine", "20.10.24");
        return drill;
    }

    private String writeHtml(Drill drill, String stem, String outcome, String failure) throws Exception {
        DrillReportWriter.write(drill, stem, outcome, failure);
        return Files.readString(reports.resolve(stem + ".html"));
    }

    @Test
    void htmlSitsBesideJson() throws Exception {
        Path json = DrillReportWriter.write(fullDrill("beside"), "Sample.beside", "passed", null);

        assertThat(json.resolveSibling("Sample.beside.html")).isRegularFile();
        assertThat(json.resolveSibling("index.html")).isRegularFile();
    }

    @Test
    void textFromDrillIsEscaped() throws Exception {
        Drill drill = new Drill("<script>alert('name')</script>");
        drill.record(new PhaseRecord(Phase.SEED, T0, Duration.ofSeconds(1), true, "<img src=x onerror=alert(1)>"));
        drill.event(DrillEvent.NOTE, "a & b \"quoted\"", "<node>");
        drill.environment("<key>", "<value>");
        drill.recordState("<label>", ClusterState.builder("test").add("service", "<web>", Map.of("<attr>", "</td><b>")).build());

        String html = writeHtml(drill, "Escaping", "failed", "expected <b>bold</b>");

        assertThat(html).doesNotContain("<script>", "<img", "<node>", "<key>", "<value>", "<label>", "<web>", "<attr>", "</td><b>", "<b>bold");
        assertThat(html).contains("&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt;");
        assertThat(html).contains("&lt;img src=x onerror=alert(1)&gt;");
        assertThat(html).contains("a &amp; b &quot;quoted&quot;");
        assertThat(html).contains("expected &lt;b&gt;bold&lt;/b&gt;");
        assertThat(html).contains("&lt;/td&gt;&lt;b&gt;");
    }

    @Test
    void escapeReplacesControlCharacters() {
        assertThat(Html.escape("a\u0000b\tc\nd")).isEqualTo("a\uFFFDb\tc\nd");
    }

    @Test
    void pageDrawsTimelineAsSvg() throws Exception {
        String html = writeHtml(fullDrill("svg"), "Svg", "passed", null);

        String svg = html.substring(html.indexOf("<svg"), html.indexOf("</svg>"));
        assertThat(svg).contains("class=\"timeline\"");
        // One bar per phase record, each with a tooltip naming the phase.
        for (Phase phase : Phase.values()) {
            assertThat(svg).contains("<title>" + phase.label());
        }
        assertThat(svg).contains("recovery 46.0 s");
        assertThat(svg).contains("<circle");
        assertThat(svg).contains("every node removed (manager-1)");
    }

    @Test
    void pageListsEveryPhaseWithDuration() throws Exception {
        String html = writeHtml(fullDrill("phases"), "Phases", "passed", null);

        String table = section(html, "Phases");
        assertThat(table).contains("<td>start</td>", "<td>seed</td>", "<td>backup</td>", "<td>destroy</td>",
                "<td>restore</td>", "<td>converge</td>", "<td>verify</td>");
        assertThat(table).contains("<td class=\"number\">35.0 s</td>", "<td class=\"number\">800 ms</td>");
        assertThat(table).contains("from manager-2");
    }

    @Test
    void pageShowsRecoveryAndDataLoss() throws Exception {
        String html = writeHtml(fullDrill("summary"), "Summary", "passed", null);

        assertThat(html).contains("<div class=\"label\">Recovery time</div><div class=\"value \">46.0 s</div>");
        assertThat(html).contains("<div class=\"label\">Data-loss window</div><div class=\"value passed\">matches backup</div>");
        String canaries = section(html, "Data-loss window");
        assertThat(canaries).contains("<td>canary-before</td><td>before-backup</td><td>present</td>"
                + "<td class=\"outcome passed\">survived as expected</td>");
        assertThat(canaries).contains("<td>canary-after</td><td>after-backup</td><td>absent</td>"
                + "<td class=\"outcome passed\">vanished as expected</td>");
    }

    @Test
    void changedAttributeIsHighlighted() throws Exception {
        String html = writeHtml(fullDrill("states"), "States", "failed", null);

        String states = section(html, "Cluster states");
        assertThat(states).contains("<td>replicas.running</td><td class=\"value \">3</td><td class=\"value changed\">2</td>");
        assertThat(states).contains("<td class=\"value \">busybox</td><td class=\"value \">busybox</td>");
        assertThat(states).contains("<td class=\"value missing\">(absent)</td>");
        assertThat(states).contains("<td class=\"value added\">");
        assertThat(states).contains("3 difference(s) from before to after:");
        assertThat(states).contains("replicas.running: &quot;3&quot; -&gt; &quot;2&quot;");
    }

    @Test
    void pageShowsEnvironmentWithHarnessVersion() throws Exception {
        String html = writeHtml(fullDrill("environment"), "Environment", "passed", null);

        String environment = section(html, "Environment");
        assertThat(environment).contains("<th>harness.version</th><td class=\"value\">development</td>");
        assertThat(environment).contains("<th>inner.engine</th><td class=\"value\">20.10.24</td>");
    }

    @Test
    void pageLoadsNoExternalResource() throws Exception {
        String html = writeHtml(fullDrill("offline"), "Offline", "passed", null);

        assertThat(html).doesNotContain("<script", "<link", "src=", "@import", "url(");
        String withoutSvgNamespace = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
        assertThat(withoutSvgNamespace).doesNotContain("http:", "https:");
    }

    @Test
    void drillWithoutPhasesStillRenders() throws Exception {
        String html = writeHtml(new Drill("empty"), "Empty", "aborted", null);

        assertThat(html).doesNotContain("<svg");
        assertThat(html).contains("The drill recorded no phase and no event.", "The drill recorded no canaries.",
                "The drill recorded no state.");
        assertThat(html).contains("<div class=\"value other\">aborted</div>");
    }

    @Test
    void indexListsEveryDrill() throws Exception {
        Drill first = fullDrill("First.drill");
        Drill second = new Drill("Second.drill");
        second.record(new PhaseRecord(Phase.SEED, T0.plusSeconds(600), Duration.ofSeconds(1), false, ""));

        DrillReportWriter.write(first, "First.drill", "passed", null);
        DrillReportWriter.write(second, "Second.drill", "failed", "seed failed");

        String index = Files.readString(reports.resolve("index.html"));
        assertThat(index).contains("2 drill report(s) in this folder");
        assertThat(index).contains("<a href=\"First.drill.html\">First.drill</a>");
        assertThat(index).contains("<a href=\"Second.drill.json\">JSON</a>");
        assertThat(index).contains("<td class=\"outcome passed\">passed</td>", "<td class=\"outcome failed\">failed</td>");
        assertThat(index).contains("<td class=\"number\">46.0 s</td>", "<td class=\"number\">none</td>");
        assertThat(index).contains("<td>matches backup</td>", "<td>no canaries</td>");
        assertThat(index.indexOf("First.drill")).isLessThan(index.indexOf("Second.drill"));
    }

    @Test
    void indexSkipsForeignJson() throws Exception {
        Files.writeString(reports.resolve("backup.tar.json"), "{\"sha256\": \"00\"}");
        Files.writeString(reports.resolve("broken.json"), "{not json");

        DrillReportWriter.write(fullDrill("only"), "Only", "passed", null);

        String index = Files.readString(reports.resolve("index.html"));
        assertThat(index).contains("1 drill report(s) in this folder");
        assertThat(index).doesNotContain("backup.tar", "broken");
    }

    @Test
    void rewritingReportReplacesIndexRow() throws Exception {
        DrillReportWriter.write(fullDrill("again"), "Again", "failed", null);
        DrillReportWriter.write(fullDrill("again"), "Again", "passed", null);

        String index = Files.readString(reports.resolve("index.html"));
        assertThat(index).contains("1 drill report(s) in this folder");
        assertThat(index).contains("<td class=\"outcome passed\">passed</td>");
        assertThat(index).doesNotContain("<td class=\"outcome failed\">");
    }

    /** Returns the part of the page from a section's heading to the next heading or the footer. */
    private static String section(String html, String heading) {
        Matcher matcher = Pattern.compile("<h2>" + Pattern.quote(heading) + "</h2>(.*?)(<h2>|<footer>)", Pattern.DOTALL).matcher(html);
        assertThat(matcher.find()).as("section %s in the page", heading).isTrue();
        return matcher.group(1);
    }
}
