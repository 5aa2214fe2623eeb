package org.clusterdrill.k8s;

/** The action of an API restore for an exported object that already exists in the target cluster. */
public enum ExistingObjectPolicy {
    /** Apply nothing and fail, naming every object that exists. The default. */
    FAIL,
    /** Replace the existing object with the exported one. */
    UPDATE,
    /** Keep the existing object and leave the exported one out. */
    SKIP
}
