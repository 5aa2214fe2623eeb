package org.clusterdrill.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One measured run of a scenario, by the harness or by a script.
 *
 * @param phaseSeconds each phase's duration in seconds, in the order the phases ran
 * @param memoryBytes each node's memory usage in bytes, empty unless the run measured it
 * @param failures what made the run fail; an empty list means it succeeded
 */
record RunResult(Map<String, Double> phaseSeconds, Map<String, Long> memoryBytes, List<Throwable> failures) {

    RunResult {
        phaseSeconds = Collections.unmodifiableMap(new LinkedHashMap<>(phaseSeconds));
        memoryBytes = Collections.unmodifiableMap(new LinkedHashMap<>(memoryBytes));
        failures = List.copyOf(failures);
    }

    boolean succeeded() {
        return failures.isEmpty();
    }
}
