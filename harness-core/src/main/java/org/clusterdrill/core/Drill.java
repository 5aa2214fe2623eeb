package org.clusterdrill.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The timeline of one disaster-recovery drill: which phases ran, when, for how long and whether
 * they succeeded, and the events in between. A drill also keeps the cluster states captured along
 * the way, the canaries that measure data loss and facts about the environment for the report.
 *
 * <p>Cluster operations such as backup and restore record their own phases. Test code records the
 * phases that only it can time, such as seeding, and the faults it injects:
 *
 * <pre>{@code
 * drill.redact(password);
 * drill.phase(Phase.SEED, () -> swarm.leader().createSecret("db_password", password));
 * drill.recordState("before", swarm.captureState());
 * drill.event(DrillEvent.FAULT, "engine killed", "manager-2");
 * }</pre>
 *
 * <p>Instances are safe to use from several threads.
 */
public final class Drill {

    private static final Logger LOG = LoggerFactory.getLogger(Drill.class);

    private final String name;
    private final List<PhaseRecord> phases = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, String> environment = Collections.synchronizedMap(new TreeMap<>());
    private final List<DrillEvent> events = Collections.synchronizedList(new ArrayList<>());
    private final List<RecordedState> states = Collections.synchronizedList(new ArrayList<>());
    private final List<Canary> canaries = Collections.synchronizedList(new ArrayList<>());
    private final Redaction redaction = new Redaction();
    private final Instant createdAt = Instant.now();
    private volatile DataLossCheck dataLossCheck;

    public Drill(String name) {
        this.name = name;
    }

    /** Returns when this drill object was created, which is usually when its test method started. */
    public Instant createdAt() {
        return createdAt;
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
                phase.detail().isEmpty() ? "" : " (" + redaction.apply(phase.detail()) + ")");
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

    /** Records an event that concerns no single node, such as {@code event(DrillEvent.NOTE, "backup copied off-site")}. */
    public void event(String kind, String description) {
        event(kind, description, "");
    }

    /** Records an event that hit one node now, such as {@code event(DrillEvent.FAULT, "engine killed", "manager-2")}. */
    public void event(String kind, String description, String node) {
        record(new DrillEvent(Instant.now(), kind, description, node));
    }

    /** Records an event that happened at another instant, such as one read from a log. */
    public void record(DrillEvent event) {
        events.add(Objects.requireNonNull(event, "event"));
        LOG.info("Drill '{}': {} {}{}", name, event.kind(), redaction.apply(event.description()),
                event.node().isEmpty() ? "" : " on " + event.node());
    }

    /** Returns the recorded events in the order they were recorded. */
    public List<DrillEvent> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /**
     * Records a captured cluster state under a label, such as {@code "before"} or {@code "after"}.
     * The report compares every later state with the first one.
     *
     * @throws IllegalArgumentException when the drill already has a state with that label
     */
    public void recordState(String label, ClusterState state) {
        RecordedState recorded = new RecordedState(label, state);
        synchronized (states) {
            if (states.stream().anyMatch(s -> s.label().equals(label))) {
                throw new IllegalArgumentException("Drill '" + name + "' already has a state labelled '" + label
                        + "'; give each recorded state its own label, for example \"after-restore\"");
            }
            states.add(recorded);
        }
    }

    /** Returns the recorded states in the order they were recorded. */
    public List<RecordedState> states() {
        synchronized (states) {
            return List.copyOf(states);
        }
    }

    /** Returns the state recorded under a label, if any. */
    public Optional<ClusterState> state(String label) {
        return states().stream().filter(s -> s.label().equals(label)).map(RecordedState::state).findFirst();
    }

    /**
     * Records a canary that the test wrote before the backup, so a restore must bring it back.
     *
     * @param kind the resource's kind in {@link ClusterState}, for example {@code "config"}
     * @param name the resource's name
     * @throws IllegalStateException when the drill has already recorded a successful backup phase
     */
    public void canaryBeforeBackup(String kind, String name) {
        if (hasSucceededBackup()) {
            throw new IllegalStateException("Canary " + kind + " '" + name + "' of drill '" + this.name
                    + "' cannot count as written before the backup, because a backup phase has already finished. "
                    + "Write it before the backup, or record it with canaryAfterBackup.");
        }
        addCanary(new Canary(kind, name, Canary.Written.BEFORE_BACKUP));
    }

    /**
     * Records a canary that the test wrote after the backup, so a restore from that backup must lose it.
     *
     * <p>NOTE: with several backups in one drill, canaries count relative to the first successful one.
     *
     * @param kind the resource's kind in {@link ClusterState}, for example {@code "config"}
     * @param name the resource's name
     * @throws IllegalStateException when the drill has not recorded a successful backup phase yet
     */
    public void canaryAfterBackup(String kind, String name) {
        if (!hasSucceededBackup()) {
            throw new IllegalStateException("Canary " + kind + " '" + name + "' of drill '" + this.name
                    + "' cannot count as written after the backup, because no backup phase has finished yet. "
                    + "Take the backup first, or record it with canaryBeforeBackup.");
        }
        addCanary(new Canary(kind, name, Canary.Written.AFTER_BACKUP));
    }

    private boolean hasSucceededBackup() {
        return phases().stream().anyMatch(p -> p.phase() == Phase.BACKUP && p.succeeded());
    }

    private void addCanary(Canary canary) {
        synchronized (canaries) {
            if (canaries.stream().anyMatch(c -> c.kind().equals(canary.kind()) && c.name().equals(canary.name()))) {
                throw new IllegalArgumentException("Drill '" + name + "' already has a canary " + canary.kind()
                        + " '" + canary.name() + "'; give each canary its own name");
            }
            canaries.add(canary);
        }
    }

    /** Returns the recorded canaries in the order they were recorded. */
    public List<Canary> canaries() {
        synchronized (canaries) {
            return List.copyOf(canaries);
        }
    }

    /**
     * Compares every canary with the state after a restore, keeps the result for the report and
     * returns it. A later call replaces the kept result.
     */
    public DataLossCheck checkDataLoss(ClusterState restored) {
        DataLossCheck check = DataLossCheck.of(canaries(), restored);
        dataLossCheck = check;
        return check;
    }

    /** Returns the result of the last {@link #checkDataLoss(ClusterState)}, or empty when none ran. */
    public Optional<DataLossCheck> dataLossCheck() {
        return Optional.ofNullable(dataLossCheck);
    }

    /**
     * Registers a value, such as a secret's plain text, that the drill's reports and log lines must
     * not show. Reports replace every occurrence in any text with {@value Redaction#MASK}.
     *
     * @throws IllegalArgumentException when the value is null or blank, because masking it would hide nothing useful
     */
    public void redact(String value) {
        redaction.add(value);
    }

    /** Returns the text with every value registered through {@link #redact} masked, for logs and files of other modules. */
    public String redacted(String text) {
        return redaction.apply(text);
    }

    /** Returns the redaction that reports of this drill apply to every string they write. */
    Redaction redaction() {
        return redaction;
    }

    /** An action that may throw a checked exception. */
    @FunctionalInterface
    public interface ThrowingRunnable {
        void run() throws Exception;
    }
}
