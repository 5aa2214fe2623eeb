package org.clusterdrill.swarm;

import java.time.Duration;
import java.time.Instant;

/**
 * A fault that the harness injected into a node, for the drill timeline.
 *
 * @param at when the fault started
 * @param node the node it hit
 * @param action what was done, for example {@code "stop engine"} or {@code "disconnect"}
 * @param duration how long the action took until it had effect
 */
public record Fault(Instant at, String node, String action, Duration duration) {

    @Override
    public String toString() {
        return action + " on " + node + " at " + at + " (" + duration.toMillis() + " ms)";
    }
}
