package org.clusterdrill.core;

import java.util.Objects;

/**
 * A cluster state that a drill captured at one point, under a label such as {@code "before"} or
 * {@code "after"}.
 *
 * @param label the name the report shows for this state, unique within the drill
 * @param state the captured state
 */
public record RecordedState(String label, ClusterState state) {

    public RecordedState {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(state, "state");
        if (label.isBlank()) {
            throw new IllegalArgumentException("State label must not be blank; use for example \"before\" or \"after\"");
        }
    }
}
