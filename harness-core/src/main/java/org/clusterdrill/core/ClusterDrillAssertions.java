package org.clusterdrill.core;

import java.time.Duration;

/**
 * Entry point for Cluster Drill's AssertJ assertions, to import statically next to AssertJ's own.
 */
public final class ClusterDrillAssertions {

    private ClusterDrillAssertions() {
    }

    /** Starts assertions on a captured cluster state, for example {@code .preserves(before)}. */
    public static ClusterStateAssert assertThat(ClusterState actual) {
        return new ClusterStateAssert(actual);
    }

    /** Starts assertions on a drill's recorded phases. */
    public static DrillAssert assertThat(Drill actual) {
        return new DrillAssert(actual);
    }

    /** Shorthand for a number of seconds, for {@code recoveredWithin(seconds(60))}. */
    public static Duration seconds(long seconds) {
        return Duration.ofSeconds(seconds);
    }
}
