package org.clusterdrill.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.awaitility.Awaitility;
import org.clusterdrill.core.ClusterState;
import org.clusterdrill.core.Drill;
import org.clusterdrill.core.Phase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A kind cluster started and deleted through the kind CLI. Backups go to a work folder that is
 * removed when the cluster is closed.
 */
final class KindKubernetesCluster implements KubernetesCluster, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KindKubernetesCluster.class);

    private final KindSettings settings;
    private final String name;
    private final Path workDirectory;
    private final Path kubeconfig;
    private KubernetesClient client;
    private boolean running;
    private Drill drill;

    private KindKubernetesCluster(KindSettings settings, String name, Path workDirectory) {
        this.settings = settings;
        this.name = name;
        this.workDirectory = workDirectory;
        this.kubeconfig = workDirectory.resolve("kubeconfig");
    }

    /** Creates a cluster with a new name; deletes it again when its creation fails. */
    static KindKubernetesCluster start(KindSettings settings) {
        String name = "clusterdrill-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        Path work;
        try {
            work = Files.createTempDirectory(name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create a work folder for kind cluster " + name, e);
        }
        KindKubernetesCluster cluster = new KindKubernetesCluster(settings, name, work);
        try {
            cluster.create(List.of());
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** Sets the drill that backup, destroy and restore record their phases in, or null for none. */
    void attach(Drill drill) {
        this.drill = drill;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public KubernetesClient client() {
        if (client == null) {
            throw new IllegalStateException("Kind cluster " + name + " is destroyed; restore it before using its client");
        }
        return client;
    }

    @Override
    public Path kubeconfig() {
        return kubeconfig;
    }

    @Override
    public List<String> controlPlanes() {
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= settings.controlPlanes(); i++) {
            names.add(name + "-control-plane" + (i == 1 ? "" : String.valueOf(i)));
        }
        return names;
    }

    @Override
    public List<String> workers() {
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= settings.workers(); i++) {
            names.add(name + "-worker" + (i == 1 ? "" : String.valueOf(i)));
        }
        return names;
    }

    @Override
    public ClusterState captureState() {
        return KubernetesStateReader.capture(client());
    }

    @Override
    public EtcdBackup backupEtcd() {
        Path directory = workDirectory.resolve("etcd-backup-" + System.currentTimeMillis());
        return phase(Phase.BACKUP, "etcd snapshot", () -> new KindEtcdBackups(this, settings.timeout()).backup(directory));
    }

    @Override
    public ApiExport exportApi() {
        Path directory = workDirectory.resolve("api-export-" + System.currentTimeMillis());
        return phase(Phase.BACKUP, "API export", () -> KubernetesApiBackup.export(client(), directory));
    }

    @Override
    public void destroy() {
        phase(Phase.DESTROY, "kind delete cluster", () -> {
            delete();
            return null;
        });
    }

    @Override
    public EtcdRestoreResult restore(EtcdBackup backup) {
        requireDestroyed();
        EtcdRestoreResult result = phase(Phase.RESTORE, "etcd snapshot", () -> new KindEtcdBackups(this, settings.timeout())
                .restore(backup));
        phase(Phase.CONVERGE, "nodes and workloads ready", () -> {
            awaitNodesReady();
            awaitWorkloadsReady();
            return null;
        });
        return result;
    }

    @Override
    public ApiRestoreReport restore(ApiExport export, ExistingObjectPolicy policy) {
        ApiRestoreReport report = phase(Phase.RESTORE, "API export", () -> {
            if (!running) {
                create(List.of());
            }
            return KubernetesApiBackup.restore(client(), export, policy);
        });
        phase(Phase.CONVERGE, "workloads ready", () -> {
            awaitWorkloadsReady();
            return null;
        });
        return report;
    }

    @Override
    public void awaitWorkloadsReady() {
        Awaitility.await("Deployments and StatefulSets of kind cluster " + name + " ready").atMost(settings.timeout())
                .pollInterval(Duration.ofSeconds(2))
                .until(() -> notReadyWorkloads().isEmpty());
    }

    /** Creates the kind cluster with the given control-plane mounts and connects a client. */
    void create(List<KindConfig.Mount> controlPlaneMounts) {
        long start = System.nanoTime();
        Path config = workDirectory.resolve("kind-config.yaml");
        OwnerOnlyFiles.writeReplacing(config, KindConfig.yaml(settings.controlPlanes(), settings.workers(), controlPlaneMounts));
        running = true;
        Commands.run(List.of("kind", "create", "cluster", "--name", name, "--config", config.toString(),
                "--image", settings.nodeImage(), "--kubeconfig", kubeconfig.toString(),
                "--wait", settings.timeout().toSeconds() + "s"), settings.timeout().plusSeconds(60)).requireSuccess();
        OwnerOnlyFiles.restrict(kubeconfig);
        connect();
        awaitNodesReady();
        LOG.info("Started kind cluster {} ({} control planes, {} workers, image {}) in {} s", name, settings.controlPlanes(),
                settings.workers(), settings.nodeImage(), Duration.ofNanos(System.nanoTime() - start).toSeconds());
    }

    /** Connects a new client from the kubeconfig, closing the old one. */
    void connect() {
        closeClient();
        try {
            client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the kubeconfig " + kubeconfig + " of kind cluster " + name, e);
        }
    }

    void awaitNodesReady() {
        Awaitility.await("every node of kind cluster " + name + " Ready").atMost(settings.timeout())
                .pollInterval(Duration.ofSeconds(2))
                .ignoreExceptions()
                .until(() -> {
                    List<Node> nodes = client().nodes().list().getItems();
                    return nodes.size() == settings.controlPlanes() + settings.workers()
                            && nodes.stream().allMatch(KindKubernetesCluster::isReady);
                });
    }

    private static boolean isReady(Node node) {
        return node.getStatus() != null && node.getStatus().getConditions() != null && node.getStatus().getConditions().stream()
                .anyMatch(condition -> "Ready".equals(condition.getType()) && "True".equals(condition.getStatus()));
    }

    private List<String> notReadyWorkloads() {
        List<String> notReady = new ArrayList<>();
        for (var object : ApiKind.DEPLOYMENT.list(client(), KubernetesScope.defaults())) {
            Deployment deployment = (Deployment) object;
            Integer ready = deployment.getStatus() == null ? null : deployment.getStatus().getReadyReplicas();
            if (!java.util.Objects.equals(ready == null ? 0 : ready, deployment.getSpec().getReplicas())) {
                notReady.add("Deployment " + ApiKind.qualifiedName(deployment));
            }
        }
        for (var object : ApiKind.STATEFUL_SET.list(client(), KubernetesScope.defaults())) {
            StatefulSet statefulSet = (StatefulSet) object;
            Integer ready = statefulSet.getStatus() == null ? null : statefulSet.getStatus().getReadyReplicas();
            if (!java.util.Objects.equals(ready == null ? 0 : ready, statefulSet.getSpec().getReplicas())) {
                notReady.add("StatefulSet " + ApiKind.qualifiedName(statefulSet));
            }
        }
        return notReady;
    }

    private void requireDestroyed() {
        if (running) {
            throw new IllegalStateException("Kind cluster " + name + " is still running; destroy() it before a restore");
        }
    }

    private void delete() {
        closeClient();
        if (!running) {
            return;
        }
        Commands.run(List.of("kind", "delete", "cluster", "--name", name), settings.timeout()).requireSuccess();
        running = false;
        LOG.info("Deleted kind cluster {}", name);
    }

    private void closeClient() {
        if (client != null) {
            client.close();
            client = null;
        }
    }

    private <T> T phase(Phase phase, String detail, java.util.concurrent.Callable<T> action) {
        if (drill == null) {
            try {
                return action.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("Drill phase " + phase.label() + " failed: " + e.getMessage(), e);
            }
        }
        return drill.phase(phase, detail, action);
    }

    Path workDirectory() {
        return workDirectory;
    }

    /** Deletes the cluster and the work folder with its backups; safe to call more than once. */
    @Override
    public void close() {
        try {
            delete();
        } catch (RuntimeException e) {
            LOG.error("Could not delete kind cluster {}; delete it with 'kind delete cluster --name {}'", name, name, e);
        }
        try (Stream<Path> paths = Files.exists(workDirectory) ? Files.walk(workDirectory) : Stream.empty()) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            LOG.warn("Could not remove the work folder {} of kind cluster {}", workDirectory, name, e);
        }
    }
}
