package org.clusterdrill.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without any Docker engine, connecting fails with a message that names what was tried and the fix.
 * A child JVM runs in a private mount namespace with an empty {@code /var/run}, so it finds no local
 * socket while the machine's engine keeps running for the other tests.
 */
class NoEngineMessageTest {

    @Test
    void missingEngineIsNamed(@TempDir Path scratch) throws Exception {
        assertThat(probe(scratch, null)).contains("MESSAGE=No Docker engine responds (DOCKER_HOST is not set and no "
                + "local socket responds), so no cluster can start. Start Docker (on Debian as root: "
                + "scripts/docker-engine.sh installs and starts it), or point DOCKER_HOST at a running engine");
    }

    @Test
    void deadDockerHostIsNamed(@TempDir Path scratch) throws Exception {
        assertThat(probe(scratch, "tcp://127.0.0.1:1")).contains("MESSAGE=No Docker engine responds (neither "
                + "DOCKER_HOST=tcp://127.0.0.1:1 nor a local socket responds)");
    }

    /** Runs {@link NoEngineProbe} where no engine can be found and returns its output. */
    private static String probe(Path scratch, String dockerHost) throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")) && new File("/usr/bin/unshare").canExecute(),
                "hiding the engine's socket needs root and unshare");
        String java = ProcessHandle.current().info().command().orElse("java");
        File log = scratch.resolve("probe.log").toFile();
        ProcessBuilder builder = new ProcessBuilder(List.of("unshare", "--mount", "--propagation", "private", "sh", "-c",
                "mount -t tmpfs tmpfs /var/run && exec \"$0\" \"$@\"",
                java, "-cp", System.getProperty("java.class.path"), NoEngineProbe.class.getName()))
                .redirectErrorStream(true).redirectOutput(log);
        Map<String, String> environment = builder.environment();
        environment.remove("DOCKER_HOST");
        if (dockerHost != null) {
            environment.put("DOCKER_HOST", dockerHost);
        }
        Process child = builder.start();
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("probe JVM finished").isTrue();
        String output = Files.readString(log.toPath());
        assumeTrue(!output.contains("mount: ") && !output.contains("unshare: "), "mount namespaces are not allowed here: " + output);
        assertThat(output).as("probe output").doesNotContain("CONNECTED");
        return output;
    }

    /** Connects to the outer engine and prints the error message instead of a stack trace. */
    static final class NoEngineProbe {

        public static void main(String[] args) {
            try {
                OuterEngine.connect();
                System.out.println("CONNECTED");
            } catch (IllegalStateException e) {
                System.out.println("MESSAGE=" + e.getMessage());
            }
        }
    }
}
