package org.clusterdrill.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.clusterdrill.core.ClusterDrillAssertions;
import org.clusterdrill.core.ClusterState;
import org.junit.jupiter.api.Test;

/**
 * A swarm restored onto nodes with new addresses advertises only the new ones, and a port
 * published in host mode is open on every node's new address.
 */
@SwarmCluster(managers = 3)
class NewAddressRestoreTest {

    @Test
    void restoredManagersAdvertiseNewAddresses(Swarm swarm) {
        swarm.leader().createSecret("moved", "value");
        swarm.leader().createService(ServiceDefinition.named("edge").global().publishOnHost(8080, 80)
                .command("sh", "-c", "mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 80 -h /www"));
        swarm.awaitConverged();
        ClusterState before = swarm.captureState();
        Map<String, String> oldAddresses = swarm.nodes().stream().collect(Collectors.toMap(SwarmNode::name, SwarmNode::address));
        SwarmBackup backup = swarm.backup();
        swarm.destroy();

        swarm.restoreOnNewAddresses(backup);

        for (SwarmNode node : swarm.nodes()) {
            assertThat(node.address()).as("address of " + node.name()).isNotEqualTo(oldAddresses.get(node.name()));
        }
        List<String> newAddresses = swarm.nodes().stream().map(SwarmNode::address).sorted().toList();
        for (SwarmNode manager : swarm.managers()) {
            ExecResult inspect = manager.exec("sh", "-c",
                    "docker node inspect --format '{{.Status.Addr}} {{.ManagerStatus.Addr}}' $(docker node ls -q)");
            assertThat(inspect.exitCode()).as(inspect.stderr()).isZero();
            List<String[]> rows = inspect.stdout().lines().map(line -> line.trim().split(" ")).toList();
            assertThat(rows).extracting(row -> row[0]).as("node addresses seen by " + manager.name())
                    .containsExactlyInAnyOrderElementsOf(newAddresses);
            assertThat(rows).extracting(row -> row[1].replaceAll(":2377$", "")).as("manager addresses seen by " + manager.name())
                    .containsExactlyInAnyOrderElementsOf(newAddresses);
            assertThat(manager.docker().infoCmd().exec().getSwarm().getRemoteManagers())
                    .extracting(peer -> peer.getAddr().replaceAll(":2377$", ""))
                    .as("remote managers of " + manager.name() + ", which join commands use")
                    .containsExactlyInAnyOrderElementsOf(newAddresses);
        }
        ClusterDrillAssertions.assertThat(swarm.captureState()).preserves(before);

        SwarmNode prober = swarm.leader();
        List<String> answers = swarm.nodes().stream()
                .map(node -> fetch(swarm, prober, "http://" + node.address() + ":8080/")).toList();
        assertThat(answers).as("published port 8080 on every node's new address").doesNotContain("")
                .doesNotHaveDuplicates().hasSize(3);
    }

    private static String fetch(Swarm swarm, SwarmNode prober, String url) {
        // Debian's busybox-static 1.35 wget crashes with its own -T option, so busybox timeout bounds it.
        ExecResult result = prober.exec("docker", "run", "--rm", "--network", "host", swarm.workloadImage(),
                "timeout", "5", "wget", "-q", "-O", "-", url);
        assertThat(result.exitCode()).as("GET %s from %s: %s", url, prober.name(), result.stderr()).isZero();
        return result.stdout().trim();
    }
}
