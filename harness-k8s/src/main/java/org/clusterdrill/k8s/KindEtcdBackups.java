package org.clusterdrill.k8s;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * etcd backup and restore of a kind cluster, whose control planes run etcd as a kubeadm static
 * pod with its data in {@code /var/lib/etcd} and its certificates in {@code /etc/kubernetes/pki/etcd}.
 *
 * <p>etcd's tools come from the etcd container image, because kind nodes do not ship them:
 * {@code crictl exec} into the running etcd container for the snapshot, and {@code ctr run} of the
 * same image, with {@code /var/lib} mounted, for the restore while etcd is stopped.
 */
// NOTE: never run on this project's machines, which have no kind; only EtcdSnapshots is tested, against Debian's etcd.
final class KindEtcdBackups {

    private static final Logger LOG = LoggerFactory.getLogger(KindEtcdBackups.class);
    private static final String MANIFESTS = "/etc/kubernetes/manifests";
    private static final String HELD_MANIFESTS = "/etc/kubernetes/manifests-held-by-clusterdrill";
    private static final String SNAPSHOT_STAGING = "/var/lib/etcd/clusterdrill-snapshot.db";
    private static final String RESTORE_STAGING = "/var/lib/clusterdrill-restore.db";
    private static final Pattern ENCRYPTION_CONFIG = Pattern.compile("--encryption-provider-config=(\\S+)");
    private static final AtomicInteger RESTORE_CONTAINERS = new AtomicInteger();

    /** Certificate authorities and service-account keys that the restored cluster must keep, so tokens and certificates stay valid. */
    private static final List<String> KEPT_PKI_FILES = List.of("ca.crt", "ca.key", "sa.key", "sa.pub", "front-proxy-ca.crt",
            "front-proxy-ca.key", "etcd/ca.crt", "etcd/ca.key");

    private final KindKubernetesCluster cluster;
    private final Duration timeout;

    KindEtcdBackups(KindKubernetesCluster cluster, Duration timeout) {
        this.cluster = cluster;
        this.timeout = timeout;
    }

    EtcdBackup backup(Path directory) {
        OwnerOnlyFiles.createEmptyDirectory(directory);
        String node = cluster.controlPlanes().get(0);
        ContainerShell shell = new ContainerShell(node, timeout);
        String manifest = shell.execChecked("cat", MANIFESTS + "/etcd.yaml").stdout();
        EtcdMember member = memberFrom(manifest);
        EtcdSnapshot snapshot = new EtcdSnapshots(shell, runningTools(shell, etcdContainerId(shell)))
                .save(member, SNAPSHOT_STAGING, directory.resolve("etcd-snapshot.db"));

        Path pki = directory.resolve("pki");
        shell.copyOut("/etc/kubernetes/pki", pki);
        restrictTree(pki);

        String apiServer = shell.execChecked("cat", MANIFESTS + "/kube-apiserver.yaml").stdout();
        Matcher encryption = ENCRYPTION_CONFIG.matcher(apiServer);
        Optional<Path> encryptionConfig = Optional.empty();
        Optional<String> encryptionNodePath = Optional.empty();
        if (encryption.find()) {
            encryptionNodePath = Optional.of(encryption.group(1));
            encryptionConfig = Optional.of(directory.resolve("encryption-config.yaml"));
            shell.copyOut(encryptionNodePath.get(), encryptionConfig.get());
            OwnerOnlyFiles.restrict(encryptionConfig.get());
        }
        LOG.info("Backed up etcd of kind cluster {} from {} into {}{}", cluster.name(), node, directory,
                encryptionNodePath.map(path -> ", with the encryption configuration " + path).orElse(""));
        return new EtcdBackup(directory, snapshot, pki, encryptionConfig, encryptionNodePath, cluster.controlPlanes(),
                cluster.workers());
    }

    EtcdRestoreResult restore(EtcdBackup backup) {
        List<KindConfig.Mount> mounts = new ArrayList<>();
        for (String file : KEPT_PKI_FILES) {
            Path keptFile = backup.pki().resolve(file);
            if (Files.exists(keptFile)) {
                mounts.add(new KindConfig.Mount(keptFile.toAbsolutePath().toString(), "/etc/kubernetes/pki/" + file));
            }
        }
        cluster.create(mounts);

        List<ContainerShell> controlPlanes = cluster.controlPlanes().stream().map(node -> new ContainerShell(node, timeout)).toList();
        List<EtcdMember> members = new ArrayList<>();
        List<String> images = new ArrayList<>();
        for (ContainerShell shell : controlPlanes) {
            String manifest = shell.execChecked("cat", MANIFESTS + "/etcd.yaml").stdout();
            members.add(memberFrom(manifest));
            images.add(value(manifest, Pattern.compile("image:\\s*(\\S+)"), "etcd image"));
            holdStaticPods(shell);
        }

        EtcdRestoreResult result = null;
        for (int i = 0; i < controlPlanes.size(); i++) {
            ContainerShell shell = controlPlanes.get(i);
            EtcdMember member = members.get(i);
            shell.execChecked("mv", member.dataDir(), member.dataDir() + ".replaced-" + System.currentTimeMillis());
            result = new EtcdSnapshots(shell, stoppedTools(images.get(i)))
                    .restore(backup.snapshot(), member, members, RESTORE_STAGING, EtcdSnapshots.DEFAULT_REVISION_BUMP);
            if (backup.encryptionConfig().isPresent()) {
                shell.copyIn(backup.encryptionConfig().get(), backup.encryptionConfigNodePath().orElseThrow());
            }
        }

        for (ContainerShell shell : controlPlanes) {
            shell.script("mv " + HELD_MANIFESTS + "/*.yaml " + MANIFESTS + "/ && rmdir " + HELD_MANIFESTS);
        }
        for (String node : concat(cluster.controlPlanes(), cluster.workers())) {
            new ContainerShell(node, timeout).execChecked("systemctl", "restart", "kubelet");
        }
        cluster.connect();
        LOG.info("Restored etcd of kind cluster {} on {} control plane(s)", cluster.name(), controlPlanes.size());
        return result;
    }

    /** Moves every static pod manifest aside and waits until the kubelet has stopped etcd and the API server. */
    private void holdStaticPods(ContainerShell shell) {
        shell.script("mkdir -p " + HELD_MANIFESTS + " && mv " + MANIFESTS + "/*.yaml " + HELD_MANIFESTS + "/");
        Awaitility.await("etcd and kube-apiserver stopped on " + shell.container()).atMost(timeout)
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> shell.exec(List.of("crictl", "ps", "-q", "--name", "etcd|kube-apiserver")).stdout().isBlank());
    }

    private static EtcdMember memberFrom(String manifest) {
        String name = value(manifest, Pattern.compile("--name=(\\S+)"), "--name");
        String peerUrl = value(manifest, Pattern.compile("--initial-advertise-peer-urls=(\\S+)"), "--initial-advertise-peer-urls");
        String dataDir = value(manifest, Pattern.compile("--data-dir=(\\S+)"), "--data-dir");
        return new EtcdMember(name, peerUrl, "https://127.0.0.1:2379", dataDir, new EtcdMember.Tls(
                "/etc/kubernetes/pki/etcd/ca.crt", "/etc/kubernetes/pki/etcd/healthcheck-client.crt",
                "/etc/kubernetes/pki/etcd/healthcheck-client.key"));
    }

    private static String value(String manifest, Pattern pattern, String flag) {
        Matcher matcher = pattern.matcher(manifest);
        if (!matcher.find()) {
            throw new IllegalStateException("The etcd static pod manifest has no " + flag + "; kubeadm writes one. Manifest:\n" + manifest);
        }
        return matcher.group(1);
    }

    private static String etcdContainerId(ContainerShell shell) {
        String id = shell.execChecked("crictl", "ps", "-q", "--name", "^etcd$").stdout().strip();
        if (id.isEmpty() || id.contains("\n")) {
            throw new IllegalStateException("Expected one running etcd container on " + shell.container() + ", found: '" + id + "'");
        }
        return id;
    }

    private static EtcdTools runningTools(ContainerShell shell, String etcdContainer) {
        return new EtcdTools() {
            @Override
            public List<String> whileRunning(String tool) {
                return List.of("crictl", "exec", etcdContainer, tool);
            }

            @Override
            public List<String> whileStopped(String tool) {
                throw new UnsupportedOperationException("A snapshot save runs next to the running member of " + shell.container());
            }
        };
    }

    private static EtcdTools stoppedTools(String etcdImage) {
        return new EtcdTools() {
            @Override
            public List<String> whileRunning(String tool) {
                return whileStopped(tool);
            }

            @Override
            public List<String> whileStopped(String tool) {
                return List.of("ctr", "-n", "k8s.io", "run", "--rm",
                        "--mount", "type=bind,src=/var/lib,dst=/var/lib,options=rbind:rw",
                        etcdImage, "clusterdrill-etcd-tool-" + RESTORE_CONTAINERS.incrementAndGet(), tool);
            }
        };
    }

    private static void restrictTree(Path root) {
        try (var paths = Files.walk(root)) {
            paths.filter(Files::isRegularFile).forEach(OwnerOnlyFiles::restrict);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("Could not restrict the permissions under " + root, e);
        }
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
