package org.clusterdrill.swarm;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.File;
import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * A test JVM that starts a one-manager swarm through {@code @SwarmCluster}, prints its run id and
 * then blocks, so a parent test can kill it with SIGKILL or SIGTERM in the middle of a drill.
 */
public final class ChildJvmDrill {

    static final String RUN_ID_PREFIX = "CLUSTERDRILL_RUN_ID=";

    private ChildJvmDrill() {
    }

    public static void main(String[] args) {
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(BlockedDrill.class)).build());
    }

    /** Starts a child JVM running {@link #main} with this JVM's class path and environment. */
    static Process start(File log) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), ChildJvmDrill.class.getName()))
                .redirectErrorStream(true).redirectOutput(log).start();
    }

    @SwarmCluster(managers = 1)
    static class BlockedDrill {

        @Test
        void blocksUntilKilled(Swarm swarm) throws InterruptedException {
            swarm.leader().createSecret("blocked", "value");
            System.out.println(RUN_ID_PREFIX + swarm.runId());
            System.out.flush();
            Thread.sleep(600_000);
        }
    }
}
