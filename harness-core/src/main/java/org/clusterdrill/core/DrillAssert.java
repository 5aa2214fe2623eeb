package org.clusterdrill.core;

import java.time.Duration;
import java.util.Optional;

import org.assertj.core.api.AbstractAssert;

/** AssertJ assertions on a {@link Drill}'s recorded phases. */
public class DrillAssert extends AbstractAssert<DrillAssert, Drill> {

    protected DrillAssert(Drill actual) {
        super(actual, DrillAssert.class);
    }

    /** Verifies that the drill recovered, from destroy to converged, within the given time. */
    public DrillAssert recoveredWithin(Duration limit) {
        isNotNull();
        Optional<Duration> recovery = actual.recoveryTime();
        if (recovery.isEmpty()) {
            failWithMessage("Expected drill '%s' to recover within %s, but it recorded no destroy phase followed by "
                    + "a restore or converge phase; recorded phases: %s", actual.name(), limit, actual.phases());
        } else if (recovery.get().compareTo(limit) > 0) {
            failWithMessage("Expected drill '%s' to recover within %d ms, but recovery took %d ms",
                    actual.name(), limit.toMillis(), recovery.get().toMillis());
        }
        return this;
    }

    /** Verifies that every recorded phase succeeded. */
    public DrillAssert hasNoFailedPhase() {
        isNotNull();
        actual.phases().stream().filter(p -> !p.succeeded()).findFirst().ifPresent(failed ->
                failWithMessage("Expected every phase of drill '%s' to succeed, but %s failed after %d ms",
                        actual.name(), failed.phase().label(), failed.duration().toMillis()));
        return this;
    }
}
