package org.clusterdrill.k8s;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Checks what kind needs before a cluster starts: the {@code kind} binary on {@code PATH}, a
 * Docker CLI and the node image in the Docker engine. kind would pull a missing image, but the
 * harness fails fast instead, so that a machine without a registry gets a clear message.
 */
final class KindPreconditions {

    private KindPreconditions() {
    }

    /** Returns a message naming what is missing and how to get it, or empty when kind can start the cluster. */
    static Optional<String> missing(KindSettings settings) {
        return missing(settings, Commands::onPath);
    }

    /** Runs the checks with another way of finding executables, so tests can reach the image check. */
    static Optional<String> missing(KindSettings settings, java.util.function.Predicate<String> onPath) {
        if (!onPath.test("kind")) {
            return Optional.of("The kind binary is not on PATH. Install kind (a release binary from its GitHub releases, or "
                    + "'go install sigs.k8s.io/kind@latest') and put it on PATH.");
        }
        if (!onPath.test("docker")) {
            return Optional.of("The docker CLI is not on PATH; kind and the harness need it to reach the Docker engine.");
        }
        CommandResult inspect = Commands.run(List.of("docker", "image", "inspect", "--format", "{{.Id}}", settings.nodeImage()),
                Duration.ofSeconds(30));
        if (!inspect.succeeded()) {
            return Optional.of("The kind node image " + settings.nodeImage() + " is not in the Docker engine. Run 'docker pull "
                    + settings.nodeImage() + "' where a registry is reachable (or 'docker load' a saved copy), or set "
                    + KindSettings.NODE_IMAGE_PROPERTY + " (environment variable "
                    + KindSettings.environmentName(KindSettings.NODE_IMAGE_PROPERTY) + ") to an image that exists.");
        }
        return Optional.empty();
    }
}
