package org.clusterdrill.k8s;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs commands in a running Docker container and copies files in and out of it through the
 * {@code docker} CLI. kind's nodes are such containers, and so is the etcd container of the tests.
 */
final class ContainerShell {

    private final String container;
    private final Duration timeout;

    ContainerShell(String container, Duration timeout) {
        this.container = container;
        this.timeout = timeout;
    }

    String container() {
        return container;
    }

    /** Runs the command in the container and returns its result, whatever its exit code. */
    CommandResult exec(List<String> command) {
        List<String> line = new ArrayList<>(List.of("docker", "exec", container));
        line.addAll(command);
        return Commands.run(line, timeout);
    }

    /** Runs the command and throws with its error output when it fails. */
    CommandResult execChecked(String... command) {
        return exec(List.of(command)).requireSuccess();
    }

    /** Runs a {@code sh -c} script in the container and throws when it fails. */
    CommandResult script(String script) {
        return execChecked("sh", "-c", script);
    }

    void copyOut(String containerPath, Path localPath) {
        Commands.run(List.of("docker", "cp", container + ":" + containerPath, localPath.toString()), timeout).requireSuccess();
    }

    void copyIn(Path localPath, String containerPath) {
        Commands.run(List.of("docker", "cp", localPath.toString(), container + ":" + containerPath), timeout).requireSuccess();
    }
}
