package org.clusterdrill.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.clusterdrill.core.ClusterDrillAssertions;
import org.clusterdrill.core.ClusterState;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;

/** The restore cases that break recoveries in production, each on a real three-manager swarm. */
@SwarmCluster(managers = 3)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RestoreHardCasesTest {

    @Test
    @Order(1)
    void damagedArchiveIsRejectedUntouched(Swarm swarm, @TempDir Path scratch) throws IOException {
        SwarmNode leader = swarm.leader();
        leader.createSecret("guarded", "value");
        ClusterState before = swarm.captureState();
        SwarmBackup backup = swarm.backup();

        assertThatThrownBy(() -> swarm.restore(backup))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("still has nodes [manager-1, manager-2, manager-3]")
                .hasMessageContaining("Call destroy() first");
        swarm.destroy();

        SwarmBackup truncated = withArchive(backup, truncatedCopy(backup.archive(), scratch.resolve("truncated.tar")));
        assertThatThrownBy(() -> swarm.restore(truncated))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Backup archive " + truncated.archive() + " has SHA-256 ")
                .hasMessageEndingWith("the file was changed or truncated after the backup");
        SwarmBackup altered = withArchive(backup, alteredCopy(backup.archive(), scratch.resolve("altered.tar")));
        assertThatThrownBy(() -> swarm.restore(altered))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has SHA-256");
        Path foreign = foreignArchive(scratch.resolve("foreign.tar"));
        SwarmBackup notASwarm = withArchive(backup, foreign, SwarmBackups.sha256(foreign));
        assertThatThrownBy(() -> swarm.restore(notASwarm))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lacks [swarm/state.json")
                .hasMessageContaining("it does not hold a swarm manager's state");
        SwarmBackup foreignCluster = new SwarmBackup(backup.archive(), backup.metadata(), backup.sha256(), "someothercluster",
                backup.sourceNode(), backup.engineVersion(), backup.createdAt(), backup.topology());
        assertThatThrownBy(() -> swarm.restore(foreignCluster))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Backup " + backup.archive() + " belongs to swarm someothercluster, but this cluster is swarm "
                        + backup.clusterId() + "; restore a backup taken from this cluster");
        assertThat(swarm.nodes()).isEmpty();
        assertThat(harnessContainers(swarm)).isZero();

        swarm.restore(backup);

        ClusterDrillAssertions.assertThat(swarm.captureState()).preserves(before);
        assertEveryManagerAgrees(swarm);
    }

    @Test
    @Order(2)
    void backupFromLeaderRestores(Swarm swarm) {
        swarm.leader().createConfig("from_leader", "taken while leading");
        ClusterState before = swarm.captureState();
        SwarmNode leader = swarm.leader();

        SwarmBackup backup = swarm.backup(leader);
        swarm.destroy();
        swarm.restore(backup);

        assertThat(backup.sourceNode()).isEqualTo(leader.name());
        ClusterDrillAssertions.assertThat(swarm.captureState()).preserves(before);
        assertEveryManagerAgrees(swarm);
    }

    @Test
    @Order(3)
    void overlayWorksAfterRestore(Swarm swarm) {
        SwarmNode leader = swarm.leader();
        leader.createOverlayNetwork("probenet");
        leader.createService(ServiceDefinition.named("echo").global().network("probenet")
                .command("sh", "-c", "mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 80 -h /www"));
        swarm.awaitConverged();
        assertEveryTaskAnswers(swarm);
        SwarmBackup backup = swarm.backup();
        swarm.destroy();
        swarm.restore(backup);

        assertEveryTaskAnswers(swarm);
    }

    @Test
    @Order(4)
    void ingressWorksAfterRestore(Swarm swarm) {
        // The ingress routing mesh balances published ports with IPVS, which some kernels lack.
        assumeTrue(swarm.leader().exec("test", "-d", "/proc/sys/net/ipv4/vs").succeeded(),
                "the kernel has no IPVS (ip_vs module), which the ingress routing mesh needs");
        swarm.leader().createService(ServiceDefinition.named("published").global().publish(8080, 80)
                .command("sh", "-c", "mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 80 -h /www"));
        swarm.awaitConverged();
        SwarmBackup backup = swarm.backup();
        swarm.destroy();
        swarm.restore(backup);

        for (SwarmNode node : swarm.nodes()) {
            assertThat(fetch(swarm, node, "--network", "host", "http://" + node.address() + ":8080/"))
                    .as("ingress port 8080 on " + node.name()).isNotBlank();
        }
    }

    private static void assertEveryTaskAnswers(Swarm swarm) {
        SwarmNode prober = swarm.leader();
        List<String> taskAddresses = lookUpTasks(swarm, prober, "echo");
        assertThat(taskAddresses).hasSize(swarm.nodes().size());
        Set<String> hostnames = taskAddresses.stream()
                .map(address -> fetch(swarm, prober, "--network", "probenet", "http://" + address + "/"))
                .collect(Collectors.toSet());
        assertThat(hostnames).as("each task answers under its own hostname").hasSize(taskAddresses.size());
    }

    private static List<String> lookUpTasks(Swarm swarm, SwarmNode node, String service) {
        ExecResult lookup = node.exec("docker", "run", "--rm", "--network", "probenet", swarm.workloadImage(),
                "nslookup", "tasks." + service);
        assertThat(lookup.exitCode()).as("nslookup tasks.%s: %s %s", service, lookup.stdout(), lookup.stderr()).isZero();
        String answers = lookup.stdout().substring(lookup.stdout().indexOf("tasks." + service));
        return answers.lines().filter(line -> line.startsWith("Address")).map(line -> line.replaceAll(".*:\\s*", "").trim())
                .distinct().toList();
    }

    private static String fetch(Swarm swarm, SwarmNode node, String networkFlag, String network, String url) {
        // Debian's busybox-static 1.35 wget crashes with its own -T option, so busybox timeout bounds it.
        ExecResult result = node.exec("docker", "run", "--rm", networkFlag, network, swarm.workloadImage(),
                "timeout", "5", "wget", "-q", "-O", "-", url);
        assertThat(result.exitCode()).as("GET %s from %s: %s", url, node.name(), result.stderr()).isZero();
        return result.stdout().trim();
    }

    private static void assertEveryManagerAgrees(Swarm swarm) {
        Set<String> clusterIds = swarm.managers().stream().map(m -> m.docker().inspectSwarmCmd().exec().getId())
                .collect(Collectors.toSet());
        assertThat(clusterIds).hasSize(1);
        for (SwarmNode manager : swarm.managers()) {
            List<String> listed = manager.docker().listSwarmNodesCmd().exec().stream()
                    .map(n -> n.getDescription().getHostname()).sorted().toList();
            assertThat(listed).as("nodes listed by " + manager.name()).containsExactly("manager-1", "manager-2", "manager-3");
            assertThat(manager.docker().listSwarmNodesCmd().exec())
                    .allSatisfy(n -> assertThat(n.getStatus().getState().name()).isEqualTo("READY"));
        }
    }

    private static long harnessContainers(Swarm swarm) {
        return DockerClientFactory.instance().client().listContainersCmd().withShowAll(true)
                .withLabelFilter(java.util.Map.of(RunLabels.RUN, swarm.runId())).exec().size();
    }

    private static SwarmBackup withArchive(SwarmBackup backup, Path archive) {
        return withArchive(backup, archive, backup.sha256());
    }

    private static SwarmBackup withArchive(SwarmBackup backup, Path archive, String sha256) {
        return new SwarmBackup(archive, backup.metadata(), sha256, backup.clusterId(), backup.sourceNode(),
                backup.engineVersion(), backup.createdAt(), backup.topology());
    }

    private static Path truncatedCopy(Path archive, Path copy) throws IOException {
        byte[] data = Files.readAllBytes(archive);
        Files.write(copy, java.util.Arrays.copyOf(data, data.length / 2));
        return copy;
    }

    private static Path alteredCopy(Path archive, Path copy) throws IOException {
        byte[] data = Files.readAllBytes(archive);
        data[data.length / 3] ^= 0x01;
        Files.write(copy, data);
        return copy;
    }

    private static Path foreignArchive(Path target) throws IOException {
        try (OutputStream out = Files.newOutputStream(target); TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            byte[] content = "not a swarm\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            TarArchiveEntry entry = new TarArchiveEntry("notes/readme.txt");
            entry.setSize(content.length);
            tar.putArchiveEntry(entry);
            tar.write(content);
            tar.closeArchiveEntry();
        }
        return target;
    }

}
