package org.clusterdrill.k8s;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A backup of a cluster's objects through the Kubernetes API: one multi-document YAML file per
 * kind, in the order a restore applies them. The files contain Secrets in clear text (base64), so
 * they and their folder are readable by their owner only.
 *
 * @param directory the folder that contains the files
 * @param files the YAML files in restore order
 * @param sha256ByFile each file's SHA-256 by file name, checked again before a restore
 * @param objectCounts how many objects each kind has, by kind
 * @param createdAt when the export finished
 */
public record ApiExport(Path directory, List<Path> files, Map<String, String> sha256ByFile,
                        Map<String, Integer> objectCounts, Instant createdAt) {

    public ApiExport {
        files = List.copyOf(files);
        sha256ByFile = Map.copyOf(sha256ByFile);
        objectCounts = Map.copyOf(objectCounts);
    }

    /** Returns the number of exported objects of every kind. */
    public int objectCount() {
        return objectCounts.values().stream().mapToInt(Integer::intValue).sum();
    }
}
