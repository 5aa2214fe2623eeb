package org.clusterdrill.swarm;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.StreamType;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Runs short shell scripts of the registry lab in one-off containers on a node's engine, with files
 * copied in before the start, so that passwords and keys never appear on a command line.
 */
final class RegistryTools {

    /** Folder in a tool container that receives the copied files. */
    static final String WORK_FOLDER = "/work";

    private final String image;
    private final Duration timeout;

    RegistryTools(String image, Duration timeout) {
        this.image = image;
        this.timeout = timeout;
    }

    String image() {
        return image;
    }

    /**
     * Runs {@code sh -c script} with the arguments as {@code $1 ...} in the node's network namespace,
     * with the files in {@link #WORK_FOLDER} (mode 0600), and returns its output.
     *
     * @throws IllegalStateException when the script fails or does not finish within the timeout
     */
    ExecResult run(NodeContainer node, String purpose, Map<String, byte[]> files, String script, String... arguments) {
        DockerClient docker = node.docker();
        String id = docker.createContainerCmd(image)
                .withEntrypoint("sh", "-c", script, "tool")
                .withCmd(arguments)
                .withLabels(Map.of(RunLabels.PROBE, "registry"))
                .withHostConfig(HostConfig.newHostConfig().withNetworkMode("host"))
                .exec().getId();
        try {
            docker.copyArchiveToContainerCmd(id).withTarInputStream(tar(files)).withRemotePath("/").exec();
            docker.startContainerCmd(id).exec();
            Integer status = docker.waitContainerCmd(id).start().awaitStatusCode(timeout.toSeconds(), TimeUnit.SECONDS);
            ExecResult result = output(docker, id, status == null ? -1 : status);
            if (!result.succeeded()) {
                throw new IllegalStateException("Could not " + purpose + " on node " + node.name() + " with image " + image
                        + ": exit code " + result.exitCode() + ", " + result.stderr().trim());
            }
            return result;
        } finally {
            docker.removeContainerCmd(id).withForce(true).exec();
        }
    }

    private static ExecResult output(DockerClient docker, String id, int exitCode) {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        try (ResultCallback.Adapter<Frame> callback = docker.logContainerCmd(id).withStdOut(true).withStdErr(true)
                .exec(new ResultCallback.Adapter<>() {
                    @Override
                    public void onNext(Frame frame) {
                        (frame.getStreamType() == StreamType.STDERR ? stderr : stdout).writeBytes(frame.getPayload());
                    }
                })) {
            callback.awaitCompletion(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading the output of tool container " + id, e);
        } catch (IOException e) {
            throw new IllegalStateException("Could not read the output of tool container " + id, e);
        }
        return new ExecResult(exitCode, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
    }

    /** Packs files into a tar stream under {@link #WORK_FOLDER}, each readable by its owner only. */
    static InputStream tar(Map<String, byte[]> files) {
        return tarAt(WORK_FOLDER.substring(1), files, 0600);
    }

    /** Packs files into a tar stream below the given folder, which has no leading slash. */
    static InputStream tarAt(String folder, Map<String, byte[]> files, int mode) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            String prefix = "";
            for (String part : List.of(folder.split("/"))) {
                prefix = prefix + part + "/";
                TarArchiveEntry directory = new TarArchiveEntry(prefix);
                directory.setMode(040755);
                tar.putArchiveEntry(directory);
                tar.closeArchiveEntry();
            }
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(prefix + file.getKey());
                entry.setSize(file.getValue().length);
                entry.setMode(0100000 | mode);
                tar.putArchiveEntry(entry);
                tar.write(file.getValue());
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new IllegalStateException("Could not pack files " + files.keySet() + " into a tar stream", e);
        }
        return new ByteArrayInputStream(bytes.toByteArray());
    }
}
