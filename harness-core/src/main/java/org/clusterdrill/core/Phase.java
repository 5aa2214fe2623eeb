package org.clusterdrill.core;

/** The phases of a disaster-recovery drill, in the order a drill normally runs them. */
public enum Phase {
    /** Starting the cluster's nodes and forming the cluster. */
    START,
    /** Creating the objects that the drill expects to survive. */
    SEED,
    /** Taking the backup. */
    BACKUP,
    /** The disaster: removing nodes and their state. */
    DESTROY,
    /** Bringing the cluster back from the backup, up to the original topology. */
    RESTORE,
    /** Waiting until every workload runs as desired again. */
    CONVERGE,
    /** Capturing the state after recovery and comparing it with the state before. */
    VERIFY;

    /** Returns the phase's name in lower case, as used in reports. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
