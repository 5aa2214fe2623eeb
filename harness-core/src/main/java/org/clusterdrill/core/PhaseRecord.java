package org.clusterdrill.core;

import java.time.Duration;
import java.time.Instant;

/**
 * One timed phase of a drill.
 *
 * @param phase which phase ran
 * @param startedAt when it started
 * @param duration how long it took, also when it failed
 * @param succeeded false when the phase ended with an exception
 * @param detail a short description, such as the node a backup was taken from; may be empty
 */
public record PhaseRecord(Phase phase, Instant startedAt, Duration duration, boolean succeeded, String detail) {

    /** Returns the instant at which the phase ended. */
    public Instant endedAt() {
        return startedAt.plus(duration);
    }
}
