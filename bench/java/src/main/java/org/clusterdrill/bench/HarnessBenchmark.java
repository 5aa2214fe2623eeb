package org.clusterdrill.bench;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Times {@code @SwarmCluster} against the hand-written scripts in bench/, alternating the two in
 * each round so that load from other work on the machine hits both alike, and prints each
 * phase's median, the ratio harness/script, the JVM's peak memory and each idle node's memory.
 *
 * <p>Arguments: {@code --scripts DIR} (default {@code bench}), {@code --start-runs N} (default 3),
 * {@code --drill-runs N} (default 3). All harness runs share this JVM, after one warm-up start
 * whose time is printed but left out of the medians. Exits with 1 when any run failed.
 */
public final class HarnessBenchmark {

    private final Launcher launcher = LauncherFactory.create();
    private final ScriptRunner scripts;
    private final Map<Scenario, List<RunResult>> harnessRuns = new LinkedHashMap<>();
    private final Map<Scenario, List<RunResult>> scriptRuns = new LinkedHashMap<>();
    private int failedRuns;

    private HarnessBenchmark(Path scriptFolder) {
        this.scripts = new ScriptRunner(scriptFolder);
    }

    public static void main(String[] args) {
        Map<String, String> options = options(args);
        HarnessBenchmark benchmark = new HarnessBenchmark(Path.of(options.getOrDefault("--scripts", "bench")));
        int startRuns = positive(options, "--start-runs", 3);
        int drillRuns = positive(options, "--drill-runs", 3);

        RunResult warmUp = benchmark.runHarness(Scenario.START_3, 0);
        System.out.printf("warm-up harness start3 (first cluster of this JVM): %s%n", describe(warmUp));
        for (Scenario scenario : Scenario.TIMED) {
            int runs = scenario == Scenario.DRILL ? drillRuns : startRuns;
            for (int run = 1; run <= runs; run++) {
                // Alternating which side goes first spreads slow moments of a shared machine over both.
                if (run % 2 == 1) {
                    benchmark.runScript(scenario, run);
                    benchmark.runHarness(scenario, run);
                } else {
                    benchmark.runHarness(scenario, run);
                    benchmark.runScript(scenario, run);
                }
            }
        }
        for (Scenario scenario : Scenario.MEMORY) {
            benchmark.runScript(scenario, 1);
            benchmark.runHarness(scenario, 1);
        }

        Summary summary = new Summary(benchmark.harnessRuns, benchmark.scriptRuns);
        summary.printTimes(System.out);
        summary.printNodeMemory(System.out);
        JvmMemory.read().print(System.out);
        if (benchmark.failedRuns > 0) {
            System.out.printf("%d runs failed; their errors are above and in the error output%n", benchmark.failedRuns);
            System.exit(1);
        }
    }

    private RunResult runHarness(Scenario scenario, int run) {
        TimingListener listener = new TimingListener();
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(scenario.harnessClass())).build(),
                listener);
        RunResult result = listener.result();
        if (run > 0) {
            record(harnessRuns, scenario, "harness", run, result);
        }
        return result;
    }

    private void runScript(Scenario scenario, int run) {
        int idleSeconds = Scenario.MEMORY.contains(scenario) ? IdleNodeMemory.IDLE_SECONDS : 0;
        record(scriptRuns, scenario, "script", run, scripts.run(scenario.script(), scenario.scriptArguments(), idleSeconds));
    }

    private void record(Map<Scenario, List<RunResult>> runs, Scenario scenario, String side, int run, RunResult result) {
        runs.computeIfAbsent(scenario, key -> new ArrayList<>()).add(result);
        System.out.printf("%s %-7s run %d: %s%n", scenario.name(), side, run, describe(result));
        System.out.flush();
        if (!result.succeeded()) {
            failedRuns++;
            result.failures().forEach(failure -> failure.printStackTrace(System.err));
        }
    }

    private static String describe(RunResult result) {
        if (!result.succeeded()) {
            return "FAILED: " + result.failures().get(0);
        }
        List<String> parts = new ArrayList<>();
        result.phaseSeconds().forEach((phase, seconds) -> parts.add(String.format("%s %.2f s", phase, seconds)));
        result.memoryBytes().forEach((node, bytes) -> parts.add(String.format("%s %.1f MiB", node, bytes / 1048576.0)));
        return String.join(", ", parts);
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!List.of("--scripts", "--start-runs", "--drill-runs").contains(args[i]) || i + 1 >= args.length) {
                throw new IllegalArgumentException("Invalid argument '" + args[i] + "'; usage: HarnessBenchmark "
                        + "[--scripts DIR] [--start-runs N] [--drill-runs N]");
            }
            options.put(args[i], args[i + 1]);
        }
        return options;
    }

    private static int positive(Map<String, String> options, String name, int fallback) {
        String value = options.get(name);
        try {
            int parsed = value == null ? fallback : Integer.parseInt(value);
            if (parsed < 1) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a positive whole number of runs, not '" + value + "'", e);
        }
    }
}
