package org.clusterdrill.k8s;

import java.nio.file.Path;
import java.time.Instant;

/**
 * An etcd snapshot taken with {@code etcdctl snapshot save} and copied out of the member's container.
 *
 * @param file the snapshot file; readable by its owner only
 * @param sha256 the file's SHA-256, checked again before a restore
 * @param revision the latest revision in the snapshot, from {@code snapshot status}
 * @param totalKeys the number of keys in the snapshot, from {@code snapshot status}
 * @param member the name of the member the snapshot was taken from
 * @param etcdVersion the version that {@code etcdctl version} printed
 * @param createdAt when the snapshot was copied out
 */
public record EtcdSnapshot(Path file, String sha256, long revision, long totalKeys, String member, String etcdVersion,
                           Instant createdAt) {
}
