package org.clusterdrill.swarm;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.ContainerSpecFile;
import com.github.dockerjava.api.model.ContainerSpecSecret;
import com.github.dockerjava.api.model.EndpointResolutionMode;
import com.github.dockerjava.api.model.EndpointSpec;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.PortConfig;
import com.github.dockerjava.api.model.PortConfigProtocol;
import com.github.dockerjava.api.model.Service;
import com.github.dockerjava.api.model.ServiceModeConfig;
import com.github.dockerjava.api.model.ServicePlacement;
import com.github.dockerjava.api.model.ServiceReplicatedModeOptions;
import com.github.dockerjava.api.model.ServiceRestartCondition;
import com.github.dockerjava.api.model.ServiceRestartPolicy;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.TaskSpec;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.clusterdrill.core.ClusterState;
import org.clusterdrill.core.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A password-protected container registry that runs as a Swarm service, for drills that check
 * that users survive a restore.
 *
 * <p>The registry serves TLS on port {@value #PORT} with a certificate of its own certificate
 * authority; certificate, key and the bcrypt htpasswd file of its users are Swarm secrets. It is
 * pinned to one node and publishes its port in host mode on that node's address, because the
 * ingress routing mesh needs IPVS in the kernel. Its images are stored in the run's outside
 * volume, which every node mounts, so they are not part of a swarm backup, as with an external
 * registry storage. Every node, including nodes that a restore launches, gets the registry image
 * and trusts the certificate authority in {@code /etc/docker/certs.d/<address>:5000/ca.crt}.
 *
 * <p>Passwords are registered with the swarm's drill, which masks them in logs and reports, and
 * they reach the nodes only in files copied into containers, never on a command line.
 *
 * <pre>{@code
 * SwarmRegistry registry = SwarmRegistry.deploy(swarm, Map.of("alice", "first secret", "bob", "second secret"));
 * ClusterState before = registry.addUsersTo(swarm.captureState());
 * }</pre>
 */
public final class SwarmRegistry {

    /** Kind of the registry's accounts in a {@link ClusterState}. */
    public static final String USER = "user";
    /** The port the registry serves on, published in host mode on the node it runs on. */
    public static final int PORT = 5000;
    /** Name of the registry's service. */
    public static final String SERVICE = "registry";
    /** Registry image when neither {@code clusterdrill.registry.image} nor {@code CLUSTERDRILL_REGISTRY_IMAGE} is set. */
    public static final String DEFAULT_IMAGE = "registry:2";

    static final String LOGIN_SUCCEEDED = "succeeded";
    static final String LOGIN_REJECTED = "rejected";
    static final String NO_KNOWN_PASSWORD = "no known password";

    private static final Logger LOG = LoggerFactory.getLogger(SwarmRegistry.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final String CERTIFICATE_SECRET = "registry_tls_certificate";
    private static final String KEY_SECRET = "registry_tls_key";
    private static final String USERS_SECRET = "registry_htpasswd";
    private static final String STORAGE_FOLDER = NodeLauncher.OUTSIDE_FOLDER + "/registry";
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final DockerSwarm swarm;
    private final String hostNode;
    private final String address;
    private final String image;
    private final RegistryTools tools;
    private final String caCertificate;
    private final String certificateFingerprint;
    private final Map<String, String> passwords;
    private final Duration timeout;
    private volatile int usersGeneration = 1;

    private SwarmRegistry(DockerSwarm swarm, SwarmNode host, String image, RegistryTools tools,
                          RegistryMaterial material, Map<String, String> passwords, Duration timeout) {
        this.swarm = swarm;
        this.hostNode = host.name();
        this.address = host.address() + ":" + PORT;
        this.image = image;
        this.tools = tools;
        this.caCertificate = material.caCertificate();
        this.certificateFingerprint = fingerprint(material.certificate());
        this.passwords = passwords;
        this.timeout = timeout;
    }

    /**
     * Deploys the registry on the first manager with the image from {@code clusterdrill.registry.image}
     * or {@code CLUSTERDRILL_REGISTRY_IMAGE} (default {@value #DEFAULT_IMAGE}), and waits until every
     * user can log in.
     *
     * @param passwordsByUser the registry's accounts; names are letters, digits, '.', '_' and '-'
     */
    public static SwarmRegistry deploy(Swarm swarm, Map<String, String> passwordsByUser) {
        return deploy(swarm, swarm.managers().get(0), configuredImage(), passwordsByUser);
    }

    /**
     * Deploys the registry on the given node with the given image, and waits until every user can
     * log in. The image must be on the outer engine; nodes never pull it.
     *
     * <p>Certificates and htpasswd entries are made with {@code openssl} and {@code htpasswd -B} in
     * a container of {@code clusterdrill.registry.tools.image} or
     * {@code CLUSTERDRILL_REGISTRY_TOOLS_IMAGE}, by default the registry image itself.
     */
    public static SwarmRegistry deploy(Swarm swarm, SwarmNode host, String image, Map<String, String> passwordsByUser) {
        DockerSwarm cluster = requireHarnessSwarm(swarm);
        Map<String, String> passwords = validatedUsers(passwordsByUser);
        passwords.values().forEach(cluster::secretWritten);
        Duration timeout = Duration.ofSeconds(120);
        RegistryTools tools = new RegistryTools(setting("clusterdrill.registry.tools.image", "CLUSTERDRILL_REGISTRY_TOOLS_IMAGE", image),
                timeout);

        long start = System.nanoTime();
        loadIntoEveryNode(cluster, image, tools.image());
        RegistryMaterial material = RegistryMaterial.generate(tools, cluster.container(host), host.address(), passwords);
        material.createSecrets(cluster, cluster.leader(), CERTIFICATE_SECRET, KEY_SECRET, usersSecretName(1));

        SwarmRegistry registry = new SwarmRegistry(cluster, host, image, tools, material, passwords, timeout);
        cluster.containers().forEach(registry::trustOn);
        NodeLauncher.addSetupStep(cluster.runId(), registry::trustOn);
        registry.createService();
        cluster.awaitConverged();
        registry.awaitLogin();
        LOG.info("Registry {} with {} users runs on {} at {} ({} ms)", image, passwords.size(), host.name(), registry.address,
                (System.nanoTime() - start) / 1_000_000);
        return registry;
    }

    /**
     * Loads the images into every node now and into every node launched later, such as the nodes
     * of a restore, because nodes never pull.
     */
    private static void loadIntoEveryNode(DockerSwarm cluster, String... images) {
        List<WorkloadImage> archives = new ArrayList<>();
        for (String image : new java.util.LinkedHashSet<>(List.of(images))) {
            try {
                cluster.outerEngine().client().inspectImageCmd(image).exec();
            } catch (com.github.dockerjava.api.exception.NotFoundException e) {
                throw new IllegalStateException("Image " + image + " is not on the outer engine, and nodes never pull. "
                        + "Pull it, or build clusterdrill/registry:bookworm with scripts/build-images.sh and set "
                        + "clusterdrill.registry.image to it", e);
            }
            archives.add(new WorkloadImage(cluster.outerEngine(), image));
        }
        java.util.function.Consumer<NodeContainer> load = node -> archives.forEach(archive -> archive.loadInto(node));
        cluster.containers().forEach(load);
        NodeLauncher.addSetupStep(cluster.runId(), load);
    }

    private static DockerSwarm requireHarnessSwarm(Swarm swarm) {
        Objects.requireNonNull(swarm, "swarm");
        if (swarm instanceof DockerSwarm cluster) {
            return cluster;
        }
        throw new IllegalArgumentException("SwarmRegistry needs the Swarm that @SwarmCluster injects, but got "
                + swarm.getClass().getName());
    }

    private static Map<String, String> validatedUsers(Map<String, String> passwordsByUser) {
        Objects.requireNonNull(passwordsByUser, "passwordsByUser");
        if (passwordsByUser.isEmpty()) {
            throw new IllegalArgumentException("A registry needs at least one user; pass a map from user name to password");
        }
        Map<String, String> passwords = new LinkedHashMap<>();
        passwordsByUser.forEach((user, password) -> {
            if (user == null || !USER_NAME.matcher(user).matches()) {
                throw new IllegalArgumentException("Invalid registry user name '" + user
                        + "': use letters, digits, '.', '_' and '-', starting with a letter or digit");
            }
            if (password == null || password.isEmpty() || password.contains("\n") || password.contains("\r")) {
                throw new IllegalArgumentException("Invalid password for registry user " + user
                        + ": it must be non-empty and on one line");
            }
            passwords.put(user, password);
        });
        return passwords;
    }

    static String configuredImage() {
        return setting("clusterdrill.registry.image", "CLUSTERDRILL_REGISTRY_IMAGE", DEFAULT_IMAGE);
    }

    private static String setting(String property, String variable, String fallback) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(variable);
        }
        return value == null || value.isBlank() ? fallback : value;
    }

    /** Returns {@code <address>:5000}, the registry's host as image references and {@code docker login} name it. */
    public String address() {
        return address;
    }

    /** Returns the image the registry's service runs. */
    public String image() {
        return image;
    }

    /** Returns the name of the node the registry is pinned to. */
    public String hostNode() {
        return hostNode;
    }

    /** Returns the names of the users this registry was deployed with and not removed from, in their order. */
    public List<String> users() {
        return List.copyOf(passwords.keySet());
    }

    /** Returns the SHA-256 fingerprint of the certificate issued at deployment, as upper-case hex. */
    public String certificateFingerprint() {
        return certificateFingerprint;
    }

    /**
     * Logs in on the node with {@code docker login}, leaving the node logged in.
     *
     * @return true when the registry accepted the password, false when it rejected it
     * @throws IllegalStateException when the login failed for another reason, such as an unreachable registry
     */
    public boolean login(SwarmNode node, String user, String password) {
        swarm.secretWritten(password);
        NodeContainer container = swarm.container(node);
        String file = "/run/clusterdrill-login-" + UUID.randomUUID();
        swarm.outerEngine().copyInto(container.containerId(),
                RegistryTools.tarAt("run", Map.of(file.substring("/run/".length()), password.getBytes(StandardCharsets.UTF_8)), 0600),
                "/");
        ExecResult result = container.exec("sh", "-c",
                "docker login --username \"$1\" --password-stdin \"$2\" < \"$3\"; status=$?; rm -f \"$3\"; exit $status",
                "login", user, address, file);
        if (result.succeeded()) {
            return true;
        }
        String error = result.stderr().trim();
        if (error.contains("unauthorized") || error.contains("401")) {
            LOG.debug("Registry {} rejected the password of user {} on {}", address, user, node.name());
            return false;
        }
        throw new IllegalStateException("docker login as " + user + " to " + address + " on node " + node.name()
                + " failed: " + error);
    }

    /** Logs in on the node with the user's password from {@link #deploy}. */
    public boolean login(SwarmNode node, String user) {
        return login(node, user, requirePassword(user));
    }

    /** Logs every user in on the first manager, one after another, and logs out; returns the outcome by user. */
    public Map<String, Boolean> loginAll() {
        SwarmNode node = swarm.managers().get(0);
        Map<String, Boolean> outcomes = new LinkedHashMap<>();
        passwords.forEach((user, password) -> {
            outcomes.put(user, login(node, user, password));
            node.exec("docker", "logout", address);
        });
        return outcomes;
    }

    /**
     * Tags an image of the node as {@code <address>/<repository>:latest} and pushes it as the user.
     *
     * @return the pushed reference
     */
    public String push(SwarmNode node, String user, String localImage, String repository) {
        String reference = address + "/" + repository + ":latest";
        requireLogin(node, user);
        requireSuccess(node, "tag " + localImage + " as " + reference, node.exec("docker", "tag", localImage, reference));
        requireSuccess(node, "push " + reference, node.exec("docker", "push", reference));
        LOG.info("Pushed {} as {} from {}", reference, user, node.name());
        return reference;
    }

    /** Removes the reference from the node if present, then pulls it from the registry as the user. */
    public void pull(SwarmNode node, String user, String reference) {
        requireLogin(node, user);
        node.exec("docker", "image", "rm", reference);
        requireSuccess(node, "pull " + reference, node.exec("docker", "pull", reference));
    }

    /** Returns the repositories that {@code /v2/_catalog} lists, asked on the node as the user. */
    public List<String> catalog(SwarmNode node, String user) {
        String host = address.substring(0, address.lastIndexOf(':'));
        String netrc = "machine " + host + " login " + user + " password " + requirePassword(user) + "\n";
        ExecResult result = tools.run(swarm.container(node), "read the catalog of " + address,
                Map.of("netrc", netrc.getBytes(StandardCharsets.UTF_8), "ca.crt", caCertificate.getBytes(StandardCharsets.UTF_8)),
                "curl --silent --show-error --fail --netrc-file /work/netrc --cacert /work/ca.crt \"https://$1/v2/_catalog\"",
                address);
        try {
            List<String> repositories = new ArrayList<>();
            JSON.readTree(result.stdout()).path("repositories").forEach(name -> repositories.add(name.asText()));
            return repositories;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("The catalog of " + address + " is not JSON: " + result.stdout(), e);
        }
    }

    /** Returns the SHA-256 fingerprint of the certificate the registry serves now, as read from the node. */
    public String servedCertificateFingerprint(SwarmNode node) {
        ExecResult result = tools.run(swarm.container(node), "read the certificate of " + address, Map.of(),
                "openssl s_client -connect \"$1\" </dev/null 2>/dev/null | openssl x509 -outform PEM", address);
        return fingerprint(result.stdout());
    }

    /**
     * Replaces the registry's htpasswd secret with one that lacks the user, as an operator who
     * deletes an account does, and waits until the service runs with it.
     */
    public void removeUser(String user) {
        requirePassword(user);
        Map<String, String> remaining = new LinkedHashMap<>(passwords);
        remaining.remove(user);
        if (remaining.isEmpty()) {
            throw new IllegalArgumentException("Cannot remove " + user + ", the registry's last user");
        }
        NodeContainer manager = (NodeContainer) swarm.leader();
        String htpasswd = RegistryMaterial.htpasswd(tools, manager, remaining);
        String oldSecret = usersSecretName(usersGeneration);
        String newSecret = usersSecretName(usersGeneration + 1);
        RegistryMaterial.createSecret(swarm, manager, newSecret, htpasswd);

        DockerClient docker = manager.docker();
        Service service = docker.inspectServiceCmd(SERVICE).exec();
        ServiceSpec spec = service.getSpec();
        List<ContainerSpecSecret> secrets = new ArrayList<>();
        for (ContainerSpecSecret secret : spec.getTaskTemplate().getContainerSpec().getSecrets()) {
            secrets.add(oldSecret.equals(secret.getSecretName()) ? secretMount(docker, newSecret, USERS_SECRET, 0400L) : secret);
        }
        spec.getTaskTemplate().getContainerSpec().withSecrets(secrets);
        docker.updateServiceCmd(service.getId(), spec).withVersion(service.getVersion().getIndex()).exec();
        usersGeneration++;
        passwords.remove(user);
        swarm.awaitConverged();
        awaitLogin();
        docker.removeSecretCmd(oldSecret).exec();
        LOG.info("Removed user {} from registry {}", user, address);
    }

    /**
     * Reads the registry's accounts from the htpasswd file of its running task, and tries a login
     * for each with the password from {@link #deploy}. Each becomes a resource of kind
     * {@value #USER} with the attribute {@code login}: succeeded, rejected or no known password.
     */
    public ClusterState captureUsers() {
        ClusterState.Builder state = ClusterState.builder("swarm").kind(USER);
        addUsers(state);
        return state.build();
    }

    /** Returns the state with this registry's users added, as {@link #captureUsers()} reads them. */
    public ClusterState addUsersTo(ClusterState state) {
        ClusterState.Builder merged = ClusterState.builder(state.platform()).kind(USER);
        state.kinds().forEach(merged::kind);
        state.allResources().forEach(merged::add);
        addUsers(merged);
        return merged.build();
    }

    private void addUsers(ClusterState.Builder state) {
        SwarmNode node = swarm.managers().get(0);
        for (String user : accountsInRegistry()) {
            String password = passwords.get(user);
            String login = NO_KNOWN_PASSWORD;
            if (password != null) {
                login = login(node, user, password) ? LOGIN_SUCCEEDED : LOGIN_REJECTED;
                node.exec("docker", "logout", address);
            }
            state.add(Resource.of(USER, user, Map.of("login", login)));
        }
    }

    /** Reads the user names from the htpasswd file that the running registry task mounts. */
    private List<String> accountsInRegistry() {
        SwarmNode host = swarm.node(hostNode);
        ExecResult result = host.exec("sh", "-c", "id=$(docker ps -q --filter label=com.docker.swarm.service.name=" + SERVICE
                + " | head -n 1); [ -n \"$id\" ] || { echo 'no running registry task' >&2; exit 1; }; "
                + "docker exec \"$id\" cut -d: -f1 /run/secrets/" + USERS_SECRET);
        requireSuccess(host, "read the registry's users", result);
        return result.stdout().lines().map(String::trim).filter(line -> !line.isEmpty()).sorted().toList();
    }

    /** Copies the certificate authority into the node's certs.d, so its engine trusts the registry. */
    void trustOn(NodeContainer node) {
        swarm.outerEngine().copyInto(node.containerId(),
                RegistryTools.tarAt("etc/docker/certs.d/" + address, Map.of("ca.crt", caCertificate.getBytes(StandardCharsets.UTF_8)), 0644),
                "/");
    }

    private void createService() {
        NodeContainer manager = (NodeContainer) swarm.leader();
        swarm.node(hostNode).exec("mkdir", "-p", STORAGE_FOLDER);
        DockerClient docker = manager.docker();
        ContainerSpec container = new ContainerSpec()
                .withImage(image)
                .withEnv(List.of(
                        "REGISTRY_HTTP_ADDR=0.0.0.0:" + PORT,
                        "REGISTRY_HTTP_TLS_CERTIFICATE=/run/secrets/" + CERTIFICATE_SECRET,
                        "REGISTRY_HTTP_TLS_KEY=/run/secrets/" + KEY_SECRET,
                        "REGISTRY_AUTH=htpasswd",
                        "REGISTRY_AUTH_HTPASSWD_REALM=Cluster Drill registry",
                        "REGISTRY_AUTH_HTPASSWD_PATH=/run/secrets/" + USERS_SECRET,
                        "REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY=/var/lib/registry"))
                .withSecrets(List.of(
                        secretMount(docker, CERTIFICATE_SECRET, CERTIFICATE_SECRET, 0444L),
                        secretMount(docker, KEY_SECRET, KEY_SECRET, 0400L),
                        secretMount(docker, usersSecretName(usersGeneration), USERS_SECRET, 0400L)))
                .withMounts(List.of(new Mount().withType(MountType.BIND).withSource(STORAGE_FOLDER).withTarget("/var/lib/registry")))
                .withStopGracePeriod(2 * NANOS_PER_SECOND);
        TaskSpec task = new TaskSpec().withContainerSpec(container)
                .withPlacement(new ServicePlacement().withConstraints(List.of("node.hostname == " + hostNode)))
                .withRestartPolicy(new ServiceRestartPolicy().withCondition(ServiceRestartCondition.ANY).withDelay(NANOS_PER_SECOND));
        // Host mode binds the port on the pinned node only, because ingress mode needs the IPVS routing mesh.
        EndpointSpec endpoint = new EndpointSpec().withMode(EndpointResolutionMode.DNSRR)
                .withPorts(List.of(new PortConfig().withProtocol(PortConfigProtocol.TCP).withPublishedPort(PORT)
                        .withTargetPort(PORT).withPublishMode(PortConfig.PublishMode.host)));
        docker.createServiceCmd(new ServiceSpec().withName(SERVICE).withTaskTemplate(task).withEndpointSpec(endpoint)
                .withMode(new ServiceModeConfig().withReplicated(new ServiceReplicatedModeOptions().withReplicas(1)))).exec();
    }

    private static ContainerSpecSecret secretMount(DockerClient docker, String secret, String fileName, long mode) {
        String id = docker.listSecretsCmd().withNameFilter(List.of(secret)).exec().stream()
                .filter(s -> secret.equals(s.getSpec().getName())).findFirst()
                .orElseThrow(() -> new IllegalStateException("Secret " + secret + " of the registry was not found")).getId();
        return new ContainerSpecSecret().withSecretId(id).withSecretName(secret)
                .withFile(new ContainerSpecFile().withName(fileName).withUid("0").withGid("0").withMode(mode));
    }

    static String usersSecretName(int generation) {
        return generation == 1 ? USERS_SECRET : USERS_SECRET + "_" + generation;
    }

    /** Waits until the first user can log in, because the task may run before the registry listens. */
    private void awaitLogin() {
        String user = passwords.keySet().iterator().next();
        SwarmNode node = swarm.managers().get(0);
        try {
            Awaitility.await("registry " + address + " to accept a login").atMost(timeout).pollInterval(Duration.ofSeconds(1))
                    .ignoreExceptionsInstanceOf(IllegalStateException.class)
                    .until(() -> login(node, user, passwords.get(user)));
        } catch (ConditionTimeoutException e) {
            ExecResult log = node.exec("docker", "service", "logs", "--tail", "20", SERVICE);
            throw new IllegalStateException("Registry " + address + " on " + hostNode + " timed out: no login succeeded within "
                    + timeout.toSeconds() + " s; the end of its service log:\n" + log.stdout() + log.stderr(), e);
        }
        node.exec("docker", "logout", address);
    }

    private void requireLogin(SwarmNode node, String user) {
        if (!login(node, user)) {
            throw new IllegalStateException("Registry " + address + " rejected the password of user " + user);
        }
    }

    private String requirePassword(String user) {
        String password = passwords.get(user);
        if (password == null) {
            throw new IllegalArgumentException("Registry " + address + " has no user '" + user + "'; its users are " + users());
        }
        return password;
    }

    private static void requireSuccess(SwarmNode node, String action, ExecResult result) {
        if (!result.succeeded()) {
            throw new IllegalStateException("Could not " + action + " on node " + node.name() + ": exit code "
                    + result.exitCode() + ", " + result.stderr().trim());
        }
    }

    static String fingerprint(String pem) {
        try {
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Could not read the certificate: " + e.getMessage(), e);
        }
    }
}
