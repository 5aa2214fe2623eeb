package org.clusterdrill.k8s;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves an etcd member's snapshot and restores it into a new data directory, the way the etcd
 * recovery guide does, with the etcd tools found in the member's container.
 *
 * <p>A restore always passes an explicit data directory, the member's own name, its peer URL and
 * the whole initial cluster, because the defaults ({@code default.etcd}, {@code default},
 * {@code http://localhost:2380}) would create a member that matches none of the cluster's.
 * It raises the revision and marks the old revisions compacted ({@code --bump-revision},
 * {@code --mark-compacted}) where the tool has those flags, so that watchers such as the
 * API server's caches never see the revision go back. The flags came with etcd pull request
 * 16029 (2023) and a backport to 3.5; whether a tool has them is read from its help text. Older
 * tools, such as etcdctl 3.4.23 in Debian 12, restore without them, and the result's note records that.
 */
final class EtcdSnapshots {

    /**
     * Default revision bump. It must exceed the number of writes between the snapshot and the
     * disaster. A billion is an estimate that leaves room for years of writes at a few per second.
     */
    static final long DEFAULT_REVISION_BUMP = 1_000_000_000L;

    private static final Logger LOG = LoggerFactory.getLogger(EtcdSnapshots.class);
    private static final Pattern REVISION = Pattern.compile("\"revision\"\\s*:\\s*(\\d+)");
    private static final Pattern TOTAL_KEYS = Pattern.compile("\"totalKey\"\\s*:\\s*(\\d+)");
    private static final Pattern VERSION = Pattern.compile("version:\\s*(\\S+)");

    private final ContainerShell shell;
    private final EtcdTools tools;

    EtcdSnapshots(ContainerShell shell, EtcdTools tools) {
        this.shell = shell;
        this.tools = tools;
    }

    /**
     * Saves a snapshot of the running member into {@code stagingPath} inside the container,
     * copies it to {@code localFile} (readable by its owner only), removes the staged copy and
     * returns it with its SHA-256 and status.
     */
    EtcdSnapshot save(EtcdMember member, String stagingPath, Path localFile) {
        List<String> save = new ArrayList<>(tools.whileRunning("etcdctl"));
        save.addAll(member.clientFlags());
        save.addAll(List.of("snapshot", "save", stagingPath));
        shell.exec(save).requireSuccess();
        try {
            String status = snapshotStatus(stagingPath);
            shell.copyOut(stagingPath, localFile);
            OwnerOnlyFiles.restrict(localFile);
            String version = toolVersion("etcdctl", false);
            EtcdSnapshot snapshot = new EtcdSnapshot(localFile, Digests.sha256(localFile), number(REVISION, status),
                    number(TOTAL_KEYS, status), member.name(), version, Instant.now());
            LOG.info("Saved etcd snapshot of member {} at revision {} ({} keys, SHA-256 {}) to {}", member.name(),
                    snapshot.revision(), snapshot.totalKeys(), snapshot.sha256(), localFile);
            return snapshot;
        } finally {
            shell.exec(List.of("rm", "-f", stagingPath));
        }
    }

    /**
     * Restores a snapshot into the member's data directory, which must not exist, and returns
     * what the restore did. The member must be stopped.
     *
     * @param cluster every member of the restored cluster, including {@code member}
     * @param revisionBump how much to raise the revision where the tool can; 0 for no bump
     */
    EtcdRestoreResult restore(EtcdSnapshot snapshot, EtcdMember member, List<EtcdMember> cluster, String stagingPath,
                              long revisionBump) {
        verifyChecksum(snapshot);
        if (!cluster.contains(member)) {
            throw new IllegalArgumentException("Member " + member.name() + " is not in the restored cluster "
                    + EtcdMember.initialCluster(cluster));
        }
        if (shell.exec(List.of("test", "-e", member.dataDir())).succeeded()) {
            throw new IllegalStateException("The data directory " + member.dataDir() + " of etcd member " + member.name()
                    + " in container " + shell.container() + " exists; a restore writes a new one, so move or remove it first");
        }

        String tool = restoreTool(true);
        String version = toolVersion(tool, true);
        boolean bumpSupported = supportsRevisionBump(tool);
        List<String> restore = new ArrayList<>(tools.whileStopped(tool));
        restore.addAll(List.of("snapshot", "restore", stagingPath,
                "--data-dir=" + member.dataDir(),
                "--name=" + member.name(),
                "--initial-advertise-peer-urls=" + member.peerUrl(),
                "--initial-cluster=" + EtcdMember.initialCluster(cluster)));
        String note = "";
        long bump = 0;
        if (revisionBump > 0 && bumpSupported) {
            restore.add("--bump-revision=" + revisionBump);
            restore.add("--mark-compacted");
            bump = revisionBump;
        } else if (revisionBump > 0) {
            note = tool + " " + version + " has no --bump-revision and --mark-compacted flags, so the restored revision is the "
                    + "snapshot's (" + snapshot.revision() + "); clients that saw newer revisions before the disaster may "
                    + "keep stale caches. To avoid this, restore with etcd tools whose \"snapshot restore --help\" lists both flags.";
            LOG.warn("Restoring etcd member {} without a revision bump: {}", member.name(), note);
        }

        shell.copyIn(snapshot.file(), stagingPath);
        try {
            shell.exec(restore).requireSuccess();
        } finally {
            shell.exec(List.of("rm", "-f", stagingPath));
        }
        LOG.info("Restored etcd member {} into {} with {} {}{}", member.name(), member.dataDir(), tool, version,
                bump > 0 ? ", revision bumped by " + bump + " and marked compacted" : ", revision not bumped");
        return new EtcdRestoreResult(member.name(), tool, version, bump, bump > 0, note);
    }

    /** Returns whether the restore tool has {@code --bump-revision} and {@code --mark-compacted}. */
    boolean supportsRevisionBump(String tool) {
        List<String> help = new ArrayList<>(tools.whileStopped(tool));
        help.addAll(List.of("snapshot", "restore", "--help"));
        CommandResult result = shell.exec(help);
        String text = result.stdout() + result.stderr();
        return text.contains("--bump-revision") && text.contains("--mark-compacted");
    }

    /** Returns {@code etcdutl} where the container has it (etcd 3.5 and later), else {@code etcdctl}. */
    String restoreTool(boolean stopped) {
        List<String> probe = new ArrayList<>(stopped ? tools.whileStopped("etcdutl") : tools.whileRunning("etcdutl"));
        probe.add("version");
        return shell.exec(probe).succeeded() ? "etcdutl" : "etcdctl";
    }

    private String snapshotStatus(String stagingPath) {
        String tool = restoreTool(false);
        List<String> status = new ArrayList<>(tools.whileRunning(tool));
        status.addAll(List.of("snapshot", "status", stagingPath, "--write-out=json"));
        return shell.exec(status).requireSuccess().stdout();
    }

    private String toolVersion(String tool, boolean stopped) {
        List<String> command = new ArrayList<>(stopped ? tools.whileStopped(tool) : tools.whileRunning(tool));
        command.add("version");
        CommandResult result = shell.exec(command);
        Matcher matcher = VERSION.matcher(result.stdout());
        return matcher.find() ? matcher.group(1) : "(unknown)";
    }

    private static void verifyChecksum(EtcdSnapshot snapshot) {
        if (!Files.isRegularFile(snapshot.file())) {
            throw new IllegalStateException("The etcd snapshot " + snapshot.file() + " does not exist");
        }
        String actual = Digests.sha256(snapshot.file());
        if (!Objects.equals(actual, snapshot.sha256())) {
            throw new IllegalStateException("The etcd snapshot " + snapshot.file() + " has SHA-256 " + actual
                    + " but " + snapshot.sha256() + " was recorded when it was saved; the file changed. Take a new snapshot.");
        }
    }

    private static long number(Pattern pattern, String json) {
        Matcher matcher = pattern.matcher(json);
        if (!matcher.find()) {
            throw new IllegalStateException("No " + pattern + " in the snapshot status output: " + json.strip());
        }
        return Long.parseLong(matcher.group(1));
    }
}
