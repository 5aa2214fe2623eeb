package org.clusterdrill.core;

import java.time.Instant;
import java.util.Objects;

/**
 * Something that happened at one instant of a drill, such as an injected fault or a note from the
 * test, shown on the report's timeline between the phases.
 *
 * @param at when it happened
 * @param kind what sort of event it is, for example {@link #FAULT} or {@link #NOTE}
 * @param description a short description, shown on the timeline and in the report
 * @param node the node it hit, or an empty string when it concerns no single node
 */
public record DrillEvent(Instant at, String kind, String description, String node) {

    /** Kind of an event that injects a failure, such as killing a node or cutting a network. */
    public static final String FAULT = "fault";

    /** Kind of an event that only records an observation. */
    public static final String NOTE = "note";

    public DrillEvent {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(description, "description");
        node = node == null ? "" : node;
        if (kind.isBlank()) {
            throw new IllegalArgumentException("Event kind must not be blank; use for example \"" + FAULT + "\" or \"" + NOTE + "\"");
        }
    }
}
