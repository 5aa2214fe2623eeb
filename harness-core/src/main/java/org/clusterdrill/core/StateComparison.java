package org.clusterdrill.core;

import java.util.ArrayList;
import java.util.List;

/**
 * The differences from a drill's first recorded state to one of its later states, as reports show them.
 *
 * @param from the first recorded state, such as {@code "before"}
 * @param to a later recorded state, such as {@code "after"}
 * @param differences every difference from {@code from} to {@code to}, ordered by kind and name
 */
record StateComparison(RecordedState from, RecordedState to, List<StateDifference> differences) {

    StateComparison {
        differences = List.copyOf(differences);
    }

    /** Compares every recorded state after the first with the first; empty when fewer than two were recorded. */
    static List<StateComparison> ofDrill(Drill drill) {
        List<RecordedState> states = drill.states();
        List<StateComparison> comparisons = new ArrayList<>();
        for (int i = 1; i < states.size(); i++) {
            RecordedState first = states.get(0);
            RecordedState later = states.get(i);
            comparisons.add(new StateComparison(first, later, StateDifference.between(first.state(), later.state())));
        }
        return comparisons;
    }
}
