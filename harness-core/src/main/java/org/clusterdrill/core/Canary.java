package org.clusterdrill.core;

import java.util.Objects;

/**
 * A resource that a drill writes only to learn whether a restore lost it: one written before the
 * backup must exist after the restore, and one written after the backup must be gone.
 *
 * @param kind the resource's kind in {@link ClusterState}, for example {@code "config"}
 * @param name the resource's name
 * @param written whether the resource was written before or after the backup
 */
public record Canary(String kind, String name, Written written) {

    /** When a canary was written, relative to the backup the drill restores from. */
    public enum Written {
        BEFORE_BACKUP, AFTER_BACKUP;

        /** Returns the value in lower case with a hyphen, as used in reports: {@code before-backup}. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    public Canary {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(written, "written");
    }

    /** Returns whether a restore from the backup must bring this canary back. */
    public boolean expectedAfterRestore() {
        return written == Written.BEFORE_BACKUP;
    }
}
