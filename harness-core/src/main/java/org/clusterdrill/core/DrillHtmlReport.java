package org.clusterdrill.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Renders one drill as a self-contained HTML page: summary, timeline chart, phases, events,
 * data-loss window, recorded states with their differences, and environment. The page embeds its
 * style sheet and drawing and loads nothing else.
 */
final class DrillHtmlReport {

    private final Drill drill;
    private final Html html;
    private final Instant origin;

    private DrillHtmlReport(Drill drill) {
        this.drill = drill;
        this.html = new Html(drill.redaction());
        this.origin = DrillJsonReport.startedAt(drill);
    }

    /**
     * Returns the page of a drill.
     *
     * @param outcome "passed", "failed" or "aborted"
     * @param failure the failure message, or null when the drill passed
     */
    static String render(Drill drill, String outcome, String failure) {
        DrillHtmlReport report = new DrillHtmlReport(drill);
        report.header(outcome, failure);
        report.summary(outcome);
        report.timeline();
        report.phases();
        report.events();
        report.dataLossWindow();
        report.states();
        report.environment();
        report.footer();
        return report.html.toString();
    }

    private void header(String outcome, String failure) {
        html.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .raw("<title>Drill ").text(drill.name()).raw(": ").text(outcome).raw("</title>\n")
                .raw("<style>").raw(ReportStyle.CSS).raw("</style>\n</head>\n<body>\n")
                .raw("<p class=\"muted\"><a href=\"").raw(ReportIndex.FILE_NAME).raw("\">All drill reports</a></p>\n")
                .element("h1", "", "Drill " + drill.name())
                .element("p", "muted", "Started " + ReportFormat.instant(origin)).raw("\n");
        if (failure != null) {
            html.element("pre", "failed", failure).raw("\n");
        }
    }

    private void summary(String outcome) {
        html.raw("<div class=\"summary\">\n");
        card("Outcome", outcome, ReportIndex.outcomeClass(outcome));
        card("Recovery time", drill.recoveryTime().map(ReportFormat::duration).orElse("none"), "");
        Optional<DataLossCheck> check = drill.dataLossCheck();
        if (check.isPresent()) {
            boolean passed = check.get().passed();
            card("Data-loss window", passed ? "matches backup" : "does not match backup", passed ? "passed" : "failed");
        } else {
            card("Data-loss window", drill.canaries().isEmpty() ? "no canaries" : "not checked", "other");
        }
        card("Timeline", ReportFormat.duration(timelineLength()), "");
        html.raw("</div>\n");
    }

    private Duration timelineLength() {
        return drill.phases().stream().map(PhaseRecord::endedAt).max(Instant::compareTo)
                .map(end -> Duration.between(origin, end)).orElse(Duration.ZERO);
    }

    private void card(String label, String value, String valueClass) {
        html.raw("<div class=\"card\">").element("div", "label", label).element("div", "value " + valueClass, value).raw("</div>\n");
    }

    private void timeline() {
        html.raw("<h2>Timeline</h2>\n");
        if (drill.phases().isEmpty() && drill.events().isEmpty()) {
            html.element("p", "muted", "The drill recorded no phase and no event.").raw("\n");
            return;
        }
        TimelineSvg.render(drill, html);
        StringBuilder caption = new StringBuilder("Bars are phases, red when a phase failed.");
        if (!drill.events().isEmpty()) {
            caption.append(" Numbered circles are the events listed below, red for faults.");
        }
        if (drill.recoveryTime().isPresent()) {
            caption.append(" The shaded band is the recovery window, from the start of the first destroy phase to the end "
                    + "of the last restore or converge phase.");
        }
        html.element("p", "muted", caption.toString()).raw("\n");
    }

    private void phases() {
        html.raw("<h2>Phases</h2>\n");
        if (drill.phases().isEmpty()) {
            html.element("p", "muted", "The drill recorded no phase.").raw("\n");
            return;
        }
        html.raw("<table>\n<thead><tr><th>Phase</th><th>Started</th><th>Duration</th><th>Outcome</th><th>Detail</th></tr></thead>\n<tbody>\n");
        for (PhaseRecord phase : drill.phases()) {
            html.raw("<tr>")
                    .element("td", "", phase.phase().label())
                    .element("td", "number", offset(phase.startedAt()))
                    .element("td", "number", ReportFormat.duration(phase.duration()))
                    .element("td", "outcome " + (phase.succeeded() ? "passed" : "failed"), phase.succeeded() ? "succeeded" : "failed")
                    .element("td", "", phase.detail())
                    .raw("</tr>\n");
        }
        html.raw("</tbody>\n</table>\n");
    }

    private void events() {
        List<DrillEvent> events = TimelineSvg.numberedEvents(drill);
        if (events.isEmpty()) {
            return;
        }
        html.raw("<h2>Events</h2>\n<table>\n<thead><tr><th>#</th><th>At</th><th>Kind</th><th>Node</th><th>Description</th></tr></thead>\n<tbody>\n");
        for (int i = 0; i < events.size(); i++) {
            DrillEvent event = events.get(i);
            html.raw("<tr>")
                    .element("td", "number", String.valueOf(i + 1))
                    .element("td", "number", offset(event.at()))
                    .element("td", DrillEvent.FAULT.equals(event.kind()) ? "failed" : "", event.kind())
                    .element("td", "", event.node())
                    .element("td", "", event.description())
                    .raw("</tr>\n");
        }
        html.raw("</tbody>\n</table>\n");
    }

    private void dataLossWindow() {
        html.raw("<h2>Data-loss window</h2>\n");
        List<Canary> canaries = drill.canaries();
        if (canaries.isEmpty()) {
            html.element("p", "muted", "The drill recorded no canaries. Record them with drill.canaryBeforeBackup(kind, name) "
                    + "and drill.canaryAfterBackup(kind, name), then check them with assertThat(drill).restoredToBackupPoint(state).")
                    .raw("\n");
            return;
        }
        Optional<DataLossCheck> check = drill.dataLossCheck();
        if (check.isPresent()) {
            html.element("p", check.get().passed() ? "passed" : "failed", check.get().passed()
                    ? "The restore went back exactly to the backup: every canary written before it survived and every canary "
                    + "written after it vanished."
                    : "The restore did not go back exactly to the backup: see the canaries marked unexpectedly.");
            html.element("p", "muted", "Compared with the state captured " + ReportFormat.instant(check.get().stateCapturedAt()) + ".");
        } else {
            html.element("p", "other", "The canaries were recorded but never checked against a restored state.");
        }
        html.raw("\n<table>\n<thead><tr><th>Kind</th><th>Name</th><th>Written</th><th>Expected after restore</th>"
                + "<th>Result</th></tr></thead>\n<tbody>\n");
        Map<Canary, DataLossCheck.CanaryResult> results = new HashMap<>();
        check.ifPresent(c -> c.results().forEach(result -> results.put(result.canary(), result)));
        for (Canary canary : canaries) {
            DataLossCheck.CanaryResult result = results.get(canary);
            String resultClass = result == null ? "other" : (result.matchesBackup() ? "passed" : "failed");
            html.raw("<tr>")
                    .element("td", "", canary.kind())
                    .element("td", "", canary.name())
                    .element("td", "", canary.written().label())
                    .element("td", "", canary.expectedAfterRestore() ? "present" : "absent")
                    .element("td", "outcome " + resultClass, result == null ? "not checked" : result.outcome())
                    .raw("</tr>\n");
        }
        html.raw("</tbody>\n</table>\n");
    }

    private void states() {
        html.raw("<h2>Cluster states</h2>\n");
        List<RecordedState> states = drill.states();
        if (states.isEmpty()) {
            html.element("p", "muted", "The drill recorded no state. Record them with drill.recordState(label, state).").raw("\n");
            return;
        }
        List<StateComparison> comparisons = StateComparison.ofDrill(drill);
        for (StateComparison comparison : comparisons) {
            int count = comparison.differences().size();
            String heading = count == 0
                    ? "No differences from " + comparison.from().label() + " to " + comparison.to().label() + "."
                    : count + " difference(s) from " + comparison.from().label() + " to " + comparison.to().label() + ":";
            html.element("p", count == 0 ? "passed" : "failed", heading).raw("\n");
            if (count > 0) {
                StringBuilder text = new StringBuilder();
                comparison.differences().forEach(d -> text.append("- ").append(d.describe()).append('\n'));
                html.element("pre", "", text.toString().stripTrailing()).raw("\n");
            }
        }
        html.raw("<p class=\"legend muted\">Compared with the first state, ").text(states.get(0).label())
                .raw(": <span class=\"changed\">changed</span><span class=\"missing\">missing</span>"
                        + "<span class=\"added\">added</span></p>\n");
        StateTable.render(states, comparisons, html);
    }

    private void environment() {
        html.raw("<h2>Environment</h2>\n<table>\n<tbody>\n");
        DrillJsonReport.environment(drill).forEach((key, value) ->
                html.raw("<tr>").element("th", "", key).element("td", "value", value).raw("</tr>\n"));
        html.raw("</tbody>\n</table>\n");
    }

    private void footer() {
        html.raw("<footer>\n").element("p", "", "Cluster states appear here exactly as the harness captured them, so secrets and "
                + "configs appear only as hashes. The other text (drill name, phase details, event descriptions, canary names, "
                + "environment and failure message) comes from the test and the harness, with every value registered through "
                + "Drill.redact replaced by " + Redaction.MASK + ".")
                .raw("\n</footer>\n</body>\n</html>\n");
    }

    private String offset(Instant instant) {
        return "+" + ReportFormat.duration(Duration.between(origin, instant));
    }

    /** The table of every recorded state side by side, one row per attribute of each resource. */
    private static final class StateTable {

        private StateTable() {
        }

        static void render(List<RecordedState> states, List<StateComparison> comparisons, Html html) {
            // Differences by resource, one map per later state, so each cell can be marked.
            List<Map<String, StateDifference>> differencesByState = comparisons.stream().map(comparison -> {
                Map<String, StateDifference> byResource = new HashMap<>();
                comparison.differences().forEach(d -> byResource.put(key(d.kind(), d.name()), d));
                return byResource;
            }).toList();

            html.raw("<table class=\"states\">\n<thead><tr><th>Kind</th><th>Name</th><th>Attribute</th>");
            states.forEach(state -> html.element("th", "", state.label()));
            html.raw("</tr></thead>\n<tbody>\n");
            SortedMap<String, SortedMap<String, TreeSet<String>>> rows = attributesByResource(states);
            rows.forEach((kind, byName) -> byName.forEach((name, attributes) -> {
                List<String> attributeRows = attributes.isEmpty() ? Collections.singletonList(null) : List.copyOf(attributes);
                boolean first = true;
                for (String attribute : attributeRows) {
                    html.raw(first ? "<tr class=\"group\">" : "<tr>")
                            .element("td", "", first ? kind : "")
                            .element("td", "", first ? name : "")
                            .element("td", "", attribute == null ? "(no attributes)" : attribute);
                    for (int i = 0; i < states.size(); i++) {
                        Resource resource = states.get(i).state().resource(kind, name);
                        StateDifference difference = i == 0 ? null : differencesByState.get(i - 1).get(key(kind, name));
                        html.element("td", "value " + cellClass(difference, attribute), cellText(resource, attribute));
                    }
                    html.raw("</tr>\n");
                    first = false;
                }
            }));
            html.raw("</tbody>\n</table>\n");
        }

        private static SortedMap<String, SortedMap<String, TreeSet<String>>> attributesByResource(List<RecordedState> states) {
            SortedMap<String, SortedMap<String, TreeSet<String>>> rows = new TreeMap<>();
            for (RecordedState recorded : states) {
                for (Resource resource : recorded.state().allResources()) {
                    rows.computeIfAbsent(resource.kind(), k -> new TreeMap<>())
                            .computeIfAbsent(resource.name(), n -> new TreeSet<>())
                            .addAll(resource.attributes().keySet());
                }
            }
            return rows;
        }

        private static String cellClass(StateDifference difference, String attribute) {
            if (difference == null) {
                return "";
            }
            return switch (difference.type()) {
                case MISSING -> "missing";
                case ADDED -> "added";
                case CHANGED -> difference.changes().stream().anyMatch(c -> c.attribute().equals(attribute)) ? "changed" : "";
            };
        }

        private static String cellText(Resource resource, String attribute) {
            if (resource == null) {
                return "(absent)";
            }
            if (attribute == null) {
                return "";
            }
            String value = resource.attribute(attribute);
            return value == null ? "(absent)" : value;
        }

        private static String key(String kind, String name) {
            return kind + '\u0000' + name;
        }
    }
}
