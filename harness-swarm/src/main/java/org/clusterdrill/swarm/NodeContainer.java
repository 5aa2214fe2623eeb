package org.clusterdrill.swarm;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.ContainerConfig;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.ContainerSpecConfig;
import com.github.dockerjava.api.model.ContainerSpecFile;
import com.github.dockerjava.api.model.ContainerSpecSecret;
import com.github.dockerjava.api.model.EndpointSpec;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.NetworkAttachmentConfig;
import com.github.dockerjava.api.model.PortConfig;
import com.github.dockerjava.api.model.PortConfigProtocol;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.SecretSpec;
import com.github.dockerjava.api.model.ServiceGlobalModeOptions;
import com.github.dockerjava.api.model.ServiceModeConfig;
import com.github.dockerjava.api.model.ServiceReplicatedModeOptions;
import com.github.dockerjava.api.model.ServiceRestartCondition;
import com.github.dockerjava.api.model.ServiceRestartPolicy;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.TaskSpec;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.dockerclient.DockerClientProviderStrategy;
import org.testcontainers.dockerclient.TransportConfig;

/** A node container and the client of the engine inside it. */
final class NodeContainer implements SwarmNode {

    private static final Logger LOG = LoggerFactory.getLogger(NodeContainer.class);
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final SwarmBackup.NodeSlot slot;
    private final String containerId;
    private final String volume;
    private final URI socket;
    private final OuterEngine outer;
    private final String workloadImage;
    private final Duration timeout;
    private final String networkName;
    private final NodeObserver observer;
    private volatile DockerClient client;
    private volatile NodeHealth health = NodeHealth.RUNNING;

    NodeContainer(SwarmBackup.NodeSlot slot, String containerId, String volume, URI socket, OuterEngine outer,
                  String workloadImage, Duration timeout, String networkName, NodeObserver observer) {
        this.slot = slot;
        this.containerId = containerId;
        this.volume = volume;
        this.socket = socket;
        this.outer = outer;
        this.workloadImage = workloadImage;
        this.timeout = timeout;
        this.networkName = networkName;
        this.observer = observer;
    }

    NodeHealth health() {
        return health;
    }

    @Override
    public String name() {
        return slot.name();
    }

    @Override
    public Role role() {
        return slot.role();
    }

    @Override
    public String address() {
        return slot.address();
    }

    SwarmBackup.NodeSlot slot() {
        return slot;
    }

    String containerId() {
        return containerId;
    }

    String volume() {
        return volume;
    }

    @Override
    public DockerClient docker() {
        DockerClient current = client;
        if (current == null) {
            synchronized (this) {
                if (client == null) {
                    client = DockerClientProviderStrategy.getClientForConfig(
                            TransportConfig.builder().dockerHost(engineUri()).build());
                }
                current = client;
            }
        }
        return current;
    }

    /** Returns the inner engine's address: its socket in a host folder, or its TCP port on 127.0.0.1. */
    URI engineUri() {
        if (socket != null) {
            return socket;
        }
        Ports.Binding[] bindings = outer.client().inspectContainerCmd(containerId).exec()
                .getNetworkSettings().getPorts().getBindings().get(ExposedPort.tcp(2375));
        if (bindings == null || bindings.length == 0) {
            throw new IllegalStateException("Node " + name() + " publishes no port for its engine (2375/tcp)");
        }
        return URI.create("tcp://" + DockerClientFactory.instance().dockerHostIpAddress() + ":" + bindings[0].getHostPortSpec());
    }

    /** Forgets the client, because the engine's address may change when its container restarts. */
    synchronized void closeClient() {
        DockerClient current = client;
        client = null;
        if (current != null) {
            try {
                current.close();
            } catch (IOException e) {
                LOG.debug("Closing the client of node {} failed", name(), e);
            }
        }
    }

    /** Logs the command for explain mode; the text is built only when explain mode is on. */
    void explain(String where, java.util.function.Supplier<String> command) {
        if (observer.explaining()) {
            observer.explain(where, command.get());
        }
    }

    /** Returns the node container's name on the outer engine, as commands for people use it. */
    String containerName() {
        return outer.client().inspectContainerCmd(containerId).exec().getName().replaceFirst("^/", "");
    }

    @Override
    public void stopEngine() {
        stopEngine(true);
    }

    @Override
    public void startEngine() {
        startEngine(true);
    }

    /**
     * Stops the engine, as a fault when {@code fault} is true, or as a step of a backup or restore,
     * which the timeline shows as a note and {@link Swarm#faults()} leaves out.
     */
    void stopEngine(boolean fault) {
        explain("host", () -> "docker stop --time 30 " + containerName());
        change("stop engine", NodeHealth.STOPPED, fault, () -> outer.client().stopContainerCmd(containerId).withTimeout(30).exec());
    }

    /** Starts the engine and waits until it responds, as a fault or as a procedure step like {@link #stopEngine(boolean)}. */
    void startEngine(boolean fault) {
        explain("host", () -> "docker start " + containerName());
        change("start engine", NodeHealth.RUNNING, fault, () -> {
            outer.client().startContainerCmd(containerId).exec();
            awaitEngine();
        });
    }

    @Override
    public void unlock(String unlockKey) {
        LockedManagerKey.parseUnlockKey(unlockKey);
        explain(name(), () -> "docker swarm unlock   # the key is typed in, never passed as an argument");
        String state = localNodeState();
        if (!"locked".equals(state)) {
            throw new IllegalStateException("Node " + name() + " is not locked (its swarm state is '" + state
                    + "'); only a manager of an autolocked swarm whose engine restarted needs unlocking");
        }
        ExecResult result = outer.exec(containerId, timeout.toSeconds(), List.of("CLUSTERDRILL_UNLOCK_KEY=" + unlockKey.trim()),
                "sh", "-c", "printf '%s\\n' \"$CLUSTERDRILL_UNLOCK_KEY\" | docker swarm unlock");
        if (!result.succeeded()) {
            throw new IllegalArgumentException("Node " + name() + " rejected the unlock key: " + result.stderr().trim()
                    + ". Pass the key that Swarm.unlockKey() returns now; a key from before a rotation no longer works");
        }
        LOG.info("Unlocked manager {}", name());
    }

    /** Returns the engine's local swarm state: inactive, pending, active, locked or error. */
    String localNodeState() {
        ExecResult result = exec("docker", "info", "--format", "{{.Swarm.LocalNodeState}}");
        return result.succeeded() ? result.stdout().trim() : "unknown (" + result.stderr().trim() + ")";
    }

    @Override
    public void kill() {
        explain("host", () -> "docker kill --signal SIGKILL " + containerName());
        injectFault("kill engine", NodeHealth.KILLED, () -> outer.client().killContainerCmd(containerId).withSignal("SIGKILL").exec());
    }

    @Override
    public void pause() {
        explain("host", () -> "docker pause " + containerName());
        injectFault("pause", NodeHealth.PAUSED, () -> outer.client().pauseContainerCmd(containerId).exec());
    }

    @Override
    public void unpause() {
        explain("host", () -> "docker unpause " + containerName());
        injectFault("unpause", NodeHealth.RUNNING, () -> outer.client().unpauseContainerCmd(containerId).exec());
    }

    @Override
    public void disconnect() {
        explain("host", () -> "docker network disconnect --force " + networkName + " " + containerName());
        injectFault("disconnect", NodeHealth.DISCONNECTED, () -> outer.client().disconnectFromNetworkCmd()
                .withContainerId(containerId).withNetworkId(networkName).withForce(true).exec());
    }

    @Override
    public void reconnect() {
        explain("host", () -> "docker network connect --ip " + address() + " " + networkName + " " + containerName());
        injectFault("reconnect", NodeHealth.RUNNING, () -> outer.client().connectToNetworkCmd()
                .withContainerId(containerId).withNetworkId(networkName)
                .withContainerNetwork(new ContainerNetwork().withIpamConfig(new ContainerNetwork.Ipam().withIpv4Address(address())))
                .exec());
    }

    @Override
    public void wipeSwarmState() {
        explain("host", () -> "docker stop --time 30 " + containerName() + " && docker run --rm --volume " + volume
                + ":/var/lib/docker --entrypoint rm <node image> -rf /var/lib/docker/swarm && docker start " + containerName());
        injectFault("wipe swarm state", NodeHealth.RUNNING, () -> {
            outer.client().stopContainerCmd(containerId).withTimeout(30).exec();
            runOnVolume("rm", "-rf", "/var/lib/docker/swarm");
            outer.client().startContainerCmd(containerId).exec();
            awaitEngine();
        });
    }

    /**
     * Runs a command in a one-off container of the node's image with the node's volume mounted at
     * {@code /var/lib/docker}, for changes while the engine is stopped. The container carries the
     * node's labels, so a sweep finds it after a crash.
     */
    private void runOnVolume(String... command) {
        ContainerConfig node = outer.client().inspectContainerCmd(containerId).exec().getConfig();
        String helper = outer.client().createContainerCmd(node.getImage())
                .withEntrypoint(command)
                .withLabels(node.getLabels())
                .withHostConfig(HostConfig.newHostConfig().withBinds(new Bind(volume, new Volume("/var/lib/docker"))))
                .exec().getId();
        try {
            outer.client().startContainerCmd(helper).exec();
            Integer status = outer.client().waitContainerCmd(helper).start()
                    .awaitStatusCode(timeout.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            if (status == null || status != 0) {
                throw new IllegalStateException("Command " + List.of(command) + " on the volume of node " + name()
                        + " exited with status " + status);
            }
        } finally {
            outer.removeContainer(helper);
        }
    }

    /**
     * Opens this manager's locked key file with the unlock key while the engine is stopped, and
     * removes the engine's swarm configuration, so that the engine starts outside the swarm and
     * {@link #forceNewAutolockedCluster()} can use the state. See {@link LockedManagerKey} for why.
     *
     * @throws IllegalArgumentException when the key does not open the file; the file is then unchanged
     */
    void openLockedStateOffline(String unlockKey) {
        explain("host", () -> "docker cp " + containerName() + ":/var/lib/docker/swarm/certificates/swarm-node.key -   "
                + "# opened with the unlock key and copied back, as `docker swarm unlock` does in memory");
        String locked;
        try (TarArchiveInputStream tar = new TarArchiveInputStream(
                outer.copyFrom(containerId, "/var/lib/docker/swarm/certificates/swarm-node.key"))) {
            if (tar.getNextEntry() == null) {
                throw new IllegalStateException("The swarm key file of node " + name() + " is missing");
            }
            locked = new String(tar.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the key file of node " + name(), e);
        }
        byte[] opened = LockedManagerKey.unlock(locked, unlockKey).getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream archive = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(archive)) {
            TarArchiveEntry entry = new TarArchiveEntry("swarm/certificates/swarm-node.key");
            entry.setSize(opened.length);
            entry.setMode(0600);
            tar.putArchiveEntry(entry);
            tar.write(opened);
            tar.closeArchiveEntry();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not pack the opened key file of node " + name(), e);
        }
        outer.copyInto(containerId, new ByteArrayInputStream(archive.toByteArray()), "/var/lib/docker");
        explain("host", () -> "docker run --rm --volume " + volume + ":/var/lib/docker --entrypoint rm <node image> "
                + "-f /var/lib/docker/swarm/docker-state.json");
        runOnVolume("rm", "-f", "/var/lib/docker/swarm/docker-state.json");
    }

    /**
     * Runs {@code docker swarm init --force-new-cluster --autolock} on an engine that started
     * outside the swarm with opened swarm state. docker-java's swarm spec has no autolock field,
     * and an init without it turns autolock off, so the engine's own client runs the init.
     */
    void forceNewAutolockedCluster() {
        explain(name(), () -> "docker swarm init --force-new-cluster --autolock --advertise-addr " + address()
                + " --listen-addr 0.0.0.0:2377");
        ExecResult init = exec("docker", "swarm", "init", "--force-new-cluster", "--autolock",
                "--advertise-addr", address(), "--listen-addr", "0.0.0.0:2377");
        if (!init.succeeded()) {
            throw new IllegalStateException("docker swarm init --force-new-cluster --autolock failed on " + name()
                    + " after its state was opened with the unlock key: " + init.stderr().trim());
        }
    }

    /** Returns this node's swarm key file, which is encrypted when the swarm is autolocked. */
    String swarmKeyFile() {
        ExecResult file = exec("cat", "/var/lib/docker/swarm/certificates/swarm-node.key");
        if (!file.succeeded()) {
            throw new IllegalStateException("Could not read the swarm key file of node " + name() + ": " + file.stderr().trim());
        }
        return file.stdout();
    }

    private void injectFault(String action, NodeHealth after, Runnable fault) {
        change(action, after, true, fault);
    }

    /** Runs an action on the node container, records its new health and reports it to the cluster's timeline. */
    private void change(String action, NodeHealth after, boolean fault, Runnable work) {
        Instant at = Instant.now();
        long start = System.nanoTime();
        closeClient();
        work.run();
        health = after;
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        LOG.info("{}: {} on {} took {} ms", fault ? "Fault" : "Step", action, name(), took.toMillis());
        observer.nodeChanged(this, action, at, took, fault);
    }

    /** Waits until the inner engine responds, failing at once with its log when the container exits. */
    void awaitEngine() {
        long start = System.nanoTime();
        try {
            Awaitility.await("engine of node " + name() + " to respond")
                    .atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                    .ignoreExceptionsMatching(e -> !(e instanceof NodeExitedException))
                    .until(() -> {
                        failIfExited();
                        // Dialling a socket that does not exist yet makes the HTTP client log each retry.
                        if (socket != null && !java.nio.file.Files.exists(java.nio.file.Path.of(socket.getPath()))) {
                            return false;
                        }
                        docker().pingCmd().exec();
                        return true;
                    });
        } catch (ConditionTimeoutException e) {
            failIfExited();
            throw new IllegalStateException("The engine of node " + name() + " did not respond within " + timeout.toSeconds()
                    + " s; the end of its log:\n" + outer.logTail(containerId, 30), e);
        }
        LOG.debug("Engine of node {} responded after {} ms", name(), (System.nanoTime() - start) / 1_000_000);
    }

    private void failIfExited() {
        InspectContainerResponse.ContainerState state = outer.client().inspectContainerCmd(containerId).exec().getState();
        if (!Boolean.TRUE.equals(state.getRunning())) {
            String log = outer.logTail(containerId, 30);
            LOG.error("Node {} stopped with exit code {} (OOM killed: {}); the end of its log:\n{}",
                    name(), state.getExitCodeLong(), state.getOOMKilled(), log);
            throw new NodeExitedException("Node " + name() + " stopped with exit code " + state.getExitCodeLong()
                    + " before its engine responded; the end of its log:\n" + log);
        }
    }

    @Override
    public ExecResult exec(String... command) {
        return outer.exec(containerId, timeout.toSeconds(), command);
    }

    ExecResult outerExec(long timeoutSeconds, String... command) {
        return outer.exec(containerId, timeoutSeconds, command);
    }

    @Override
    public String createOverlayNetwork(String name) {
        explain(name(), () -> "docker network create --driver overlay --attachable " + name);
        String id = change(() -> docker().createNetworkCmd().withName(name).withDriver("overlay").withAttachable(true).exec().getId());
        LOG.info("Created overlay network {} on {}", name, name());
        return id;
    }

    @Override
    public String createSecret(String name, String value) {
        observer.secretWritten(value);
        explain(name(), () -> "docker secret create " + name + " -   # the value comes on standard input and is not shown");
        // docker-java 3.7's SecretSpec.withData encodes the value in base64 itself, with the JVM's
        // default charset, so the secret holds the value's UTF-8 bytes only where that charset is UTF-8.
        if (!java.nio.charset.Charset.defaultCharset().equals(StandardCharsets.UTF_8)
                && !StandardCharsets.US_ASCII.newEncoder().canEncode(value)) {
            throw new IllegalArgumentException("Secret " + name + " has non-ASCII characters, but the JVM's default charset is "
                    + java.nio.charset.Charset.defaultCharset() + "; run the tests with -Dfile.encoding=UTF-8");
        }
        String id = change(() -> docker().createSecretCmd(new SecretSpec().withName(name).withData(value)).exec().getId());
        LOG.info("Created secret {} on {}", name, name());
        return id;
    }

    @Override
    public String createConfig(String name, String content) {
        explain(name(), () -> "docker config create " + name + " " + name + ".txt   # " + content.length() + " bytes");
        String id = change(() -> docker().createConfigCmd().withName(name).withData(content.getBytes(StandardCharsets.UTF_8)).exec().getId());
        LOG.info("Created config {} on {}", name, name());
        return id;
    }

    @Override
    public String createService(ServiceDefinition service) {
        explain(name(), () -> service.toCommandLine(workloadImage));
        String id = change(() -> docker().createServiceCmd(toSpec(service)).exec().getId());
        LOG.info("Created service {} on {}", service.name(), name());
        return id;
    }

    /**
     * Runs a change through this manager, turning the engine's error for a missing leader into a
     * {@link QuorumLostException} that counts the reachable managers.
     */
    private <T> T change(java.util.function.Supplier<T> request) {
        try {
            return request.get();
        } catch (DockerException e) {
            String message = String.valueOf(e.getMessage());
            QuorumStatus quorum = observer.quorum();
            if (!quorum.hasQuorum() && (message.contains("does not have a leader") || message.contains("deadline exceeded")
                    || message.contains("not a manager") || message.contains("Raft quorum"))) {
                throw new QuorumLostException(quorum, e);
            }
            throw e;
        }
    }

    private ServiceSpec toSpec(ServiceDefinition service) {
        DockerClient docker = docker();
        Map<String, String> secretIds = new HashMap<>();
        docker.listSecretsCmd().exec().forEach(secret -> secretIds.put(secret.getSpec().getName(), secret.getId()));
        List<ContainerSpecSecret> secrets = new ArrayList<>();
        for (String secret : service.secrets()) {
            String secretId = requireId(secretIds, "secret", secret, service);
            secrets.add(new ContainerSpecSecret().withSecretId(secretId).withSecretName(secret)
                    .withFile(readOnlyFile(secret)));
        }

        Map<String, String> configIds = new HashMap<>();
        docker.listConfigsCmd().exec().forEach(config -> configIds.put(config.getSpec().getName(), config.getId()));
        List<ContainerSpecConfig> configs = new ArrayList<>();
        service.configs().forEach((config, target) -> {
            String configId = requireId(configIds, "config", config, service);
            configs.add(new ContainerSpecConfig().withConfigID(configId).withConfigName(config)
                    .withFile(readOnlyFile(target)));
        });

        ContainerSpec container = new ContainerSpec()
                .withImage(service.image() == null ? workloadImage : service.image())
                .withCommand(service.command())
                .withSecrets(secrets)
                .withConfigs(configs)
                .withStopGracePeriod(2 * NANOS_PER_SECOND);
        TaskSpec task = new TaskSpec().withContainerSpec(container)
                .withRestartPolicy(new ServiceRestartPolicy().withCondition(ServiceRestartCondition.ANY).withDelay(NANOS_PER_SECOND))
                .withNetworks(service.networks().stream().map(n -> new NetworkAttachmentConfig().withTarget(n)).toList());
        ServiceModeConfig mode = service.replicas() == null
                ? new ServiceModeConfig().withGlobal(new ServiceGlobalModeOptions())
                : new ServiceModeConfig().withReplicated(new ServiceReplicatedModeOptions().withReplicas(service.replicas()));
        List<PortConfig> ports = new ArrayList<>();
        service.publishedPorts().forEach((published, target) -> ports.add(new PortConfig().withProtocol(PortConfigProtocol.TCP)
                .withPublishedPort(published).withTargetPort(target).withPublishMode(PortConfig.PublishMode.ingress)));
        service.hostPorts().forEach((published, target) -> ports.add(new PortConfig().withProtocol(PortConfigProtocol.TCP)
                .withPublishedPort(published).withTargetPort(target).withPublishMode(PortConfig.PublishMode.host)));
        return new ServiceSpec().withName(service.name()).withTaskTemplate(task).withMode(mode)
                .withLabels(service.labels()).withEndpointSpec(new EndpointSpec().withPorts(ports));
    }

    private static String requireId(Map<String, String> idsByName, String kind, String name, ServiceDefinition service) {
        String id = idsByName.get(name);
        if (id == null) {
            String creator = "secret".equals(kind) ? "createSecret" : "createConfig";
            throw new IllegalArgumentException("Service " + service.name() + " uses " + kind + " '" + name
                    + "', which does not exist; create it first with " + creator);
        }
        return id;
    }

    private static ContainerSpecFile readOnlyFile(String name) {
        return new ContainerSpecFile().withName(name).withUid("0").withGid("0").withMode(0444L);
    }

    @Override
    public String toString() {
        return slot.role().label() + " " + name() + " (" + address() + ")";
    }

    /** Thrown when a node container stops while the harness waits for it. */
    static final class NodeExitedException extends IllegalStateException {
        NodeExitedException(String message) {
            super(message);
        }
    }
}
