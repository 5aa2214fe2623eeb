package org.clusterdrill.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects one benchmark class's timings from the JUnit Platform. The cluster start is the time
 * from the class's start, before {@code @SwarmCluster}'s extension runs, to the test method's
 * first line; the other phases come from {@link PhaseTimer}'s report entries.
 */
final class TimingListener implements TestExecutionListener {

    private static final Logger LOG = LoggerFactory.getLogger(TimingListener.class);

    private final Map<String, Double> phaseSeconds = new LinkedHashMap<>();
    private final Map<String, Long> memoryBytes = new LinkedHashMap<>();
    private final List<Throwable> failures = new ArrayList<>();
    private long classStartedNanos;

    @Override
    public void executionStarted(TestIdentifier identifier) {
        if (isClass(identifier)) {
            // Logged so that the harness's own log lines can be read against the class's start.
            LOG.info("Benchmark class {} started", identifier.getDisplayName());
            classStartedNanos = System.nanoTime();
        }
    }

    @Override
    public void reportingEntryPublished(TestIdentifier identifier, ReportEntry entry) {
        entry.getKeyValuePairs().forEach((key, value) -> {
            if (key.equals(PhaseTimer.ENTERED)) {
                phaseSeconds.put("start", seconds(Long.parseLong(value) - classStartedNanos));
            } else if (key.startsWith(PhaseTimer.PHASE_PREFIX)) {
                phaseSeconds.put(key.substring(PhaseTimer.PHASE_PREFIX.length()), seconds(Long.parseLong(value)));
            } else if (key.startsWith(PhaseTimer.MEMORY_PREFIX)) {
                memoryBytes.put(key.substring(PhaseTimer.MEMORY_PREFIX.length()), Long.parseLong(value));
            }
        });
    }

    @Override
    public void executionFinished(TestIdentifier identifier, TestExecutionResult result) {
        if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
            failures.add(result.getThrowable().orElseGet(
                    () -> new IllegalStateException(identifier.getDisplayName() + " ended with status " + result.getStatus())));
        }
    }

    /** Returns the run's result, with a total when the test reported more than the start phase. */
    RunResult result() {
        Map<String, Double> phases = new LinkedHashMap<>(phaseSeconds);
        if (phases.size() > 1) {
            phases.put("total", phases.values().stream().mapToDouble(Double::doubleValue).sum());
        }
        return new RunResult(phases, memoryBytes, failures);
    }

    private static boolean isClass(TestIdentifier identifier) {
        return identifier.isContainer() && identifier.getSource().filter(ClassSource.class::isInstance).isPresent();
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
