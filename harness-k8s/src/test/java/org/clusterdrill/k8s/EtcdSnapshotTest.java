package org.clusterdrill.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshot save and restore against a real etcd member: Debian's etcd in the locally built
 * {@code clusterdrill/etcd:bookworm} image. Each test starts from a fresh data directory.
 */
class EtcdSnapshotTest {

    private static EtcdContainer etcd;
    private static EtcdSnapshots snapshots;

    @TempDir
    Path folder;

    @BeforeAll
    static void startContainer() {
        etcd = new EtcdContainer();
        snapshots = new EtcdSnapshots(etcd.shell(), EtcdTools.installed());
    }

    @AfterAll
    static void stopContainer() {
        if (etcd != null) {
            etcd.close();
        }
    }

    @BeforeEach
    void freshMember() {
        etcd.stopMember();
        etcd.wipeDataDir();
        etcd.startMember();
    }

    @Test
    void saveCopiesSnapshotWithChecksum() throws Exception {
        etcd.put("/registry/secrets/shop/db-creds", "v1");
        long revision = etcd.revision();

        EtcdSnapshot snapshot = snapshots.save(EtcdContainer.MEMBER, "/tmp/snapshot.db", folder.resolve("etcd.db"));

        assertThat(snapshot.file()).exists();
        assertThat(snapshot.sha256()).isEqualTo(Digests.sha256(snapshot.file()));
        assertThat(snapshot.revision()).isEqualTo(revision);
        assertThat(snapshot.totalKeys()).isGreaterThanOrEqualTo(1);
        assertThat(snapshot.member()).isEqualTo("member-1");
        assertThat(snapshot.etcdVersion()).startsWith("3.");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(snapshot.file()))).isEqualTo("rw-------");
        assertThat(etcd.shell().exec(List.of("test", "-e", "/tmp/snapshot.db")).succeeded())
                .as("staged snapshot removed from the container").isFalse();
    }

    @Test
    void restoreBringsBackKeysOfSnapshot() {
        etcd.put("/registry/secrets/shop/db-creds", "v1");
        etcd.put("/registry/configmaps/shop/db-config", "packet");
        EtcdSnapshot snapshot = snapshots.save(EtcdContainer.MEMBER, "/tmp/snapshot.db", folder.resolve("etcd.db"));
        etcd.put("/registry/secrets/shop/after-snapshot", "late");

        etcd.stopMember();
        etcd.wipeDataDir();
        EtcdRestoreResult result = snapshots.restore(snapshot, EtcdContainer.MEMBER, List.of(EtcdContainer.MEMBER),
                "/tmp/restore.db", EtcdSnapshots.DEFAULT_REVISION_BUMP);
        etcd.startMember();

        assertThat(etcd.get("/registry/secrets/shop/db-creds")).isEqualTo("v1");
        assertThat(etcd.get("/registry/configmaps/shop/db-config")).isEqualTo("packet");
        assertThat(etcd.get("/registry/secrets/shop/after-snapshot")).isNull();
        assertThat(etcd.memberList()).contains("member-1").contains("http://127.0.0.1:2380");
        assertThat(result.member()).isEqualTo("member-1");
        assertThat(result.toolVersion()).startsWith("3.");
    }

    @Test
    void restoreBumpsRevisionWhereSupported() {
        String tool = snapshots.restoreTool(true);
        assumeTrue(snapshots.supportsRevisionBump(tool),
                tool + " in " + EtcdContainer.IMAGE + " has no --bump-revision flag, so the bump cannot be checked here");
        etcd.put("/registry/secrets/shop/db-creds", "v1");
        EtcdSnapshot snapshot = snapshots.save(EtcdContainer.MEMBER, "/tmp/snapshot.db", folder.resolve("etcd.db"));

        etcd.stopMember();
        etcd.wipeDataDir();
        EtcdRestoreResult result = snapshots.restore(snapshot, EtcdContainer.MEMBER, List.of(EtcdContainer.MEMBER),
                "/tmp/restore.db", 1000);
        etcd.startMember();

        assertThat(result.revisionBumped()).isTrue();
        assertThat(result.markedCompacted()).isTrue();
        assertThat(etcd.revision()).isGreaterThanOrEqualTo(snapshot.revision() + 1000);
        assertThat(etcd.get("/registry/secrets/shop/db-creds")).isEqualTo("v1");
    }

    @Test
    void restoreWithoutBumpSupportSaysSo() {
        String tool = snapshots.restoreTool(true);
        assumeFalse(snapshots.supportsRevisionBump(tool), tool + " in " + EtcdContainer.IMAGE + " supports --bump-revision");
        etcd.put("/registry/secrets/shop/db-creds", "v1");
        EtcdSnapshot snapshot = snapshots.save(EtcdContainer.MEMBER, "/tmp/snapshot.db", folder.resolve("etcd.db"));

        etcd.stopMember();
        etcd.wipeDataDir();
        EtcdRestoreResult result = snapshots.restore(snapshot, EtcdContainer.MEMBER, List.of(EtcdContainer.MEMBER),
                "/tmp/restore.db", EtcdSnapshots.DEFAULT_REVISION_BUMP);
        etcd.startMember();

        assertThat(result.revisionBumped()).isFalse();
        assertThat(result.markedCompacted()).isFalse();
        assertThat(result.note()).contains("has no --bump-revision and --mark-compacted flags")
                .contains("(" + snapshot.revision() + ")");
        assertThat(etcd.revision()).isEqualTo(snapshot.revision());
    }

    @Test
    void restoreRejectsExistingDataDir() {
        EtcdSnapshot snapshot = snapshots.save(EtcdContainer.MEMBER, "/tmp/snapshot.db", folder.resolve("etcd.db"));

        assertThatThrownBy(() -> snapshots.restore(snapshot, EtcdContainer.MEMBER, List.of(EtcdContainer.MEMBER),
                "/tmp/restore.db", 0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("The data directory " + EtcdContainer.DATA_DIR + " of etcd member member-1")
                .hasMessageContaining("move or remove it first");
        assertThat(etcd.revision()).isGreaterThan(0);
    }

    @Test
    void restoreRejectsChangedSnapshot() throws Exception {
        EtcdSnapshot snapshot = snapshots.save(EtcdContainer.MEMBER, "/tmp/snapshot.db", folder.resolve("etcd.db"));
        Files.write(snapshot.file(), new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
        etcd.stopMember();
        etcd.wipeDataDir();

        assertThatThrownBy(() -> snapshots.restore(snapshot, EtcdContainer.MEMBER, List.of(EtcdContainer.MEMBER),
                "/tmp/restore.db", 0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the file changed");
        assertThat(etcd.shell().exec(List.of("test", "-e", EtcdContainer.DATA_DIR)).succeeded()).isFalse();
    }
}
