package org.clusterdrill.swarm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Service;
import com.github.dockerjava.api.model.SwarmNode;
import com.github.dockerjava.api.model.SwarmNodeManagerStatus;
import com.github.dockerjava.api.model.SwarmNodeState;
import com.github.dockerjava.api.model.SwarmSpec;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskState;
import org.awaitility.Awaitility;
import org.clusterdrill.swarm.SwarmNode.Role;
import org.awaitility.core.ConditionTimeoutException;
import org.clusterdrill.core.ClusterState;
import org.clusterdrill.core.Drill;
import org.clusterdrill.core.DrillEvent;
import org.clusterdrill.core.Phase;
import org.clusterdrill.core.PhaseRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A swarm of node containers: formation, state capture, backup, destroy and restore. */
final class DockerSwarm implements Swarm, NodeObserver, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DockerSwarm.class);
    private static final Duration POLL = Duration.ofMillis(200);
    /** Logger of explain mode, separate so labs can route the commands to their own output. */
    private static final Logger EXPLAIN = LoggerFactory.getLogger("org.clusterdrill.explain");

    private final SwarmSettings settings;
    /** The unlock key that the harness last read or set, for recoveries while no manager can return it. */
    private volatile String knownUnlockKey;
    private final OuterEngine outer;
    private final String runId;
    private final Path runDirectory;
    private final ClusterNetwork network;
    private final NodeLauncher launcher;
    private final WorkloadImage workload;
    private final List<SwarmBackup.NodeSlot> topology;
    private final List<NodeContainer> nodes = new CopyOnWriteArrayList<>();
    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    private final java.util.Set<String> secretValues = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicInteger capturedStates = new java.util.concurrent.atomic.AtomicInteger();
    private final ExecutorService executor;
    private final ExecutorService queries = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "clusterdrill-query");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Drill drill;
    private volatile PhaseRecord startRecord;
    private volatile boolean closed;
    private volatile String clusterId;
    private final java.util.concurrent.atomic.AtomicInteger uses = new java.util.concurrent.atomic.AtomicInteger(1);

    private DockerSwarm(SwarmSettings settings, OuterEngine outer, String runId, Path runDirectory, ClusterNetwork network) {
        this.settings = settings;
        this.outer = outer;
        this.runId = runId;
        this.runDirectory = runDirectory;
        this.network = network;
        this.workload = new WorkloadImage(outer, settings.workloadImage());
        this.launcher = new NodeLauncher(outer, settings, runId, network, runDirectory, workload, this);
        this.topology = plannedTopology(settings, network);
        this.executor = Executors.newFixedThreadPool(Math.max(2, topology.size()), runnable -> {
            Thread thread = new Thread(runnable, "clusterdrill-" + runId);
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Starts the nodes in parallel on a network of their own and forms the swarm. On failure,
     * everything created so far is removed before the exception is thrown.
     */
    static DockerSwarm start(SwarmSettings settings, OuterEngine outer) {
        warnAboutManagerCount(settings.managers());
        String runId = UUID.randomUUID().toString().substring(0, 8);
        Path runDirectory = createRunDirectory(runId);
        ClusterNetwork network = ClusterNetwork.create(outer, runId);
        DockerSwarm swarm = new DockerSwarm(settings, outer, runId, runDirectory, network);
        try {
            Instant startedAt = Instant.now();
            long start = System.nanoTime();
            swarm.launchAndJoin(swarm.topology, null);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            swarm.clusterId = swarm.nodes.get(0).docker().inspectSwarmCmd().exec().getId();
            swarm.startRecord = new PhaseRecord(Phase.START, startedAt, took, true,
                    settings.managers() + " managers, " + settings.workers() + " workers");
            LOG.info("Swarm {} with {} managers and {} workers is ready in {} ms (engine {}, node image {})", runId,
                    settings.managers(), settings.workers(), took.toMillis(), swarm.engineVersion(), settings.nodeImage());
            return swarm;
        } catch (RuntimeException | Error e) {
            swarm.close();
            throw e;
        }
    }

    private static void warnAboutManagerCount(int managers) {
        if (managers > 1 && managers % 2 == 0) {
            LOG.warn("{} managers tolerate {} failure(s), as {} do: an even count adds Raft traffic without adding "
                    + "fault tolerance, so an odd count is advised", managers, (managers - 1) / 2, managers - 1);
        }
        if (managers > 7) {
            LOG.warn("{} managers: Docker advises at most 7, because every Raft change must reach a majority of them", managers);
        }
    }

    private static List<SwarmBackup.NodeSlot> plannedTopology(SwarmSettings settings, ClusterNetwork network) {
        List<SwarmBackup.NodeSlot> slots = new ArrayList<>();
        for (int i = 1; i <= settings.managers(); i++) {
            slots.add(new SwarmBackup.NodeSlot("manager-" + i, Role.MANAGER, network.address(Role.MANAGER, i)));
        }
        for (int i = 1; i <= settings.workers(); i++) {
            slots.add(new SwarmBackup.NodeSlot("worker-" + i, Role.WORKER, network.address(Role.WORKER, i)));
        }
        return List.copyOf(slots);
    }

    private static Path createRunDirectory(String runId) {
        try {
            Path directory = Path.of(System.getProperty("java.io.tmpdir"), "cluster-drill-" + runId);
            Files.createDirectories(directory);
            if (directory.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
            }
            // A sweep by a later JVM deletes the folder, backups included, once this JVM is gone.
            Files.writeString(directory.resolve(LeftoverSweeper.OWNER_FILE), RunLabels.thisOwner());
            return directory;
        } catch (IOException e) {
            throw new IllegalStateException("Could not create the run folder in " + System.getProperty("java.io.tmpdir"), e);
        }
    }

    /**
     * Launches nodes for the slots in parallel, then forms or grows the swarm: the first manager
     * initialises it unless {@code existingManager} is given, the other managers join one after
     * another, the workers join in parallel.
     */
    void launchAndJoin(List<SwarmBackup.NodeSlot> slots, NodeContainer existingManager) {
        List<NodeContainer> launched = inParallel(slots, slot -> {
            NodeContainer node = launcher.launch(slot);
            nodes.add(node);
            return node;
        });
        nodes.sort(Comparator.comparing((NodeContainer n) -> n.role()).thenComparing(NodeContainer::name));

        List<NodeContainer> managers = launched.stream().filter(n -> n.role() == Role.MANAGER).toList();
        List<NodeContainer> workers = launched.stream().filter(n -> n.role() == Role.WORKER).toList();
        NodeContainer first = existingManager;
        List<NodeContainer> joiningManagers = managers;
        if (first == null) {
            first = managers.get(0);
            explain(first.name(), "docker swarm init --advertise-addr " + first.address() + " --listen-addr 0.0.0.0:2377");
            first.docker().initializeSwarmCmd(new SwarmSpec()).withAdvertiseAddr(first.address())
                    .withListenAddr("0.0.0.0:2377").exec();
            joiningManagers = managers.subList(1, managers.size());
        }
        com.github.dockerjava.api.model.Swarm info = first.docker().inspectSwarmCmd().exec();
        String managerAddress = first.address() + ":2377";
        for (NodeContainer manager : joiningManagers) {
            explain(manager.name(), "docker swarm join --token <manager join token> --advertise-addr " + manager.address()
                    + " --listen-addr 0.0.0.0:2377 " + managerAddress);
            manager.docker().joinSwarmCmd().withRemoteAddrs(List.of(managerAddress)).withJoinToken(info.getJoinTokens().getManager())
                    .withAdvertiseAddr(manager.address()).withListenAddr("0.0.0.0:2377").exec();
        }
        inParallel(workers, worker -> {
            explain(worker.name(), "docker swarm join --token <worker join token> --advertise-addr " + worker.address()
                    + " --listen-addr 0.0.0.0:2377 " + managerAddress);
            worker.docker().joinSwarmCmd().withRemoteAddrs(List.of(managerAddress)).withJoinToken(info.getJoinTokens().getWorker())
                    .withAdvertiseAddr(worker.address()).withListenAddr("0.0.0.0:2377").exec();
            return worker;
        });
        awaitNodesReady(first);
    }

    /** Waits until the swarm lists every node of this cluster as Ready, and every manager as Reachable. */
    void awaitNodesReady(NodeContainer manager) {
        int expected = nodes.size();
        awaitCondition("all " + expected + " nodes Ready and managers Reachable", () -> {
            List<SwarmNode> listed = manager.docker().listSwarmNodesCmd().exec();
            long ready = listed.stream().filter(n -> n.getStatus().getState() == SwarmNodeState.READY)
                    .filter(n -> n.getManagerStatus() == null || isReachable(n.getManagerStatus())).count();
            return ready == expected && listed.size() == expected;
        }, () -> describeNodes(manager));
    }

    private static boolean isReachable(SwarmNodeManagerStatus status) {
        return status.getReachability() != null && "REACHABLE".equalsIgnoreCase(status.getReachability().name());
    }

    @Override
    public void awaitConverged() {
        awaitConverged(Instant.EPOCH);
    }

    /**
     * Waits until every service runs its desired tasks, counting only tasks whose status changed at
     * or after {@code since}: right after a restore, the Raft state still reports the old nodes'
     * tasks as running until the new nodes report otherwise.
     */
    void awaitConverged(Instant since) {
        NodeContainer manager = (NodeContainer) leader();
        awaitCondition("every service running its desired replicas", () -> unconverged(manager.docker(), since).isEmpty(),
                () -> "services not converged: " + unconverged(manager.docker(), since));
    }

    /** Lists the services whose running tasks differ from the desired count, as {@code name running/desired}. */
    private List<String> unconverged(DockerClient docker, Instant since) {
        List<Task> tasks = docker.listTasksCmd().exec();
        long readyNodes = docker.listSwarmNodesCmd().exec().stream()
                .filter(n -> n.getStatus().getState() == SwarmNodeState.READY).count();
        List<String> pending = new ArrayList<>();
        for (Service service : docker.listServicesCmd().exec()) {
            if (service.getSpec().getLabels() != null && service.getSpec().getLabels().containsKey(RunLabels.PROBE)) {
                continue;
            }
            boolean global = service.getSpec().getMode() != null && service.getSpec().getMode().getGlobal() != null;
            long desired = global ? readyNodes : service.getSpec().getMode().getReplicated().getReplicas();
            long running = tasks.stream().filter(t -> service.getId().equals(t.getServiceId()))
                    .filter(t -> t.getDesiredState() == TaskState.RUNNING)
                    .filter(t -> t.getStatus() != null && t.getStatus().getState() == TaskState.RUNNING)
                    .filter(t -> !statusTime(t).isBefore(since)).count();
            if (running != desired) {
                pending.add(service.getSpec().getName() + " " + running + "/" + desired + describeTasks(tasks, service, since));
            }
        }
        return pending;
    }

    /** Describes a service's newest tasks, so a timeout message shows why they do not run. */
    private static String describeTasks(List<Task> tasks, Service service, Instant since) {
        List<String> described = tasks.stream().filter(t -> service.getId().equals(t.getServiceId()))
                .sorted(java.util.Comparator.comparing(DockerSwarm::statusTime).reversed())
                .limit(3)
                .map(t -> "slot " + t.getSlot() + " " + (t.getStatus() == null ? "no status" : t.getStatus().getState()
                        + (t.getStatus().getErr() == null ? "" : " (" + t.getStatus().getErr() + ")"))
                        + " desired " + t.getDesiredState()
                        + (statusTime(t).isBefore(since) ? " since before " + since : " at " + statusTime(t)))
                .toList();
        return described.isEmpty() ? " (no tasks)" : " (newest tasks: " + String.join("; ", described) + ")";
    }

    private static Instant statusTime(Task task) {
        try {
            return Instant.parse(task.getStatus().getTimestamp());
        } catch (RuntimeException e) {
            return Instant.EPOCH;
        }
    }

    private void awaitCondition(String alias, Callable<Boolean> condition, java.util.function.Supplier<String> status) {
        try {
            Awaitility.await(alias).atMost(settings.timeout()).pollDelay(Duration.ZERO).pollInterval(POLL)
                    .ignoreExceptions().until(condition);
        } catch (ConditionTimeoutException e) {
            String detail;
            try {
                detail = status.get();
            } catch (RuntimeException statusFailure) {
                detail = "status unavailable: " + statusFailure.getMessage();
            }
            throw new IllegalStateException("Timed out after " + settings.timeout().toSeconds() + " s waiting for "
                    + alias + "; " + detail + ". Raise @SwarmCluster(timeoutSeconds) or clusterdrill.timeout.seconds "
                    + "if the machine is slow.", e);
        }
    }

    private String describeNodes(NodeContainer manager) {
        return "nodes: " + manager.docker().listSwarmNodesCmd().exec().stream()
                .map(n -> n.getDescription().getHostname() + " " + n.getStatus().getState()
                        + (n.getManagerStatus() == null ? "" : " " + n.getManagerStatus().getReachability()))
                .collect(Collectors.joining(", "));
    }

    private <T, R> List<R> inParallel(List<T> items, Function<T, R> action) {
        List<CompletableFuture<R>> futures = items.stream()
                .map(item -> CompletableFuture.supplyAsync(() -> action.apply(item), executor)).toList();
        try {
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
        return futures.stream().map(CompletableFuture::join).toList();
    }

    // --- Swarm API ---

    @Override
    public String runId() {
        return runId;
    }

    @Override
    public org.clusterdrill.swarm.SwarmNode leader() {
        return leader(settings.timeout());
    }

    /**
     * Asks every reachable manager at once and returns the first reachable leader reported within
     * the wait. Managers are asked in parallel because a follower whose leader just died keeps the
     * request open until its connection to that leader times out.
     */
    private NodeContainer leader(Duration wait) {
        requireNodes("find the leader");
        List<NodeContainer> reachable = reachableManagers();
        ExecutorCompletionService<NodeContainer> answers = new ExecutorCompletionService<>(queries);
        reachable.forEach(manager -> answers.submit(() -> reportedLeader(manager)));
        long deadline = System.nanoTime() + wait.toNanos();
        Exception lastFailure = null;
        for (int pending = reachable.size(); pending > 0; pending--) {
            try {
                Future<NodeContainer> answer = answers.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (answer == null) {
                    break;
                }
                NodeContainer leader = answer.get();
                if (leader != null) {
                    return leader;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while looking for the leader of swarm " + runId, e);
            } catch (ExecutionException e) {
                lastFailure = e;
            }
        }
        throw new IllegalStateException("No reachable manager of swarm " + runId + " reported a reachable leader within "
                + wait.toMillis() + " ms (" + quorum().describe() + ")", lastFailure);
    }

    /** Returns the leader that a manager reports, or null when it reports none or an unreachable one. */
    private NodeContainer reportedLeader(NodeContainer manager) {
        for (SwarmNode listed : manager.docker().listSwarmNodesCmd().exec()) {
            if (listed.getManagerStatus() != null && listed.getManagerStatus().isLeader()) {
                NodeContainer leader = (NodeContainer) node(listed.getDescription().getHostname());
                return leader.health().reachable() ? leader : null;
            }
        }
        return null;
    }

    @Override
    public org.clusterdrill.swarm.SwarmNode awaitLeader() {
        AtomicReference<NodeContainer> found = new AtomicReference<>();
        awaitCondition("a reachable manager to lead the swarm", () -> {
            found.set(leader(Duration.ofSeconds(1)));
            return true;
        }, () -> quorum().describe());
        return found.get();
    }

    private List<NodeContainer> reachableManagers() {
        return managerContainers().stream().filter(m -> m.health().reachable()).toList();
    }

    private List<NodeContainer> managerContainers() {
        return nodes.stream().filter(n -> n.role() == Role.MANAGER).toList();
    }

    @Override
    public List<org.clusterdrill.swarm.SwarmNode> managers() {
        return List.copyOf(managerContainers());
    }

    @Override
    public List<org.clusterdrill.swarm.SwarmNode> workers() {
        return nodes.stream().filter(n -> n.role() == Role.WORKER).map(n -> (org.clusterdrill.swarm.SwarmNode) n).toList();
    }

    @Override
    public List<org.clusterdrill.swarm.SwarmNode> nodes() {
        return List.copyOf(nodes);
    }

    @Override
    public org.clusterdrill.swarm.SwarmNode node(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "Swarm " + runId + " has no node named '" + name + "'; its nodes are "
                        + nodes.stream().map(NodeContainer::name).toList()));
    }

    NodeContainer container(org.clusterdrill.swarm.SwarmNode node) {
        return nodes.stream().filter(n -> n == node || n.name().equals(node.name())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Node " + node.name() + " is not part of swarm " + runId));
    }

    @Override
    public ClusterState captureState() {
        requireNodes("capture its state");
        ClusterState state = new SwarmStateReader((NodeContainer) leader(), workload.image(), settings.timeout()).capture();
        Drill current = drill;
        if (current != null) {
            current.recordState("capture " + capturedStates.incrementAndGet(), state);
        }
        return state;
    }

    @Override
    public SwarmBackup backup() {
        requireNodes("take a backup");
        org.clusterdrill.swarm.SwarmNode leader = leader();
        org.clusterdrill.swarm.SwarmNode source = reachableManagers().stream().filter(m -> !m.name().equals(leader.name()))
                .findFirst().map(m -> (org.clusterdrill.swarm.SwarmNode) m).orElse(leader);
        if (source == leader) {
            LOG.warn("Swarm {} has a single manager, so the backup is taken from the leader and the swarm "
                    + "is unavailable while its engine is stopped", runId);
        }
        return backup(source);
    }

    @Override
    public SwarmBackup backup(org.clusterdrill.swarm.SwarmNode source) {
        NodeContainer node = container(source);
        if (node.role() != Role.MANAGER) {
            throw new IllegalArgumentException("Node " + source.name() + " is a worker; a backup needs a manager's Raft state. "
                    + "Pass one of " + managerContainers().stream().map(NodeContainer::name).toList());
        }
        return inPhase(Phase.BACKUP, "from " + node.name(), () ->
                new SwarmBackups(this, outer, runDirectory.resolve("backups")).backup(node, currentTopology()));
    }

    @Override
    public List<Fault> faults() {
        return List.copyOf(faults);
    }

    @Override
    public void nodeChanged(NodeContainer node, String action, Instant at, Duration took, boolean fault) {
        if (fault) {
            faults.add(new Fault(at, node.name(), action, took));
        }
        Drill current = drill;
        if (current != null) {
            current.event(fault ? DrillEvent.FAULT : DrillEvent.NOTE, action + " (" + took.toMillis() + " ms)", node.name());
        }
    }

    @Override
    public void secretWritten(String value) {
        secretValues.add(value);
        Drill current = drill;
        if (current != null) {
            current.redact(value);
        }
    }

    @Override
    public boolean explaining() {
        return settings.explain();
    }

    @Override
    public void explain(String where, String command) {
        if (settings.explain()) {
            EXPLAIN.info("[{}] $ {}", where, command);
        }
    }

    @Override
    public QuorumStatus quorum() {
        List<NodeContainer> managers = managerContainers();
        int reachable = (int) managers.stream().filter(m -> m.health().reachable()).count();
        return new QuorumStatus(reachable, managers.size());
    }

    @Override
    public org.clusterdrill.swarm.SwarmNode killLeader() {
        org.clusterdrill.swarm.SwarmNode leader = leader();
        leader.kill();
        return leader;
    }

    @Override
    public List<org.clusterdrill.swarm.SwarmNode> stopManagers(int count) {
        List<NodeContainer> reachable = reachableManagers();
        if (count < 1 || count > reachable.size()) {
            throw new IllegalArgumentException("Cannot stop " + count + " managers: swarm " + runId + " has "
                    + reachable.size() + " reachable managers; pass a count from 1 to " + reachable.size());
        }
        String leader = leader().name();
        List<NodeContainer> doomed = new ArrayList<>();
        reachable.stream().filter(m -> m.name().equals(leader)).forEach(doomed::add);
        reachable.stream().filter(m -> !m.name().equals(leader)).limit(count - 1L).forEach(doomed::add);
        inParallel(doomed, node -> {
            node.stopEngine();
            return node;
        });
        LOG.info("Stopped {} of {} managers of swarm {}, the leader {} among them; now {}", count,
                managerContainers().size(), runId, leader, quorum().describe());
        return List.copyOf(doomed);
    }

    @Override
    public List<org.clusterdrill.swarm.SwarmNode> loseQuorum() {
        QuorumStatus status = quorum();
        int toStop = status.reachableManagers() - status.needed() + 1;
        if (toStop < 1) {
            throw new IllegalStateException("Swarm " + runId + " has already lost its quorum: " + status.describe());
        }
        return stopManagers(toStop);
    }

    /**
     * Rotates the unlock key after a restore or a quorum recovery, as Docker's restore procedure
     * recommends, because the old key opened the state that was used. Returns once every manager's
     * key file opens with the new key: each manager re-encrypts its file when it reads the new key
     * from the Raft store, and until then a manager whose engine restarts would still need the old key.
     */
    void rotateUnlockKey(NodeContainer manager) {
        manager.explain(manager.name(), () -> "docker swarm unlock-key --rotate -q");
        ExecResult rotated = manager.exec("docker", "swarm", "unlock-key", "--rotate", "-q");
        if (!rotated.succeeded() || !rotated.stdout().trim().startsWith(LockedManagerKey.PREFIX)) {
            throw new IllegalStateException("Rotating the unlock key failed on " + manager.name() + ": "
                    + rotated.stderr().trim());
        }
        String key = rotated.stdout().trim();
        secretWritten(key);
        knownUnlockKey = key;
        List<NodeContainer> managers = managerContainers();
        awaitCondition("every manager's key file sealed with the rotated unlock key",
                () -> managers.stream().allMatch(m -> opensWith(m, key)),
                () -> "managers whose key file does not open with it: "
                        + managers.stream().filter(m -> !opensWith(m, key)).map(NodeContainer::name).toList());
        LOG.info("Rotated the unlock key of swarm {}; the key files of {} managers open with the new key, which "
                + "Swarm.unlockKey() returns", runId, managers.size());
    }

    private static boolean opensWith(NodeContainer manager, String unlockKey) {
        try {
            LockedManagerKey.unlock(manager.swarmKeyFile(), unlockKey);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Returns the unlock key when the survivor's swarm state is locked, or {@code null} when the
     * swarm is not autolocked.
     */
    private String lockedStateKey(NodeContainer survivor) {
        if (!LockedManagerKey.isLocked(survivor.swarmKeyFile())) {
            return null;
        }
        if (knownUnlockKey == null) {
            throw new IllegalStateException("Swarm " + runId + " is autolocked, and Docker Engine cannot force a new cluster "
                    + "on a locked manager, so the harness opens the manager's key itself. It does not know the unlock key, "
                    + "because autolock was turned on outside the harness. Call swarm.unlockKey() while the swarm has its "
                    + "quorum, or enableAutolock()");
        }
        return knownUnlockKey;
    }

    @Override
    public void recoverQuorum() {
        NodeContainer survivor = reachableManagers().stream().findFirst().orElseThrow(() -> new IllegalStateException(
                "No manager of swarm " + runId + " is reachable, so none can force a new cluster; restore from a backup"));
        List<NodeContainer> replaced = managerContainers().stream().filter(m -> m != survivor).toList();
        Instant since = Instant.now();
        String unlockKey = lockedStateKey(survivor);
        inPhase(Phase.RESTORE, "force new cluster on " + survivor.name(), () -> {
            if (unlockKey == null) {
                explain(survivor.name(), "docker swarm init --force-new-cluster --advertise-addr " + survivor.address()
                        + " --listen-addr 0.0.0.0:2377");
                survivor.docker().initializeSwarmCmd(new SwarmSpec()).withForceNewCluster(true)
                        .withAdvertiseAddr(survivor.address()).withListenAddr("0.0.0.0:2377").exec();
            } else {
                // Docker Engine's init ignores the unlock key, so it fails on a locked manager; see LockedManagerKey.
                survivor.stopEngine(false);
                survivor.openLockedStateOffline(unlockKey);
                survivor.startEngine(false);
                survivor.forceNewAutolockedCluster();
            }
            // The other managers left the Raft group with --force-new-cluster, reachable or not, so
            // they are replaced by fresh nodes with the same names and addresses.
            removeNodes(replaced);
            java.util.Set<String> kept = nodes.stream().map(NodeContainer::name).collect(Collectors.toSet());
            SwarmBackups.removeStaleNodes(survivor, kept);
            launchAndJoin(replaced.stream().map(NodeContainer::slot).toList(), survivor);
            if (unlockKey != null) {
                rotateUnlockKey(survivor);
            }
            return null;
        });
        inPhase(Phase.CONVERGE, "", () -> {
            awaitConverged(since);
            return null;
        });
        LOG.info("Swarm {} recovered its quorum through {}: {}", runId, survivor.name(), quorum().describe());
    }

    /** Adds a second address of the cluster network to a node, for {@link SwarmBackups#restore}. */
    void addAddressAlias(NodeContainer node, String address) {
        String prefix = network.subnet().substring(network.subnet().indexOf('/'));
        node.explain(node.name(), () -> "ip address add " + address + prefix + " dev eth0   # inside the node");
        ExecResult result = node.exec("ip", "address", "add", address + prefix, "dev", "eth0");
        if (!result.succeeded()) {
            throw new IllegalStateException("Could not add address " + address + " to node " + node.name() + ": "
                    + result.stderr().trim());
        }
    }

    /**
     * Gives a restored manager its new address in Raft. Demoted, it leaves the Raft group and drops
     * the old address. Promoted again, it joins with the address it advertises. A single-manager
     * swarm has no other manager to lead meanwhile, so it keeps the old address as an alias.
     */
    void reseatManager(NodeContainer restored, String oldAddress) {
        List<NodeContainer> others = reachableManagers().stream().filter(m -> m != restored).toList();
        if (others.isEmpty()) {
            LOG.warn("Swarm {} has a single manager, so {} keeps answering on its old address {} as well", runId,
                    restored.name(), oldAddress);
            return;
        }
        String nodeId = restored.docker().infoCmd().exec().getSwarm().getNodeID();
        setRole(others.get(0), nodeId, com.github.dockerjava.api.model.SwarmNodeRole.WORKER);
        awaitCondition(restored.name() + " demoted and another manager leading", () -> {
            NodeContainer leader = leader(Duration.ofSeconds(2));
            return leader != restored && leader.docker().listSwarmNodesCmd().exec().stream()
                    .filter(n -> n.getId().equals(nodeId)).allMatch(n -> n.getManagerStatus() == null);
        }, () -> describeNodes(others.get(0)));
        String prefix = network.subnet().substring(network.subnet().indexOf('/'));
        restored.explain(restored.name(), () -> "ip address del " + oldAddress + prefix + " dev eth0   # inside the node");
        restored.exec("ip", "address", "del", oldAddress + prefix, "dev", "eth0");
        setRole(others.get(0), nodeId, com.github.dockerjava.api.model.SwarmNodeRole.MANAGER);
        awaitCondition(restored.name() + " serving as a manager again", () -> restored.docker().listSwarmNodesCmd().exec()
                .stream().filter(n -> n.getId().equals(nodeId))
                .anyMatch(n -> n.getManagerStatus() != null && isReachable(n.getManagerStatus())), () -> describeNodes(others.get(0)));
        awaitNodesReady(others.get(0));
        LOG.info("Manager {} of swarm {} moved in Raft from {} to {}", restored.name(), runId, oldAddress, restored.address());
    }

    private void setRole(NodeContainer manager, String nodeId, com.github.dockerjava.api.model.SwarmNodeRole role) {
        manager.explain(manager.name(), () -> "docker node " + (role == com.github.dockerjava.api.model.SwarmNodeRole.WORKER
                ? "demote " : "promote ") + nodeId);
        awaitCondition("role of node " + nodeId + " set to " + role, () -> {
            SwarmNode node = manager.docker().listSwarmNodesCmd().exec().stream().filter(n -> n.getId().equals(nodeId))
                    .findFirst().orElseThrow();
            manager.docker().updateSwarmNodeCmd().withSwarmNodeId(nodeId).withVersion(node.getVersion().getIndex())
                    .withSwarmNodeSpec(node.getSpec().withRole(role)).exec();
            return true;
        }, () -> describeNodes(manager));
    }

    /**
     * Checks that every reachable manager reports the same cluster id and the same set of managers,
     * each listed once, so no second cluster formed beside the restored one.
     */
    void verifySingleCluster() {
        java.util.Map<String, List<String>> viewByManager = new java.util.TreeMap<>();
        java.util.Set<String> clusterIds = new java.util.TreeSet<>();
        for (NodeContainer manager : reachableManagers()) {
            clusterIds.add(manager.docker().inspectSwarmCmd().exec().getId());
            viewByManager.put(manager.name(), manager.docker().listSwarmNodesCmd().exec().stream()
                    .filter(n -> n.getManagerStatus() != null)
                    .map(n -> n.getDescription().getHostname()).sorted().toList());
        }
        java.util.Set<List<String>> views = new java.util.HashSet<>(viewByManager.values());
        boolean duplicates = views.stream().anyMatch(view -> view.size() != new java.util.HashSet<>(view).size());
        if (clusterIds.size() != 1 || views.size() != 1 || duplicates) {
            throw new IllegalStateException("The managers of swarm " + runId + " disagree after the restore: cluster ids "
                    + clusterIds + ", managers seen by each " + viewByManager);
        }
    }

    /**
     * Puts a shared cluster back to a known state for its next class: every service, secret, config
     * and swarm network except ingress removed. Returns false, changing nothing, when a node is not
     * running and connected or the node count differs from the plan, because then only a new
     * cluster is a known state.
     */
    synchronized boolean resetForReuse() {
        if (closed || nodes.size() != topology.size() || nodes.stream().anyMatch(n -> !n.health().reachable())) {
            LOG.info("Swarm {} cannot be reused: {} of {} planned nodes, health {}", runId, nodes.size(), topology.size(),
                    nodes.stream().map(n -> n.name() + "=" + n.health()).toList());
            return false;
        }
        try {
            DockerClient docker = ((NodeContainer) leader()).docker();
            docker.listServicesCmd().exec().forEach(service -> docker.removeServiceCmd(service.getId()).exec());
            awaitCondition("secrets, configs and networks of the previous class removed", () -> {
                docker.listSecretsCmd().exec().forEach(secret -> docker.removeSecretCmd(secret.getId()).exec());
                docker.listConfigsCmd().exec().forEach(config -> docker.removeConfigCmd(config.getId()).exec());
                docker.listNetworksCmd().exec().stream()
                        .filter(n -> "swarm".equals(n.getScope()) && !"ingress".equals(n.getName()))
                        .forEach(n -> docker.removeNetworkCmd(n.getId()).exec());
                return docker.listSecretsCmd().exec().isEmpty() && docker.listConfigsCmd().exec().isEmpty()
                        && docker.listNetworksCmd().exec().stream()
                        .noneMatch(n -> "swarm".equals(n.getScope()) && !"ingress".equals(n.getName()));
            }, () -> "objects left in swarm " + runId);
            if (unlockKey().isPresent()) {
                ExecResult off = ((NodeContainer) leader()).exec("docker", "swarm", "update", "--autolock=false");
                if (!off.succeeded()) {
                    throw new IllegalStateException("turning autolock off failed: " + off.stderr().trim());
                }
                knownUnlockKey = null;
            }
        } catch (RuntimeException e) {
            LOG.warn("Resetting swarm {} for reuse failed, so a new cluster starts", runId, e);
            return false;
        }
        faults.clear();
        secretValues.clear();
        LOG.info("Swarm {} reset for use {}", runId, uses.incrementAndGet());
        return true;
    }

    SwarmSettings settings() {
        return settings;
    }

    ClusterNetwork network() {
        return network;
    }

    List<NodeContainer> containers() {
        return List.copyOf(nodes);
    }

    OuterEngine outerEngine() {
        return outer;
    }

    /**
     * Leaves the cluster running after a failed test and logs how to reach and remove it. Later runs
     * find a marker volume and do not sweep it.
     */
    synchronized void keep() {
        if (closed) {
            return;
        }
        closed = true;
        outer.client().createVolumeCmd().withName("clusterdrill-" + runId + "-kept")
                .withLabels(java.util.Map.of(RunLabels.RUN, runId, RunLabels.OWNER, RunLabels.thisOwner(), RunLabels.KEPT, runId))
                .exec();
        nodes.forEach(NodeContainer::closeClient);
        executor.shutdownNow();
        queries.shutdownNow();
        String first = nodes.isEmpty() ? "<node>" : "clusterdrill-" + runId + "-" + nodes.get(0).name();
        LOG.warn("Keeping swarm {} after a failed test, because clusterdrill.keep.on.failure is true.\n"
                + "  Reach it with:  docker exec -it {} docker node ls\n"
                + "  Remove it with: docker rm -f -v $(docker ps -aq --filter label={}={}); docker network rm {}; "
                + "docker volume rm $(docker volume ls -q --filter label={}={}); rm -rf {}",
                runId, first, RunLabels.RUN, runId, network.name(), RunLabels.RUN, runId, runDirectory);
    }

    @Override
    public String workloadImage() {
        return workload.image();
    }

    List<SwarmBackup.NodeSlot> currentTopology() {
        return nodes.stream().map(NodeContainer::slot).toList();
    }

    @Override
    public void destroy() {
        inPhase(Phase.DESTROY, nodes.size() + " nodes", () -> {
            removeNodes(List.copyOf(nodes));
            return null;
        });
    }

    private void removeNodes(List<NodeContainer> doomed) {
        Drill current = drill;
        inParallel(doomed, node -> {
            if (current != null) {
                current.event(DrillEvent.FAULT, "node and its volume removed", node.name());
            }
            launcher.remove(node);
            nodes.remove(node);
            return node;
        });
        LOG.info("Removed {} nodes of swarm {} with their volumes", doomed.size(), runId);
    }

    @Override
    public void restore(SwarmBackup backup) {
        restore(backup, java.util.function.UnaryOperator.identity(), null);
    }

    @Override
    public void restore(SwarmBackup backup, String unlockKey) {
        LockedManagerKey.parseUnlockKey(unlockKey);
        secretWritten(unlockKey.trim());
        knownUnlockKey = unlockKey.trim();
        restore(backup, java.util.function.UnaryOperator.identity(), unlockKey.trim());
    }

    @Override
    public void restoreOnNewAddresses(SwarmBackup backup) {
        restore(backup, slot -> new SwarmBackup.NodeSlot(slot.name(), slot.role(),
                network.address(slot.role(), topology.indexOf(plannedSlot(slot.name())) + 1 + NEW_ADDRESS_OFFSET)), null);
    }

    @Override
    public String enableAutolock() {
        requireNodes("turn autolock on");
        NodeContainer manager = (NodeContainer) leader();
        manager.explain(manager.name(), () -> "docker swarm update --autolock=true");
        ExecResult result = manager.exec("docker", "swarm", "update", "--autolock=true");
        if (!result.succeeded()) {
            throw new IllegalStateException("Turning autolock on failed on " + manager.name() + ": " + result.stderr().trim());
        }
        String key = unlockKey().orElseThrow(() -> new IllegalStateException("Swarm " + runId
                + " reports no unlock key after autolock was turned on"));
        Drill current = drill;
        if (current != null) {
            current.event(DrillEvent.NOTE, "autolock turned on", manager.name());
        }
        LOG.info("Autolock turned on for swarm {}; logs and reports show its unlock key redacted", runId);
        return key;
    }

    @Override
    public java.util.Optional<String> unlockKey() {
        requireNodes("read its unlock key");
        NodeContainer manager = (NodeContainer) leader();
        ExecResult result = manager.exec("docker", "swarm", "unlock-key", "-q");
        if (!result.succeeded()) {
            if (result.stderr().contains("no unlock key is set")) {
                knownUnlockKey = null;
                return java.util.Optional.empty();
            }
            throw new IllegalStateException("Reading the unlock key failed on " + manager.name() + ": " + result.stderr().trim());
        }
        String key = result.stdout().trim();
        secretWritten(key);
        knownUnlockKey = key;
        return java.util.Optional.of(key);
    }

    /** Distance between a node's planned address and its address after {@link #restoreOnNewAddresses}. */
    private static final int NEW_ADDRESS_OFFSET = 40;

    private SwarmBackup.NodeSlot plannedSlot(String name) {
        return topology.stream().filter(slot -> slot.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Backup names node '" + name + "', which swarm " + runId
                        + " does not plan; its nodes are " + topology.stream().map(SwarmBackup.NodeSlot::name).toList()));
    }

    private void restore(SwarmBackup backup, java.util.function.UnaryOperator<SwarmBackup.NodeSlot> relocate, String unlockKey) {
        if (!nodes.isEmpty()) {
            throw new IllegalStateException("Swarm " + runId + " still has nodes " + nodes.stream().map(NodeContainer::name).toList()
                    + "; restoring while they run would create a second cluster beside them. Call destroy() first.");
        }
        if (clusterId != null && !clusterId.equals(backup.clusterId())) {
            throw new IllegalArgumentException("Backup " + backup.archive() + " belongs to swarm " + backup.clusterId()
                    + ", but this cluster is swarm " + clusterId + "; restore a backup taken from this cluster");
        }
        SwarmBackups backups = new SwarmBackups(this, outer, runDirectory.resolve("backups"));
        backups.verify(backup);
        Instant restoreStarted = Instant.now();
        inPhase(Phase.RESTORE, "from " + backup.archive().getFileName(), () -> {
            backups.restore(backup, launcher, relocate, unlockKey);
            return null;
        });
        inPhase(Phase.CONVERGE, "", () -> {
            awaitConverged(restoreStarted);
            return null;
        });
    }

    void adopt(NodeContainer node) {
        nodes.add(node);
    }

    String engineVersion() {
        return nodes.isEmpty() ? "unknown" : nodes.get(0).docker().versionCmd().exec().getVersion();
    }

    private void requireNodes(String action) {
        if (nodes.isEmpty()) {
            throw new IllegalStateException("Swarm " + runId + " has no nodes, so it cannot " + action
                    + "; it was destroyed. Call restore(backup) first.");
        }
    }

    // --- drill timeline ---

    void attach(Drill drill) {
        this.drill = drill;
        capturedStates.set(0);
        secretValues.forEach(drill::redact);
        drill.environment("cluster.use", uses.get() == 1 ? "started for this class" : "reused, use " + uses.get());
        if (startRecord != null && uses.get() == 1) {
            drill.record(startRecord);
        }
        drill.environment("platform", "docker swarm");
        drill.environment("node.image", settings.nodeImage());
        drill.environment("workload.image", settings.workloadImage());
        drill.environment("outer.engine", outer.serverVersion());
        drill.environment("topology", settings.managers() + " managers, " + settings.workers() + " workers");
        drill.environment("node.count", String.valueOf(settings.managers() + settings.workers()));
        if (!nodes.isEmpty()) {
            drill.environment("inner.engine", engineVersion());
            drill.environment("engine.endpoints", nodes.stream().map(n -> n.name() + "=" + n.engineUri())
                    .collect(Collectors.joining(", ")));
        }
    }

    void detach() {
        this.drill = null;
    }

    private <T> T inPhase(Phase phase, String detail, Callable<T> action) {
        Drill current = drill;
        if (current != null) {
            return current.phase(phase, detail, action);
        }
        long start = System.nanoTime();
        try {
            return action.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(phase.label() + " of swarm " + runId + " failed", e);
        } finally {
            LOG.info("Swarm {}: {} took {} ms", runId, phase.label(), (System.nanoTime() - start) / 1_000_000);
        }
    }

    /** Removes every node, the network and the run folder, including backups unless kept on purpose. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<RuntimeException> failures = new ArrayList<>();
        try {
            removeNodes(List.copyOf(nodes));
        } catch (RuntimeException e) {
            failures.add(e);
        }
        try {
            launcher.removeOutsideVolume();
        } catch (RuntimeException e) {
            failures.add(e);
        }
        try {
            outer.removeNetwork(network.id());
        } catch (RuntimeException e) {
            failures.add(e);
        }
        executor.shutdownNow();
        queries.shutdownNow();
        deleteRunDirectory();
        if (!failures.isEmpty()) {
            RuntimeException first = failures.get(0);
            failures.stream().skip(1).forEach(first::addSuppressed);
            LOG.error("Cleaning up swarm {} failed; the next run removes what is left, found by label {}={}",
                    runId, RunLabels.RUN, runId, first);
            throw first;
        }
        LOG.info("Swarm {} removed", runId);
    }

    private void deleteRunDirectory() {
        if (settings.keepBackups() && Files.exists(runDirectory.resolve("backups"))) {
            LOG.info("Keeping backups of swarm {} in {}", runId, runDirectory.resolve("backups"));
            try {
                Files.deleteIfExists(runDirectory.resolve(LeftoverSweeper.OWNER_FILE));
            } catch (IOException e) {
                LOG.warn("Could not delete {}, so a later sweep may delete the kept backups", runDirectory.resolve(
                        LeftoverSweeper.OWNER_FILE), e);
            }
            try (var sockets = Files.walk(runDirectory.resolve("sockets"))) {
                sockets.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                LOG.debug("Could not delete the socket folders in {}", runDirectory, e);
            }
            return;
        }
        try (var paths = Files.walk(runDirectory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            LOG.warn("Could not delete the run folder {}", runDirectory, e);
        }
    }
}
