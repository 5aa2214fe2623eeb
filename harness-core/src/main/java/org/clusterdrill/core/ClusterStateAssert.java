package org.clusterdrill.core;

import java.util.List;
import java.util.stream.Collectors;

import org.assertj.core.api.AbstractAssert;

/**
 * AssertJ assertions on a {@link ClusterState}. Get one from
 * {@link ClusterDrillAssertions#assertThat(ClusterState)}.
 */
public class ClusterStateAssert extends AbstractAssert<ClusterStateAssert, ClusterState> {

    protected ClusterStateAssert(ClusterState actual) {
        super(actual, ClusterStateAssert.class);
    }

    /**
     * Verifies that the actual state contains exactly the resources of {@code before}: no resource missing,
     * none added, and no compared attribute changed.
     *
     * <p>On failure the message lists each missing, added and changed resource, the last with
     * every differing attribute, and sets actual and expected so IDEs can show a diff.
     */
    public ClusterStateAssert preserves(ClusterState before) {
        isNotNull();
        if (before == null) {
            failWithMessage("Expected a state to compare with, but the state captured before the disaster was null");
        }
        List<StateDifference> differences = StateDifference.between(before, actual);
        if (!differences.isEmpty()) {
            failWithActualExpectedAndMessage(actual.describe(), before.describe(), "%s", preservationMessage(differences));
        }
        return this;
    }

    /** Verifies that the state contains a resource of the given kind and name. */
    public ClusterStateAssert contains(String kind, String name) {
        isNotNull();
        if (actual.resource(kind, name) == null) {
            failWithMessage("Expected the cluster state to contain %s '%s', but its %s resources are %s",
                    kind, name, kind, actual.names(kind));
        }
        return this;
    }

    /** Verifies that the state contains no resource of the given kind and name. */
    public ClusterStateAssert doesNotContain(String kind, String name) {
        isNotNull();
        if (actual.resource(kind, name) != null) {
            failWithMessage("Expected the cluster state not to contain %s '%s', but it does: %s",
                    kind, name, actual.resource(kind, name));
        }
        return this;
    }

    static String preservationMessage(List<StateDifference> differences) {
        long missing = differences.stream().filter(d -> d.type() == StateDifference.Type.MISSING).count();
        long added = differences.stream().filter(d -> d.type() == StateDifference.Type.ADDED).count();
        long changed = differences.stream().filter(d -> d.type() == StateDifference.Type.CHANGED).count();
        String details = differences.stream().map(d -> "  - " + d.describe()).collect(Collectors.joining("\n"));
        return String.format("%nExpected the cluster state to be preserved, but %d resource(s) are missing, "
                + "%d were added and %d changed:%n%s", missing, added, changed, details);
    }
}
