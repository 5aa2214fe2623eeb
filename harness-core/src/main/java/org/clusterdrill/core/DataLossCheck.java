package org.clusterdrill.core;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The result of comparing a drill's canaries with the state after a restore. The check passes
 * when the restore went back exactly to the backup: every canary written before the backup exists,
 * and every canary written after it is gone.
 *
 * @param stateCapturedAt when the compared state was captured
 * @param results one result per canary, in the order the canaries were recorded
 */
public record DataLossCheck(Instant stateCapturedAt, List<CanaryResult> results) {

    /**
     * One canary and whether the restored state contains it.
     *
     * @param canary the canary
     * @param present whether the restored state contains a resource of the canary's kind and name
     */
    public record CanaryResult(Canary canary, boolean present) {

        /** Returns whether the canary is present exactly when a restore from the backup must bring it back. */
        public boolean matchesBackup() {
            return present == canary.expectedAfterRestore();
        }

        /**
         * Describes the outcome in a few words: {@code survived} or {@code vanished}, followed by
         * {@code as expected} or {@code unexpectedly}.
         */
        public String outcome() {
            return (present ? "survived" : "vanished") + (matchesBackup() ? " as expected" : " unexpectedly");
        }
    }

    public DataLossCheck {
        Objects.requireNonNull(stateCapturedAt, "stateCapturedAt");
        results = List.copyOf(results);
    }

    /** Compares every canary with the restored state. */
    public static DataLossCheck of(List<Canary> canaries, ClusterState restored) {
        Objects.requireNonNull(restored, "restored");
        List<CanaryResult> results = canaries.stream()
                .map(canary -> new CanaryResult(canary, restored.resource(canary.kind(), canary.name()) != null))
                .toList();
        return new DataLossCheck(restored.capturedAt(), results);
    }

    /** Returns whether every canary matches the backup, which is also true when the drill has no canaries. */
    public boolean passed() {
        return results.stream().allMatch(CanaryResult::matchesBackup);
    }

    /** Returns canaries written before the backup that the restore lost. */
    public List<Canary> lost() {
        return results.stream().filter(r -> !r.present() && r.canary().expectedAfterRestore()).map(CanaryResult::canary).toList();
    }

    /** Returns canaries written after the backup that are still present, so the restore did not go back to the backup. */
    public List<Canary> unexpectedlyPresent() {
        return results.stream().filter(r -> r.present() && !r.canary().expectedAfterRestore()).map(CanaryResult::canary).toList();
    }
}
