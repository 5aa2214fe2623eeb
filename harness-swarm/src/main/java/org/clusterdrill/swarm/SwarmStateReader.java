package org.clusterdrill.swarm;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.ContainerSpecFile;
import com.github.dockerjava.api.model.ContainerSpecSecret;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.PortConfig;
import com.github.dockerjava.api.model.Secret;
import com.github.dockerjava.api.model.Service;
import com.github.dockerjava.api.model.ServiceModeConfig;
import com.github.dockerjava.api.model.ServiceReplicatedModeOptions;
import com.github.dockerjava.api.model.ServiceRestartCondition;
import com.github.dockerjava.api.model.ServiceRestartPolicy;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.SwarmNode;
import com.github.dockerjava.api.model.SwarmNodeState;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskSpec;
import com.github.dockerjava.api.model.TaskState;
import org.awaitility.Awaitility;
import org.clusterdrill.core.ClusterState;
import org.clusterdrill.core.SecretFingerprint;

/**
 * Reads a swarm's state through a manager: swarm-scoped networks, services, secrets, configs and
 * nodes by role. Ids, versions and timestamps are left out because a restore changes them.
 */
final class SwarmStateReader {

    static final String NETWORK = "network";
    static final String SERVICE = "service";
    static final String SECRET = "secret";
    static final String CONFIG = "config";
    static final String NODES = "nodes";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROBE_COMMAND = "cd /run/secrets 2>/dev/null && for f in *; do "
            + "[ -f \"$f\" ] && echo \"$(sha256sum < \"$f\" | cut -d' ' -f1) $f\"; done; true";

    private final NodeContainer manager;
    private final String probeImage;
    private final Duration timeout;

    SwarmStateReader(NodeContainer manager, String probeImage, Duration timeout) {
        this.manager = manager;
        this.probeImage = probeImage;
        this.timeout = timeout;
    }

    ClusterState capture() {
        DockerClient docker = manager.docker();
        ClusterState.Builder state = ClusterState.builder("swarm")
                .kind(NETWORK).kind(SERVICE).kind(SECRET).kind(CONFIG).kind(NODES);

        Map<String, String> networkNames = new HashMap<>();
        for (Network network : docker.listNetworksCmd().exec()) {
            networkNames.put(network.getId(), network.getName());
            if ("swarm".equals(network.getScope())) {
                state.add(NETWORK, network.getName(), networkAttributes(network));
            }
        }

        List<Task> tasks = docker.listTasksCmd().exec();
        for (Service service : docker.listServicesCmd().exec()) {
            ServiceSpec spec = service.getSpec();
            if (spec.getLabels() != null && spec.getLabels().containsKey(RunLabels.PROBE)) {
                continue;
            }
            state.add(SERVICE, spec.getName(), serviceAttributes(service, tasks, networkNames));
        }

        List<Secret> secrets = docker.listSecretsCmd().exec();
        Map<String, String> secretHashes = secrets.isEmpty() ? Map.of() : hashSecretsInTask(docker, secrets);
        for (Secret secret : secrets) {
            String name = secret.getSpec().getName();
            Map<String, String> attributes = new LinkedHashMap<>();
            attributes.put("labels", sortedPairs(secret.getSpec().getLabels()));
            String sha256 = secretHashes.get(name);
            attributes.put(SecretFingerprint.ATTRIBUTE, sha256 == null ? "(not readable)" : SecretFingerprint.ofSha256(sha256));
            state.add(SECRET, name, attributes);
        }

        readConfigs().forEach((name, attributes) -> state.add(CONFIG, name, attributes));
        addNodeCounts(docker, state);
        return state.build();
    }

    private static Map<String, String> networkAttributes(Network network) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("driver", network.getDriver());
        attributes.put("scope", network.getScope());
        attributes.put("attachable", String.valueOf(Boolean.TRUE.equals(network.isAttachable())));
        attributes.put("internal", String.valueOf(Boolean.TRUE.equals(network.getInternal())));
        attributes.put("labels", sortedPairs(network.getLabels()));
        List<Network.Ipam.Config> ipam = network.getIpam() == null || network.getIpam().getConfig() == null
                ? List.of() : network.getIpam().getConfig();
        attributes.put("subnets", ipam.stream().map(Network.Ipam.Config::getSubnet).sorted().collect(Collectors.joining(",")));
        return attributes;
    }

    private static Map<String, String> serviceAttributes(Service service, List<Task> tasks, Map<String, String> networkNames) {
        ServiceSpec spec = service.getSpec();
        TaskSpec task = spec.getTaskTemplate();
        ContainerSpec container = task.getContainerSpec();
        ServiceModeConfig mode = spec.getMode();
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("image", container.getImage());

        boolean global = mode != null && mode.getGlobal() != null;
        attributes.put("mode", global ? "global" : "replicated");
        if (!global) {
            ServiceReplicatedModeOptions replicated = mode == null ? null : mode.getReplicated();
            attributes.put("replicas.desired", String.valueOf(replicated == null ? 1 : replicated.getReplicas()));
        }
        long running = tasks.stream().filter(t -> service.getId().equals(t.getServiceId()))
                .filter(t -> t.getDesiredState() == TaskState.RUNNING)
                .filter(t -> t.getStatus() != null && t.getStatus().getState() == TaskState.RUNNING).count();
        attributes.put("replicas.running", String.valueOf(running));

        List<String> networks = new ArrayList<>();
        if (task.getNetworks() != null) {
            task.getNetworks().forEach(n -> networks.add(networkNames.getOrDefault(n.getTarget(), n.getTarget())));
        }
        attributes.put("networks", networks.stream().sorted().collect(Collectors.joining(",")));
        attributes.put("secrets", container.getSecrets() == null ? "" : container.getSecrets().stream()
                .map(s -> s.getSecretName() + "->" + fileName(s.getFile())).sorted().collect(Collectors.joining(",")));
        attributes.put("configs", container.getConfigs() == null ? "" : container.getConfigs().stream()
                .map(c -> c.getConfigName() + "->" + fileName(c.getFile())).sorted().collect(Collectors.joining(",")));

        List<PortConfig> ports = spec.getEndpointSpec() == null || spec.getEndpointSpec().getPorts() == null
                ? List.of() : spec.getEndpointSpec().getPorts();
        attributes.put("ports", ports.stream().map(p -> p.getPublishedPort() + ":" + p.getTargetPort() + "/"
                + String.valueOf(p.getProtocol()).toLowerCase(java.util.Locale.ROOT) + "(" + p.getPublishMode() + ")")
                .sorted().collect(Collectors.joining(",")));
        attributes.put("labels", sortedPairs(spec.getLabels()));
        return attributes;
    }

    private static String fileName(ContainerSpecFile file) {
        return file == null ? "" : file.getName();
    }

    /**
     * Runs a one-off task that mounts every secret and prints each one's SHA-256, so the values
     * never leave the cluster. The task's service is removed afterwards.
     */
    private Map<String, String> hashSecretsInTask(DockerClient docker, List<Secret> secrets) {
        List<ContainerSpecSecret> mounts = secrets.stream().map(secret -> new ContainerSpecSecret()
                .withSecretId(secret.getId()).withSecretName(secret.getSpec().getName())
                .withFile(new ContainerSpecFile().withName(secret.getSpec().getName()).withUid("0").withGid("0").withMode(0400L)))
                .toList();
        ServiceSpec probe = new ServiceSpec()
                .withName("clusterdrill-secret-probe-" + Long.toHexString(System.nanoTime()))
                .withLabels(Map.of(RunLabels.PROBE, "secrets"))
                .withMode(new ServiceModeConfig().withReplicated(new ServiceReplicatedModeOptions().withReplicas(1)))
                .withTaskTemplate(new TaskSpec()
                        .withContainerSpec(new ContainerSpec().withImage(probeImage)
                                .withCommand(List.of("sh", "-c", PROBE_COMMAND)).withSecrets(mounts))
                        .withRestartPolicy(new ServiceRestartPolicy().withCondition(ServiceRestartCondition.NONE)));
        String serviceId = docker.createServiceCmd(probe).exec().getId();
        try {
            Awaitility.await("secret probe task to complete").atMost(timeout).pollInterval(Duration.ofMillis(200))
                    .until(() -> docker.listTasksCmd().withServiceFilter(serviceId).exec().stream()
                            .anyMatch(t -> t.getStatus() != null && isFinal(t.getStatus().getState())));
            Task task = docker.listTasksCmd().withServiceFilter(serviceId).exec().get(0);
            if (task.getStatus().getState() != TaskState.COMPLETE) {
                throw new IllegalStateException("The secret probe task ended in state " + task.getStatus().getState()
                        + ": " + task.getStatus().getErr());
            }
            Map<String, String> hashes = new TreeMap<>();
            for (String line : serviceLogs(docker, serviceId).split("\n")) {
                String[] parts = line.trim().split(" ", 2);
                if (parts.length == 2 && parts[0].length() == 64) {
                    hashes.put(parts[1], parts[0]);
                }
            }
            return hashes;
        } finally {
            docker.removeServiceCmd(serviceId).exec();
        }
    }

    private static boolean isFinal(TaskState state) {
        return state == TaskState.COMPLETE || state == TaskState.FAILED || state == TaskState.REJECTED
                || state == TaskState.SHUTDOWN || state == TaskState.ORPHANED;
    }

    private static String serviceLogs(DockerClient docker, String serviceId) {
        StringBuilder text = new StringBuilder();
        // The task has finished, so its log is complete; the engine may still need a moment to serve it.
        Awaitility.await("secret probe log").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
            text.setLength(0);
            try (ResultCallback.Adapter<Frame> callback = docker.logServiceCmd(serviceId).withStdout(true).withStderr(true)
                    .exec(new ResultCallback.Adapter<>() {
                        @Override
                        public void onNext(Frame frame) {
                            text.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                        }
                    })) {
                callback.awaitCompletion();
            }
            return text.length() > 0;
        });
        return text.toString();
    }

    /**
     * Reads configs through the node's docker CLI, because docker-java's config model carries
     * neither the data nor the labels.
     */
    private Map<String, Map<String, String>> readConfigs() {
        ExecResult result = manager.exec("sh", "-c", "ids=$(docker config ls -q); [ -z \"$ids\" ] && echo '[]' || docker config inspect $ids");
        if (!result.succeeded()) {
            throw new IllegalStateException("Listing configs on node " + manager.name() + " failed: " + result.stderr().trim());
        }
        Map<String, Map<String, String>> configs = new TreeMap<>();
        try {
            for (JsonNode config : JSON.readTree(result.stdout())) {
                JsonNode spec = config.path("Spec");
                Map<String, String> labels = new TreeMap<>();
                spec.path("Labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
                byte[] data = Base64.getDecoder().decode(spec.path("Data").asText(""));
                Map<String, String> attributes = new LinkedHashMap<>();
                attributes.put("labels", sortedPairs(labels));
                attributes.put("sha256", sha256(data));
                configs.put(spec.path("Name").asText(), attributes);
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Could not parse the output of docker config inspect on " + manager.name(), e);
        }
        return configs;
    }

    private static void addNodeCounts(DockerClient docker, ClusterState.Builder state) {
        Map<String, int[]> counts = new TreeMap<>();
        for (SwarmNode node : docker.listSwarmNodesCmd().exec()) {
            String role = node.getSpec().getRole().name().toLowerCase(java.util.Locale.ROOT);
            int[] count = counts.computeIfAbsent(role, r -> new int[2]);
            count[0]++;
            if (node.getStatus() != null && node.getStatus().getState() == SwarmNodeState.READY) {
                count[1]++;
            }
        }
        counts.forEach((role, count) -> state.add(NODES, role, Map.of("count", String.valueOf(count[0]),
                "ready", String.valueOf(count[1]))));
    }

    static String sortedPairs(Map<String, String> labels) {
        if (labels == null || labels.isEmpty()) {
            return "";
        }
        return new TreeMap<>(labels).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }

    static String sha256(byte[] data) {
        return HexFormat.of().formatHex(SwarmBackups.sha256Digest().digest(data));
    }
}
