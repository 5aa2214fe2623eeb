package org.clusterdrill.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Builds the content of a drill's JSON report as maps and lists for Jackson. Every string in it
 * has passed through the drill's {@link Redaction}.
 */
final class DrillJsonReport {

    private DrillJsonReport() {
    }

    static Map<String, Object> toJson(Drill drill, String outcome, String failure) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("drill", drill.name());
        report.put("outcome", outcome);
        if (failure != null) {
            report.put("failure", failure);
        }
        report.put("startedAt", startedAt(drill).toString());

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

        report.put("events", events(drill));
        report.put("states", states(drill));
        report.put("differences", differences(drill));
        report.put("dataLossWindow", dataLossWindow(drill));
        report.put("environment", environment(drill));
        return redactStrings(report, drill.redaction());
    }

    /** Returns the earliest instant on the drill's timeline, or its creation time when nothing was recorded. */
    static Instant startedAt(Drill drill) {
        return Stream.concat(drill.phases().stream().map(PhaseRecord::startedAt), drill.events().stream().map(DrillEvent::at))
                .min(Instant::compareTo)
                .orElse(drill.createdAt());
    }

    /** Returns the drill's environment plus the harness version, sorted by key. */
    static SortedMap<String, String> environment(Drill drill) {
        SortedMap<String, String> environment = new TreeMap<>(drill.environment());
        environment.putIfAbsent(HarnessVersion.ENVIRONMENT_KEY, HarnessVersion.current());
        return environment;
    }

    private static List<Map<String, Object>> events(Drill drill) {
        Instant origin = startedAt(drill);
        List<Map<String, Object>> events = new ArrayList<>();
        for (DrillEvent event : drill.events()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("at", event.at().toString());
            entry.put("offsetMillis", Duration.between(origin, event.at()).toMillis());
            entry.put("kind", event.kind());
            entry.put("description", event.description());
            entry.put("node", event.node());
            events.add(entry);
        }
        return events;
    }

    private static List<Map<String, Object>> states(Drill drill) {
        List<Map<String, Object>> states = new ArrayList<>();
        for (RecordedState recorded : drill.states()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("label", recorded.label());
            entry.put("platform", recorded.state().platform());
            entry.put("capturedAt", recorded.state().capturedAt().toString());
            List<Map<String, Object>> resources = new ArrayList<>();
            for (Resource resource : recorded.state().allResources()) {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("kind", resource.kind());
                item.put("name", resource.name());
                item.put("attributes", resource.attributes());
                resources.add(item);
            }
            entry.put("resources", resources);
            states.add(entry);
        }
        return states;
    }

    private static List<Map<String, Object>> differences(Drill drill) {
        List<Map<String, Object>> comparisons = new ArrayList<>();
        for (StateComparison comparison : StateComparison.ofDrill(drill)) {
            List<Map<String, Object>> items = new ArrayList<>();
            for (StateDifference difference : comparison.differences()) {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("type", difference.type().name().toLowerCase(java.util.Locale.ROOT));
                item.put("kind", difference.kind());
                item.put("name", difference.name());
                List<Map<String, Object>> changes = new ArrayList<>();
                for (StateDifference.AttributeChange change : difference.changes()) {
                    Map<String, Object> changed = new LinkedHashMap<>();
                    changed.put("attribute", change.attribute());
                    changed.put("before", change.before());
                    changed.put("after", change.after());
                    changes.add(changed);
                }
                item.put("changes", changes);
                items.add(item);
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("from", comparison.from().label());
            entry.put("to", comparison.to().label());
            entry.put("differences", items);
            comparisons.add(entry);
        }
        return comparisons;
    }

    private static Map<String, Object> dataLossWindow(Drill drill) {
        Map<String, Object> window = new LinkedHashMap<>();
        var check = drill.dataLossCheck();
        window.put("checked", check.isPresent());
        check.ifPresent(c -> {
            window.put("passed", c.passed());
            window.put("stateCapturedAt", c.stateCapturedAt().toString());
        });
        List<Map<String, Object>> canaries = new ArrayList<>();
        // The check covers the canaries recorded when it ran, so later ones are listed as unchecked.
        List<DataLossCheck.CanaryResult> results = check.map(DataLossCheck::results).orElse(List.of());
        for (Canary canary : drill.canaries()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("kind", canary.kind());
            entry.put("name", canary.name());
            entry.put("written", canary.written().label());
            entry.put("expectedAfterRestore", canary.expectedAfterRestore());
            results.stream().filter(r -> r.canary().equals(canary)).findFirst().ifPresentOrElse(result -> {
                entry.put("presentAfterRestore", result.present());
                entry.put("outcome", result.outcome());
            }, () -> entry.put("outcome", "not checked"));
            canaries.add(entry);
        }
        window.put("canaries", canaries);
        return window;
    }

    @SuppressWarnings("unchecked")
    private static <T> T redactStrings(T node, Redaction redaction) {
        if (node instanceof String text) {
            return (T) redaction.apply(text);
        }
        if (node instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((key, value) -> copy.put(redactStrings(key, redaction), redactStrings(value, redaction)));
            return (T) copy;
        }
        if (node instanceof List<?> list) {
            return (T) list.stream().map(item -> redactStrings(item, redaction)).toList();
        }
        return node;
    }
}
