package org.clusterdrill.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.github.dockerjava.api.DockerClient;
import org.awaitility.Awaitility;
import org.clusterdrill.core.DrillReportWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/** Nothing of a cluster is left after failures, and a killed JVM's leftovers are swept, on the real engine. */
class HarnessCleanupTest {

    static volatile String lastRunId;
    static volatile Path lastBackup;

    @Test
    void failedTestLeavesNothing() {
        EngineExecutionResults results = run(FailingDrill.class);

        results.testEvents().assertStatistics(stats -> stats.failed(1));
        Throwable failure = results.testEvents().failed().list().get(0).getPayload(org.junit.platform.engine.TestExecutionResult.class)
                .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable).orElseThrow();
        assertThat(failure.getSuppressed()).singleElement()
                .satisfies(note -> assertThat(note.getMessage()).startsWith("Diagnostics of swarm " + lastRunId + ": "));
        assertThat(objectsOfRun(lastRunId)).isZero();
        assertThat(lastBackup).doesNotExist();
    }

    @Test
    void diagnosticsBundleHasEvidenceWithoutSecrets() throws Exception {
        run(FailingDrill.class);

        Path bundle = DrillReportWriter.reportsDirectory().resolve("FailingDrill.failsAfterBackup.diagnostics.txt");
        String text = Files.readString(bundle);
        assertThat(text).contains("Cluster Drill diagnostics for swarm " + lastRunId);
        assertThat(text).contains("== docker node ls (on manager-1)", "== docker service ps --no-trunc",
                "== docker info on manager manager-1", "== engine log of manager manager-1", "phase backup succeeded");
        assertThat(text).doesNotContain(FailingDrill.SECRET_VALUE);
    }

    @Test
    void timedOutTestLeavesNothing() {
        lastRunId = null;
        EngineExecutionResults results = run(TimedOutDrill.class);

        results.testEvents().assertStatistics(stats -> stats.failed(1));
        assertThat(lastRunId).isNotNull();
        assertThat(objectsOfRun(lastRunId)).isZero();
    }

    @Test
    void lifecycleExceptionLeavesNothing() {
        lastRunId = null;
        EngineExecutionResults results = run(FailingBeforeAll.class);

        results.containerEvents().assertStatistics(stats -> stats.failed(1));
        assertThat(lastRunId).isNotNull();
        assertThat(objectsOfRun(lastRunId)).isZero();
    }

    @Test
    void keepOnFailureSurvivesSweep() {
        System.setProperty("clusterdrill.keep.on.failure", "true");
        String kept = null;
        try {
            run(FailingDrill.class);
            kept = lastRunId;

            assertThat(objectsOfRun(kept)).isPositive();
            LeftoverSweeper.sweep(OuterEngine.connect());
            assertThat(objectsOfRun(kept)).as("objects of the kept run after a sweep").isPositive();
            assertThat(runFolder(kept)).as("run folder of the kept run after a sweep").isDirectory();
        } finally {
            System.clearProperty("clusterdrill.keep.on.failure");
            if (kept != null) {
                removeRun(kept);
            }
        }
        assertThat(objectsOfRun(kept)).isZero();
    }

    @Test
    void killedJvmLeftoversAreSwept(@TempDir Path scratch) throws Exception {
        File log = scratch.resolve("child.log").toFile();
        Process child = ChildJvmDrill.start(log);
        String runId = awaitRunId(child, log);

        child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        assertThat(objectsOfRun(runId)).as("objects left by the killed JVM").isPositive();
        assertThat(runFolder(runId)).as("run folder left by the killed JVM").isDirectory();
        LeftoverSweeper.sweep(OuterEngine.connect());

        assertThat(objectsOfRun(runId)).isZero();
        assertThat(runFolder(runId)).as("run folder after the sweep").doesNotExist();
    }

    @Test
    void terminatedJvmCleansUpInShutdownHook(@TempDir Path scratch) throws Exception {
        File log = scratch.resolve("child.log").toFile();
        Process child = ChildJvmDrill.start(log);
        String runId = awaitRunId(child, log);

        child.destroy();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child JVM ended after SIGTERM").isTrue();

        assertThat(objectsOfRun(runId)).isZero();
        assertThat(runFolder(runId)).as("run folder after SIGTERM").doesNotExist();
    }

    private static String awaitRunId(Process child, File log) {
        Awaitility.await("child JVM to start its swarm").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> Files.readString(log.toPath()).contains(ChildJvmDrill.RUN_ID_PREFIX) || !child.isAlive());
        String output = readQuietly(log);
        assertThat(output).as("child JVM output").contains(ChildJvmDrill.RUN_ID_PREFIX);
        return output.substring(output.indexOf(ChildJvmDrill.RUN_ID_PREFIX) + ChildJvmDrill.RUN_ID_PREFIX.length()).lines()
                .findFirst().orElseThrow().trim();
    }

    private static String readQuietly(File file) {
        try {
            return Files.readString(file.toPath());
        } catch (java.io.IOException e) {
            return "";
        }
    }

    @Test
    void passingRunDeletesOldDiagnostics() throws Exception {
        Path old = DiagnosticsBundle.file("PassingDrill.passes");
        Files.createDirectories(old.getParent());
        Files.writeString(old, "diagnostics of an earlier failed run");

        run(PassingDrill.class).testEvents().assertStatistics(stats -> stats.succeeded(1));

        assertThat(old).doesNotExist();
    }

    static EngineExecutionResults run(Class<?> testClass) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(testClass)).execute();
    }

    private static Path runFolder(String runId) {
        return Path.of(System.getProperty("java.io.tmpdir"), LeftoverSweeper.RUN_FOLDER_PREFIX + runId);
    }

    static int objectsOfRun(String runId) {
        DockerClient docker = OuterEngine.connect().client();
        String filter = RunLabels.RUN + "=" + runId;
        int containers = docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(RunLabels.RUN, runId)).exec().size();
        int networks = docker.listNetworksCmd().withFilter("label", List.of(filter)).exec().size();
        var volumes = docker.listVolumesCmd().withFilter("label", List.of(filter)).exec().getVolumes();
        return containers + networks + (volumes == null ? 0 : volumes.size());
    }

    private static void removeRun(String runId) {
        OuterEngine outer = OuterEngine.connect();
        String filter = RunLabels.RUN + "=" + runId;
        outer.client().listContainersCmd().withShowAll(true).withLabelFilter(Map.of(RunLabels.RUN, runId)).exec()
                .forEach(c -> outer.removeContainer(c.getId()));
        outer.client().listNetworksCmd().withFilter("label", List.of(filter)).exec().forEach(n -> outer.removeNetwork(n.getId()));
        var volumes = outer.client().listVolumesCmd().withFilter("label", List.of(filter)).exec().getVolumes();
        if (volumes != null) {
            volumes.forEach(v -> outer.removeVolume(v.getName()));
        }
        try (var paths = Files.walk(runFolder(runId))) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @SwarmCluster(managers = 1)
    static class PassingDrill {

        @Test
        void passes(Swarm swarm) {
            assertThat(swarm.quorum().hasQuorum()).isTrue();
        }
    }

    @SwarmCluster(managers = 1)
    static class FailingDrill {

        static final String SECRET_VALUE = "sunflower-7319-pass";

        @Test
        void failsAfterBackup(Swarm swarm) {
            lastRunId = swarm.runId();
            swarm.leader().createSecret("db_password", SECRET_VALUE);
            swarm.leader().createService(ServiceDefinition.named("web").secret("db_password"));
            lastBackup = swarm.backup().archive();
            assertThat(lastBackup).exists();
            assertThat(swarm.nodes()).as("a deliberate failure").isEmpty();
        }
    }

    @SwarmCluster(managers = 1)
    static class TimedOutDrill {

        @Test
        @org.junit.jupiter.api.Timeout(2)
        void outlivesItsTimeout(Swarm swarm) throws InterruptedException {
            lastRunId = swarm.runId();
            Thread.sleep(30_000);
        }
    }

    @SwarmCluster(managers = 1)
    static class FailingBeforeAll {

        @BeforeAll
        static void failAfterStart(Swarm swarm) {
            lastRunId = swarm.runId();
            throw new IllegalStateException("deliberate failure in @BeforeAll");
        }

        @Test
        void neverRuns() {
        }
    }
}
