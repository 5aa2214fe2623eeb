package org.clusterdrill.bench;

import java.util.function.Supplier;

import org.junit.jupiter.api.TestReporter;

/**
 * Times the phases of a benchmark test and publishes each duration as a JUnit report entry, which
 * {@link TimingListener} collects.
 */
final class PhaseTimer {

    /** Report entry with the {@link System#nanoTime()} at which the test method began. */
    static final String ENTERED = "bench.entered.nanos";
    /** Prefix of the report entries that carry a phase's duration in nanoseconds. */
    static final String PHASE_PREFIX = "bench.phase.";
    /** Prefix of the report entries that carry a node's memory usage in bytes. */
    static final String MEMORY_PREFIX = "bench.memory.";

    private final TestReporter reporter;

    private PhaseTimer(TestReporter reporter) {
        this.reporter = reporter;
    }

    /** Publishes the current time as the moment the cluster was ready and returns a timer. */
    static PhaseTimer enteredNow(TestReporter reporter) {
        reporter.publishEntry(ENTERED, String.valueOf(System.nanoTime()));
        return new PhaseTimer(reporter);
    }

    void time(String phase, Runnable action) {
        timeAndGet(phase, () -> {
            action.run();
            return null;
        });
    }

    <T> T timeAndGet(String phase, Supplier<T> action) {
        long start = System.nanoTime();
        T result = action.get();
        reporter.publishEntry(PHASE_PREFIX + phase, String.valueOf(System.nanoTime() - start));
        return result;
    }

    void publishMemory(String node, long bytes) {
        reporter.publishEntry(MEMORY_PREFIX + node, String.valueOf(bytes));
    }
}
