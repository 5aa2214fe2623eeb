package org.clusterdrill.k8s;

import java.util.List;

/**
 * The outcome of an API restore, each object written as {@code Kind namespace/name}.
 *
 * @param created objects that did not exist and were created
 * @param updated objects that existed and were replaced ({@link ExistingObjectPolicy#UPDATE})
 * @param skipped objects that existed and were kept ({@link ExistingObjectPolicy#SKIP})
 */
public record ApiRestoreReport(List<String> created, List<String> updated, List<String> skipped) {

    public ApiRestoreReport {
        created = List.copyOf(created);
        updated = List.copyOf(updated);
        skipped = List.copyOf(skipped);
    }
}
