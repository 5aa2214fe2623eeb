package org.clusterdrill.swarm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.ExecCreateCmdResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.StreamType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;

/**
 * The Docker engine that runs the node containers, reached through Testcontainers' client so that
 * its usual configuration (DOCKER_HOST, ~/.testcontainers.properties) applies.
 */
final class OuterEngine {

    private static final Logger LOG = LoggerFactory.getLogger(OuterEngine.class);

    private final DockerClient client;
    private final URI dockerHost;

    private OuterEngine(DockerClient client, URI dockerHost) {
        this.client = client;
        this.dockerHost = dockerHost;
    }

    /** Connects to the outer engine, failing with instructions when none responds. */
    static OuterEngine connect() {
        DockerClientFactory factory = DockerClientFactory.instance();
        if (!factory.isDockerAvailable()) {
            String dockerHost = System.getenv("DOCKER_HOST");
            String tried = dockerHost == null || dockerHost.isBlank() ? "DOCKER_HOST is not set and no local socket responds"
                    : "neither DOCKER_HOST=" + dockerHost + " nor a local socket responds";
            throw new IllegalStateException("No Docker engine responds (" + tried + "), so no cluster can start. Start "
                    + "Docker (on Debian as root: scripts/docker-engine.sh installs and starts it), or point DOCKER_HOST at "
                    + "a running engine, then run the tests again.");
        }
        OuterEngine outer = new OuterEngine(factory.client(), factory.getTransportConfig().getDockerHost());
        outer.requireSupportedVersion();
        return outer;
    }

    /** Oldest engine release the harness is tested with; older ones lack API features it uses. */
    static final int[] MINIMUM_VERSION = {20, 10};

    private void requireSupportedVersion() {
        requireSupportedVersion(serverVersion(), dockerHost);
    }

    /** Fails with the engine's address, its version and the fix when the version is older than {@link #MINIMUM_VERSION}. */
    static void requireSupportedVersion(String version, URI dockerHost) {
        if (!isAtLeast(version, MINIMUM_VERSION)) {
            throw new IllegalStateException("The Docker engine at " + dockerHost + " runs version " + version
                    + ", which is too old: Cluster Drill needs " + MINIMUM_VERSION[0] + "." + MINIMUM_VERSION[1]
                    + " or newer. Upgrade Docker, or point DOCKER_HOST at a newer engine.");
        }
    }

    /** Compares the leading major and minor numbers of a version such as {@code 20.10.24+dfsg1}. */
    static boolean isAtLeast(String version, int[] minimum) {
        String[] parts = version.split("[^0-9]+", 3);
        try {
            int major = Integer.parseInt(parts[0]);
            int minor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return major > minimum[0] || (major == minimum[0] && minor >= minimum[1]);
        } catch (NumberFormatException e) {
            // Development builds report names such as "dev"; they are assumed to be recent.
            return true;
        }
    }

    URI dockerHost() {
        return dockerHost;
    }

    DockerClient client() {
        return client;
    }

    /** Tells whether the outer engine is reached through a unix socket, so host folders are its folders. */
    boolean isLocalUnixSocket() {
        return "unix".equals(dockerHost.getScheme());
    }

    String serverVersion() {
        return client.versionCmd().exec().getVersion();
    }

    String cgroupDriver() {
        String driver = client.infoCmd().exec().getCGroupDriver();
        return driver == null ? "cgroupfs" : driver;
    }

    boolean imageExists(String image) {
        try {
            client.inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /** Runs a command in a running container and collects its output, waiting at most the given seconds. */
    ExecResult exec(String containerId, long timeoutSeconds, String... command) {
        return exec(containerId, timeoutSeconds, List.of(), command);
    }

    /**
     * Runs a command with extra environment variables, {@code NAME=value}. A secret passed this way
     * stays out of the command line, which error messages and process lists show.
     */
    ExecResult exec(String containerId, long timeoutSeconds, List<String> environment, String... command) {
        ExecCreateCmdResponse exec = client.execCreateCmd(containerId).withCmd(command).withEnv(environment)
                .withAttachStdout(true).withAttachStderr(true).exec();
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        try (ResultCallback.Adapter<Frame> callback = client.execStartCmd(exec.getId()).exec(new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
                (frame.getStreamType() == StreamType.STDERR ? stderr : stdout).writeBytes(frame.getPayload());
            }
        })) {
            if (!callback.awaitCompletion(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new IllegalStateException("Command " + List.of(command) + " in container " + containerId
                        + " did not finish within " + timeoutSeconds + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + List.of(command), e);
        } catch (IOException e) {
            throw new IllegalStateException("Could not read the output of " + List.of(command), e);
        }
        Long exitCode = client.inspectExecCmd(exec.getId()).exec().getExitCodeLong();
        return new ExecResult(exitCode == null ? -1 : exitCode.intValue(),
                stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
    }

    /** Returns the last lines of a container's log, for error messages. */
    String logTail(String containerId, int lines) {
        StringBuilder text = new StringBuilder();
        try (ResultCallback.Adapter<Frame> callback = client.logContainerCmd(containerId).withStdOut(true).withStdErr(true)
                .withTail(lines).exec(new ResultCallback.Adapter<>() {
                    @Override
                    public void onNext(Frame frame) {
                        text.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                    }
                })) {
            callback.awaitCompletion(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            text.append("(could not read the log: ").append(e.getMessage()).append(')');
        }
        return text.toString();
    }

    /** Returns a tar stream of a path in a container, which may be stopped. */
    InputStream copyFrom(String containerId, String path) {
        return client.copyArchiveFromContainerCmd(containerId, path).exec();
    }

    /** Extracts a tar stream into a folder of a container, which may be created but not started. */
    void copyInto(String containerId, InputStream tar, String folder) {
        client.copyArchiveToContainerCmd(containerId).withTarInputStream(tar).withRemotePath(folder).exec();
    }

    /** Removes a container with its anonymous volumes; a container that is already gone is fine. */
    void removeContainer(String containerId) {
        try {
            client.removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException e) {
            LOG.debug("Container {} was already removed", containerId);
        }
    }

    void removeVolume(String name) {
        try {
            client.removeVolumeCmd(name).exec();
        } catch (NotFoundException e) {
            LOG.debug("Volume {} was already removed", name);
        }
    }

    void removeNetwork(String id) {
        try {
            client.removeNetworkCmd(id).exec();
        } catch (NotFoundException e) {
            LOG.debug("Network {} was already removed", id);
        }
    }

    Network inspectNetwork(String id) {
        return client.inspectNetworkCmd().withNetworkId(id).exec();
    }
}
