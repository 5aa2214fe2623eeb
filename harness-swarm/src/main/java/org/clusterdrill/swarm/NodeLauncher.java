package org.clusterdrill.swarm;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.Volume;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and starts node containers on the outer engine, each with its own volume for
 * {@code /var/lib/docker} and a fixed address on the cluster network. Every node also mounts the
 * run's outside volume at {@link #OUTSIDE_FOLDER}.
 */
final class NodeLauncher {

    private static final Logger LOG = LoggerFactory.getLogger(NodeLauncher.class);

    /** Folder inside a node that contains the inner engine's socket, bind-mounted from a host folder. */
    private static final String SOCKET_FOLDER = "/run/clusterdrill";

    /**
     * Folder inside every node that is one volume of the outer engine, shared by all nodes of the
     * run. It survives {@code destroy()} and is not part of a swarm backup, so services can keep data
     * outside the cluster there, as an external storage system does.
     */
    static final String OUTSIDE_FOLDER = "/var/lib/clusterdrill/outside";

    /**
     * Capabilities for {@link NodeMode#CAPABILITIES}: every capability that Docker 20.10 accepts,
     * except SYS_RESOURCE, which engines in restricted sandboxes cannot grant.
     */
    private static final Capability[] NODE_CAPABILITIES = {
        Capability.AUDIT_CONTROL, Capability.AUDIT_READ, Capability.AUDIT_WRITE, Capability.BLOCK_SUSPEND,
        Capability.CHOWN, Capability.DAC_OVERRIDE, Capability.DAC_READ_SEARCH, Capability.FOWNER, Capability.FSETID,
        Capability.IPC_LOCK, Capability.IPC_OWNER, Capability.KILL, Capability.LEASE, Capability.LINUX_IMMUTABLE,
        Capability.MAC_ADMIN, Capability.MAC_OVERRIDE, Capability.MKNOD, Capability.NET_ADMIN,
        Capability.NET_BIND_SERVICE, Capability.NET_BROADCAST, Capability.NET_RAW, Capability.SETFCAP,
        Capability.SETGID, Capability.SETPCAP, Capability.SETUID, Capability.SYS_ADMIN, Capability.SYS_BOOT,
        Capability.SYS_CHROOT, Capability.SYS_MODULE, Capability.SYS_NICE, Capability.SYS_PACCT,
        Capability.SYS_PTRACE, Capability.SYS_RAWIO, Capability.SYS_TIME, Capability.SYS_TTY_CONFIG,
        Capability.SYSLOG, Capability.WAKE_ALARM,
    };

    /**
     * Steps that every node of a run gets after the workload image, by run id, such as loading an
     * extra image. They also run on nodes that a restore or a quorum recovery launches.
     */
    private static final Map<String, List<Consumer<NodeContainer>>> SETUP_STEPS = new ConcurrentHashMap<>();

    /** The mode that {@link NodeMode#AUTO} settled on for this JVM's outer engine. */
    private static final AtomicReference<NodeMode> AUTO_MODE = new AtomicReference<>();

    private final OuterEngine outer;
    private final SwarmSettings settings;
    private final String runId;
    private final ClusterNetwork network;
    private final Path runDirectory;
    private final WorkloadImage workload;
    private final NodeObserver observer;
    private final boolean useSocket;
    private final boolean systemdCgroups;
    private final AtomicInteger containerCounter = new AtomicInteger();
    private volatile String outsideVolume;

    NodeLauncher(OuterEngine outer, SwarmSettings settings, String runId, ClusterNetwork network, Path runDirectory,
                 WorkloadImage workload, NodeObserver observer) {
        this.outer = outer;
        this.settings = settings;
        this.runId = runId;
        this.network = network;
        this.runDirectory = runDirectory;
        this.workload = workload;
        this.observer = observer;
        // NOTE: the project's tests have run only the socket transport and the capabilities mode, on
        // Docker 20.10 with cgroup v1. The TCP transport and privileged nodes are untested.
        this.useSocket = switch (settings.transport()) {
            case SOCKET -> true;
            case TCP -> false;
            case AUTO -> outer.isLocalUnixSocket();
        };
        this.systemdCgroups = "systemd".equals(outer.cgroupDriver());
    }

    /**
     * Starts a node for the slot, waits until its engine responds, loads the workload image into it
     * and runs the run's setup steps on it.
     */
    NodeContainer launch(SwarmBackup.NodeSlot slot) {
        NodeContainer node = startWithResolvedMode(slot);
        node.awaitEngine();
        workload.loadInto(node);
        SETUP_STEPS.getOrDefault(runId, List.of()).forEach(step -> step.accept(node));
        return node;
    }

    /**
     * Adds a step that every node of the run launched from now on gets. The caller runs it on the
     * nodes that already exist.
     */
    static void addSetupStep(String runId, Consumer<NodeContainer> step) {
        SETUP_STEPS.computeIfAbsent(runId, id -> new CopyOnWriteArrayList<>()).add(step);
    }

    private NodeContainer startWithResolvedMode(SwarmBackup.NodeSlot slot) {
        NodeMode mode = settings.nodeMode();
        if (mode != NodeMode.AUTO) {
            return createAndStart(slot, mode);
        }
        NodeMode settled = AUTO_MODE.get();
        if (settled != null) {
            return createAndStart(slot, settled);
        }
        synchronized (AUTO_MODE) {
            if (AUTO_MODE.get() != null) {
                return createAndStart(slot, AUTO_MODE.get());
            }
            NodeContainer node = create(slot, NodeMode.PRIVILEGED);
            try {
                outer.client().startContainerCmd(node.containerId()).exec();
                AUTO_MODE.set(NodeMode.PRIVILEGED);
                LOG.info("Nodes run privileged, as the official docker-in-docker image documents");
                return node;
            } catch (DockerException e) {
                remove(node);
                AUTO_MODE.set(NodeMode.CAPABILITIES);
                LOG.info("This engine refuses privileged containers ({}); nodes run with explicit capabilities, "
                        + "unconfined seccomp and AppArmor, and cgroups mounted read-write", e.getMessage().trim());
                return createAndStart(slot, NodeMode.CAPABILITIES);
            }
        }
    }

    private NodeContainer createAndStart(SwarmBackup.NodeSlot slot, NodeMode mode) {
        NodeContainer node = create(slot, mode);
        try {
            outer.client().startContainerCmd(node.containerId()).exec();
        } catch (DockerException e) {
            remove(node);
            throw new IllegalStateException("Node " + slot.name() + " (image " + settings.nodeImage() + ", mode "
                    + mode.name().toLowerCase(java.util.Locale.ROOT) + ") could not start: " + e.getMessage().trim()
                    + ". Set clusterdrill.node.mode to privileged or capabilities to choose how nodes run.", e);
        }
        return node;
    }

    private NodeContainer create(SwarmBackup.NodeSlot slot, NodeMode mode) {
        int serial = containerCounter.incrementAndGet();
        String volume = outer.client().createVolumeCmd()
                .withName("clusterdrill-" + runId + "-" + slot.name() + "-" + serial)
                .withLabels(RunLabels.forNode(runId, slot.name())).exec().getName();

        List<Bind> binds = new ArrayList<>();
        binds.add(new Bind(volume, new Volume("/var/lib/docker")));
        binds.add(new Bind(outsideVolume(), new Volume(OUTSIDE_FOLDER)));
        List<String> engineFlags = new ArrayList<>();
        URI socket = null;
        if (useSocket) {
            Path folder = socketFolder(slot.name() + "-" + serial);
            binds.add(new Bind(folder.toString(), new Volume(SOCKET_FOLDER)));
            engineFlags.add("--host=unix://" + SOCKET_FOLDER + "/docker.sock");
            socket = URI.create("unix://" + folder.resolve("docker.sock"));
            ownerGroupFlag().ifPresent(engineFlags::add);
        }
        // dockerd 20.10 waits 15 s before serving plain TCP unless TLS is turned off explicitly.
        engineFlags.add("--tls=false");

        HostConfig host = HostConfig.newHostConfig().withNetworkMode(network.name());
        if (mode == NodeMode.PRIVILEGED) {
            host.withPrivileged(true);
        } else {
            binds.add(Bind.parse("/sys/fs/cgroup:/sys/fs/cgroup:rw"));
            host.withCapAdd(NODE_CAPABILITIES)
                    .withSecurityOpts(List.of("seccomp=unconfined", "apparmor=unconfined"));
            if (!systemdCgroups) {
                host.withCgroupParent("/clusterdrill/" + runId + "-" + slot.name() + "-" + serial);
            }
        }
        host.withBinds(binds);

        CreateContainerCmd command = outer.client().createContainerCmd(settings.nodeImage())
                .withName("clusterdrill-" + runId + "-" + slot.name())
                .withHostName(slot.name())
                .withLabels(RunLabels.forNode(runId, slot.name()))
                .withEnv("DOCKER_TLS_CERTDIR=", "DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1")
                .withCmd(engineFlags)
                .withIpv4Address(slot.address());
        if (!useSocket) {
            ExposedPort engine = ExposedPort.tcp(2375);
            command.withExposedPorts(engine);
            host.withPortBindings(new PortBinding(Ports.Binding.bindIp("127.0.0.1"), engine));
        }
        observer.explain("host", "docker volume create " + volume + " && " + describeRun(command, host));
        String containerId = command.withHostConfig(host).exec().getId();
        LOG.debug("Created {} {} as container {} (mode {}, address {})", slot.role().label(), slot.name(),
                containerId.substring(0, 12), mode, slot.address());
        return new NodeContainer(slot, containerId, volume, socket, outer, workload.image(), settings.timeout(), network.name(),
                observer);
    }

    /** Describes a node container's creation as the {@code docker run} command that does the same. */
    private static String describeRun(CreateContainerCmd command, HostConfig host) {
        StringBuilder text = new StringBuilder("docker run --detach --name ").append(command.getName())
                .append(" --hostname ").append(command.getHostName())
                .append(" --network ").append(host.getNetworkMode()).append(" --ip ").append(command.getIpv4Address());
        if (Boolean.TRUE.equals(host.getPrivileged())) {
            text.append(" --privileged");
        }
        if (host.getCapAdd() != null) {
            for (Capability capability : host.getCapAdd()) {
                text.append(" --cap-add ").append(capability);
            }
        }
        if (host.getSecurityOpts() != null) {
            host.getSecurityOpts().forEach(option -> text.append(" --security-opt ").append(option));
        }
        if (host.getCgroupParent() != null) {
            text.append(" --cgroup-parent ").append(host.getCgroupParent());
        }
        for (Bind bind : host.getBinds()) {
            text.append(" --volume ").append(bind.getPath()).append(':').append(bind.getVolume().getPath());
        }
        if (host.getPortBindings() != null && !host.getPortBindings().getBindings().isEmpty()) {
            text.append(" --publish 127.0.0.1::2375");
        }
        for (String variable : command.getEnv()) {
            text.append(" --env ").append(variable);
        }
        text.append(' ').append(command.getImage());
        for (String flag : command.getCmd()) {
            text.append(' ').append(flag);
        }
        return text.toString();
    }

    /** Creates the run's outside volume on first use and returns its name. */
    private synchronized String outsideVolume() {
        if (outsideVolume == null) {
            outsideVolume = outer.client().createVolumeCmd()
                    .withName("clusterdrill-" + runId + "-outside")
                    .withLabels(RunLabels.forRun(runId)).exec().getName();
        }
        return outsideVolume;
    }

    /**
     * Removes the run's outside volume and its setup steps, once the cluster is closed and
     * every node is gone.
     */
    synchronized void removeOutsideVolume() {
        SETUP_STEPS.remove(runId);
        if (outsideVolume != null) {
            outer.removeVolume(outsideVolume);
            outsideVolume = null;
        }
    }

    /** Removes a node's container and volume. */
    void remove(NodeContainer node) {
        observer.explain("host", "docker rm --force --volumes clusterdrill-" + runId + "-" + node.name()
                + " && docker volume rm " + node.volume());
        node.closeClient();
        outer.removeContainer(node.containerId());
        outer.removeVolume(node.volume());
    }

    private Path socketFolder(String name) {
        try {
            return Files.createDirectories(runDirectory.resolve("sockets").resolve(name));
        } catch (IOException e) {
            throw new IllegalStateException("Could not create the socket folder for node " + name + " in " + runDirectory, e);
        }
    }

    /**
     * Returns {@code --group=<gid>} for a JVM that does not run as root, so the inner engine's
     * socket belongs to the JVM user's group.
     */
    private static java.util.Optional<String> ownerGroupFlag() {
        try {
            com.sun.security.auth.module.UnixSystem user = new com.sun.security.auth.module.UnixSystem();
            return user.getUid() == 0 ? java.util.Optional.empty() : java.util.Optional.of("--group=" + user.getGid());
        } catch (RuntimeException | LinkageError e) {
            return java.util.Optional.empty();
        }
    }
}
