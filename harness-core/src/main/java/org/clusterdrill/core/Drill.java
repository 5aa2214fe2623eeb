package org.clusterdrill.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The timeline of one disaster-recovery drill: which phases ran, when, for how long and whether
 * they succeeded, plus facts about the environment for the report.
 *
 * <p>Cluster operations such as backup and restore record their own phases. Test code records the
 * phases that only it can time, such as seeding:
 *
 * <pre>{@code
 * drill.phase(Phase.SEED, () -> swarm.leader().createSecret("db_password", password));
 * }</pre>
 *
 * <p>Instances are safe to use from several threads.
 */
public final class Drill {

    private static final Logger LOG = LoggerFactory.getLogger(Drill.class);

    private final String name;
    private final List<PhaseRecord> phases = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, String> environment = Collections.synchronizedMap(new TreeMap<>());

    public Drill(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** Runs an action as the given phase, records its duration and rethrows what it throws. */
    public void phase(Phase phase, ThrowingRunnable action) {
        phase(phase, "", () -> {
            action.run();
            return null;
        });
    }

    /** Runs an action as the given phase with a detail for the report, and returns its result. */
    public <T> T phase(Phase phase, String detail, Callable<T> action) {
        Instant startedAt = Instant.now();
        long start = System.nanoTime();
        boolean succeeded = false;
        try {
            T result = action.call();
            succeeded = true;
            return result;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("Drill phase " + phase.label() + " failed: " + e.getMessage(), e);
        } finally {
            Duration duration = Duration.ofNanos(System.nanoTime() - start);
            record(new PhaseRecord(phase, startedAt, duration, succeeded, detail));
        }
    }

    /** Records a phase that was timed elsewhere, such as a cluster start before the test. */
    public void record(PhaseRecord phase) {
        phases.add(phase);
        LOG.info("Drill '{}': phase {} {} in {} ms{}", name, phase.phase().label(),
                phase.succeeded() ? "finished" : "failed", phase.duration().toMillis(),
                phase.detail().isEmpty() ? "" : " (" + phase.detail() + ")");
    }

    /** Returns the recorded phases in the order they ended. */
    public List<PhaseRecord> phases() {
        synchronized (phases) {
            return List.copyOf(phases);
        }
    }

    /** Returns the total time spent in a phase, summed over every time it ran. */
    public Duration duration(Phase phase) {
        return phases().stream().filter(p -> p.phase() == phase).map(PhaseRecord::duration).reduce(Duration.ZERO, Duration::plus);
    }

    /**
     * Returns the recovery time: from the start of the first destroy phase to the end of the last
     * restore or converge phase, or empty when the drill has not recovered from a disaster.
     */
    public Optional<Duration> recoveryTime() {
        List<PhaseRecord> recorded = phases();
        Optional<Instant> disaster = recorded.stream().filter(p -> p.phase() == Phase.DESTROY)
                .map(PhaseRecord::startedAt).min(Instant::compareTo);
        Optional<Instant> recovered = recorded.stream()
                .filter(p -> p.phase() == Phase.RESTORE || p.phase() == Phase.CONVERGE)
                .map(PhaseRecord::endedAt).max(Instant::compareTo);
        if (disaster.isEmpty() || recovered.isEmpty() || recovered.get().isBefore(disaster.get())) {
            return Optional.empty();
        }
        return Optional.of(Duration.between(disaster.get(), recovered.get()));
    }

    /** Adds a fact about the environment to the report, such as the engine version. */
    public void environment(String key, String value) {
        environment.put(key, value);
    }

    public Map<String, String> environment() {
        synchronized (environment) {
            return Map.copyOf(environment);
        }
    }

    /** An action that may throw a checked exception. */
    @FunctionalInterface
    public interface ThrowingRunnable {
        void run() throws Exception;
    }
}
