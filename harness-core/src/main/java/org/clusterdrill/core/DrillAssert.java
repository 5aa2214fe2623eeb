package org.clusterdrill.core;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import org.assertj.core.api.AbstractAssert;

/** AssertJ assertions on a {@link Drill}'s recorded phases and canaries. */
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

    /**
     * Verifies that the restore went back exactly to the backup: every canary written before the
     * backup exists in {@code restored}, and every canary written after it is gone.
     *
     * <p>The result is also kept on the drill, so its report shows which canaries survived and
     * which vanished. The assertion fails when the drill recorded no canaries, because then it
     * would prove nothing.
     */
    public DrillAssert restoredToBackupPoint(ClusterState restored) {
        isNotNull();
        if (restored == null) {
            failWithMessage("Expected a state captured after the restore of drill '%s', but it was null", actual.name());
        }
        if (actual.canaries().isEmpty()) {
            failWithMessage("Expected drill '%s' to have canaries to check, but none were recorded. Record them with "
                    + "drill.canaryBeforeBackup(kind, name) and drill.canaryAfterBackup(kind, name).", actual.name());
        }
        DataLossCheck check = actual.checkDataLoss(restored);
        if (!check.passed()) {
            failWithMessage("%s", backupPointMessage(check));
        }
        return this;
    }

    private String backupPointMessage(DataLossCheck check) {
        List<String> lines = check.results().stream()
                .filter(result -> !result.matchesBackup())
                .map(DrillAssert::describeMismatch)
                .toList();
        return String.format("%nExpected drill '%s' to restore exactly to its backup, but %d of %d canaries do not match:%n%s",
                actual.name(), lines.size(), check.results().size(), lines.stream().collect(Collectors.joining("\n")));
    }

    private static String describeMismatch(DataLossCheck.CanaryResult result) {
        Canary canary = result.canary();
        String subject = "  - " + canary.kind() + " '" + canary.name() + "'";
        return canary.expectedAfterRestore()
                ? subject + " was written before the backup but is missing after the restore: data was lost"
                : subject + " was written after the backup but is still present: the restore did not go back to the backup";
    }
}
