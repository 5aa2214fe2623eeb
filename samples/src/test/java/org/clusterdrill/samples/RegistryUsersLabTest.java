package org.clusterdrill.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clusterdrill.core.ClusterDrillAssertions.assertThat;

import java.util.Map;

import org.clusterdrill.core.ClusterState;
import org.clusterdrill.core.Drill;
import org.clusterdrill.core.Phase;
import org.clusterdrill.swarm.Swarm;
import org.clusterdrill.swarm.SwarmBackup;
import org.clusterdrill.swarm.SwarmCluster;
import org.clusterdrill.swarm.SwarmNode;
import org.clusterdrill.swarm.SwarmRegistry;
import org.junit.jupiter.api.Test;

/**
 * The registry lab: a password-protected registry on Swarm keeps its users, its images and its
 * certificate through the loss of every node.
 *
 * <ol>
 *   <li>Seed: a TLS registry with two users, pinned to {@code manager-1} and published in host
 *       mode, with its images in a volume outside the cluster; a node pushes an image to it.</li>
 *   <li>Back up, destroy and restore the swarm as the first lab does.</li>
 *   <li>Verify: every user logs in, a wrong password is rejected, the catalog still lists the
 *       repository, another node pulls it and the registry serves the same certificate.</li>
 * </ol>
 *
 * <p>Set {@code CLUSTERDRILL_REGISTRY_IMAGE=clusterdrill/registry:bookworm} where {@code registry:2}
 * cannot be pulled.
 */
@SwarmCluster(managers = 3)
class RegistryUsersLabTest {

    private static final Map<String, String> USERS = Map.of(
            "alice", "blue-anchor-7-lantern",
            "bob", "quiet-river-42-orchard");

    @Test
    void registryUsersSurviveRestore(Swarm swarm, Drill drill) {
        SwarmRegistry registry = drill.phase(Phase.SEED, "registry with " + USERS.size() + " users",
                () -> SwarmRegistry.deploy(swarm, USERS));
        SwarmNode pusher = swarm.node("manager-2");
        String pushed = registry.push(pusher, "alice", swarm.workloadImage(), "drill/busybox");
        ClusterState before = registry.addUsersTo(swarm.captureState());
        assertThat(before.names(SwarmRegistry.USER)).containsExactly("alice", "bob");

        SwarmBackup backup = swarm.backup();
        swarm.destroy();
        swarm.restore(backup);

        ClusterState after = drill.phase(Phase.VERIFY, "", () -> registry.addUsersTo(swarm.captureState()));
        assertThat(after).preserves(before);
        assertThat(registry.loginAll()).containsEntry("alice", true).containsEntry("bob", true);
        assertThat(registry.login(swarm.node("manager-3"), "bob", "not-bobs-password")).isFalse();
        assertThat(registry.catalog(swarm.node("manager-3"), "bob")).contains("drill/busybox");
        registry.pull(swarm.node("manager-3"), "bob", pushed);
        assertThat(registry.servedCertificateFingerprint(swarm.node("manager-3")))
                .isEqualTo(registry.certificateFingerprint());
    }
}
