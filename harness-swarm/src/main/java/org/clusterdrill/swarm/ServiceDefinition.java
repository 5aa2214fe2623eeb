package org.clusterdrill.swarm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A service's specification for {@link SwarmNode#createService}. Unset fields take defaults that
 * suit drills: the cluster's workload image and one replica. The default command sleeps until it is
 * stopped and exits at once on SIGTERM. Every service gets a restart delay of 1 s and a stop grace
 * period of 2 s.
 *
 * <pre>{@code
 * ServiceDefinition.named("web").replicas(3).network("appnet").secret("db_password").publish(8080, 80)
 * }</pre>
 */
public final class ServiceDefinition {

    /** Sleeps until stopped and exits at once on SIGTERM, so engines stop quickly. */
    static final List<String> IDLE_COMMAND = List.of("sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done");

    private final String name;
    private String image;
    private Integer replicas = 1;
    private final List<String> networks = new ArrayList<>();
    private final List<String> secrets = new ArrayList<>();
    private final Map<String, String> configs = new LinkedHashMap<>();
    private final Map<Integer, Integer> publishedPorts = new LinkedHashMap<>();
    private final Map<Integer, Integer> hostPorts = new LinkedHashMap<>();
    private final Map<String, String> labels = new LinkedHashMap<>();
    private List<String> command = IDLE_COMMAND;

    private ServiceDefinition(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /** Starts a definition of a service with the given name. */
    public static ServiceDefinition named(String name) {
        return new ServiceDefinition(name);
    }

    /** Sets the image; by default the cluster's workload image, which every node has. */
    public ServiceDefinition image(String image) {
        this.image = image;
        return this;
    }

    /** Runs the service in replicated mode with this many tasks. */
    public ServiceDefinition replicas(int replicas) {
        if (replicas < 0) {
            throw new IllegalArgumentException("replicas must be 0 or more, but was " + replicas);
        }
        this.replicas = replicas;
        return this;
    }

    /** Runs the service in global mode: one task on every node. */
    public ServiceDefinition global() {
        this.replicas = null;
        return this;
    }

    /** Attaches the service to a network by name. */
    public ServiceDefinition network(String network) {
        networks.add(network);
        return this;
    }

    /** Mounts a secret by name at {@code /run/secrets/<name>}. */
    public ServiceDefinition secret(String secret) {
        secrets.add(secret);
        return this;
    }

    /** Mounts a config by name at the given absolute path. */
    public ServiceDefinition config(String config, String target) {
        configs.put(config, target);
        return this;
    }

    /** Publishes a target port through the ingress routing mesh on the given published port. */
    public ServiceDefinition publish(int publishedPort, int targetPort) {
        publishedPorts.put(publishedPort, targetPort);
        return this;
    }

    /**
     * Publishes a target port in host mode: each node that runs a task listens on the published
     * port itself, without the routing mesh, so it works on kernels without IPVS. Combine it with
     * {@link #global()} for a port that is open on every node.
     */
    public ServiceDefinition publishOnHost(int publishedPort, int targetPort) {
        hostPorts.put(publishedPort, targetPort);
        return this;
    }

    public ServiceDefinition label(String key, String value) {
        labels.put(key, value);
        return this;
    }

    /** Sets the command that each task runs. */
    public ServiceDefinition command(String... command) {
        this.command = List.of(command);
        return this;
    }

    public String name() {
        return name;
    }

    /** Describes the service as the {@code docker service create} command that makes the same service. */
    String toCommandLine(String defaultImage) {
        StringBuilder text = new StringBuilder("docker service create --detach --no-resolve-image --name ").append(name);
        text.append(replicas == null ? " --mode global" : " --replicas " + replicas);
        networks.forEach(network -> text.append(" --network ").append(network));
        secrets.forEach(secret -> text.append(" --secret ").append(secret));
        configs.forEach((config, target) -> text.append(" --config source=").append(config).append(",target=").append(target));
        publishedPorts.forEach((published, target) -> text.append(" --publish published=").append(published)
                .append(",target=").append(target));
        hostPorts.forEach((published, target) -> text.append(" --publish published=").append(published)
                .append(",target=").append(target).append(",mode=host"));
        labels.forEach((key, value) -> text.append(" --label ").append(key).append('=').append(value));
        text.append(" --restart-delay 1s --stop-grace-period 2s ").append(image == null ? defaultImage : image);
        for (String part : command) {
            text.append(' ').append(part.contains(" ") || part.contains("'") ? "\"" + part.replace("\"", "\\\"") + "\"" : part);
        }
        return text.toString();
    }

    String image() {
        return image;
    }

    /** Returns the replica count, or null in global mode. */
    Integer replicas() {
        return replicas;
    }

    List<String> networks() {
        return List.copyOf(networks);
    }

    List<String> secrets() {
        return List.copyOf(secrets);
    }

    Map<String, String> configs() {
        return Map.copyOf(configs);
    }

    Map<Integer, Integer> publishedPorts() {
        return Map.copyOf(publishedPorts);
    }

    Map<Integer, Integer> hostPorts() {
        return Map.copyOf(hostPorts);
    }

    Map<String, String> labels() {
        return Map.copyOf(labels);
    }

    List<String> command() {
        return command;
    }
}
