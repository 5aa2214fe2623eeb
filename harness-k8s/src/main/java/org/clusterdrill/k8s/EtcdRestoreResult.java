package org.clusterdrill.k8s;

/**
 * The outcome of an etcd snapshot restore on one member.
 *
 * @param member the restored member's name
 * @param tool {@code etcdutl} or {@code etcdctl}, whichever restored the snapshot
 * @param toolVersion the tool's version
 * @param revisionBump how much the restore raised the revision; 0 when the tool cannot
 * @param markedCompacted whether the restore marked the old revisions as compacted
 * @param note why the revision was not bumped, or empty
 */
public record EtcdRestoreResult(String member, String tool, String toolVersion, long revisionBump, boolean markedCompacted,
                                String note) {

    public boolean revisionBumped() {
        return revisionBump > 0;
    }
}
