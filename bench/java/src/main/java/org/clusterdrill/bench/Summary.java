package org.clusterdrill.bench;

import java.io.PrintStream;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Medians, ratios and targets over the runs of every scenario, printed as plain-text tables. */
final class Summary {

    /** Each idle node should use less than this, in bytes. */
    static final long NODE_MEMORY_TARGET_BYTES = 64L << 20;

    private final Map<Scenario, List<RunResult>> harnessRuns;
    private final Map<Scenario, List<RunResult>> scriptRuns;

    Summary(Map<Scenario, List<RunResult>> harnessRuns, Map<Scenario, List<RunResult>> scriptRuns) {
        this.harnessRuns = harnessRuns;
        this.scriptRuns = scriptRuns;
    }

    void printTimes(PrintStream out) {
        out.println();
        out.println("Median seconds over the successful runs (runs: harness/script)");
        out.printf("%-8s %-8s %-6s %9s %9s %8s  %s%n", "scenario", "phase", "runs", "script", "harness", "ratio", "target");
        for (Scenario scenario : Scenario.TIMED) {
            List<RunResult> harness = successful(harnessRuns.get(scenario));
            List<RunResult> script = successful(scriptRuns.get(scenario));
            for (String phase : phases(script, harness)) {
                double scriptMedian = median(script, phase);
                double harnessMedian = median(harness, phase);
                double ratio = harnessMedian / scriptMedian;
                String target = "";
                if (phase.equals(scenario.targetPhase())) {
                    target = String.format("<= %.1f, %s", scenario.targetRatio(), ratio <= scenario.targetRatio() ? "met" : "missed");
                }
                out.printf("%-8s %-8s %-6s %9.2f %9.2f %8.2f  %s%n", scenario.name(), phase,
                        harness.size() + "/" + script.size(), scriptMedian, harnessMedian, ratio, target);
            }
        }
    }

    void printNodeMemory(PrintStream out) {
        out.println();
        out.printf("Memory of each idle node after %d s, MiB from docker stats (target: below %d MiB)%n",
                IdleNodeMemory.IDLE_SECONDS, NODE_MEMORY_TARGET_BYTES >> 20);
        out.printf("%-8s %-10s %8s %8s  %s%n", "scenario", "node", "script", "harness", "target");
        for (Scenario scenario : Scenario.MEMORY) {
            Map<String, Long> harness = firstMemory(harnessRuns.get(scenario));
            Map<String, Long> script = firstMemory(scriptRuns.get(scenario));
            Set<String> nodes = new java.util.TreeSet<>(harness.keySet());
            nodes.addAll(script.keySet());
            for (String node : nodes) {
                long harnessBytes = harness.getOrDefault(node, -1L);
                long scriptBytes = script.getOrDefault(node, -1L);
                String target = harnessBytes < 0 ? "not measured"
                        : harnessBytes < NODE_MEMORY_TARGET_BYTES ? "met" : "missed";
                out.printf("%-8s %-10s %8s %8s  %s%n", scenario.name(), node, mebibytes(scriptBytes), mebibytes(harnessBytes),
                        target);
            }
        }
    }

    private static List<RunResult> successful(List<RunResult> runs) {
        return runs == null ? List.of() : runs.stream().filter(RunResult::succeeded).toList();
    }

    private static Set<String> phases(List<RunResult> script, List<RunResult> harness) {
        Set<String> phases = new LinkedHashSet<>();
        script.forEach(run -> phases.addAll(run.phaseSeconds().keySet()));
        harness.forEach(run -> phases.addAll(run.phaseSeconds().keySet()));
        return phases;
    }

    /** Returns the median of a phase over the runs that have it, or NaN when none has it. */
    static double median(List<RunResult> runs, String phase) {
        double[] values = runs.stream().filter(run -> run.phaseSeconds().containsKey(phase))
                .mapToDouble(run -> run.phaseSeconds().get(phase)).sorted().toArray();
        if (values.length == 0) {
            return Double.NaN;
        }
        int middle = values.length / 2;
        return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    private static Map<String, Long> firstMemory(List<RunResult> runs) {
        return successful(runs).stream().map(RunResult::memoryBytes).filter(memory -> !memory.isEmpty())
                .findFirst().orElse(Map.of());
    }

    private static String mebibytes(long bytes) {
        return bytes < 0 ? "-" : String.format("%.1f", bytes / 1048576.0);
    }
}
