package org.clusterdrill.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.clusterdrill.core.ClusterDrillAssertions;
import org.clusterdrill.core.ClusterState;
import org.junit.jupiter.api.Test;

/**
 * On a real single-manager swarm: a registry user removed after the state was captured but before
 * the backup stays lost after the restore, and the assertion names that user.
 */
@SwarmCluster(managers = 1)
class RegistryUserLossTest {

    @Test
    void preservesNamesRemovedUser(Swarm swarm) {
        SwarmRegistry registry = SwarmRegistry.deploy(swarm, Map.of("alice", "first-pass-1", "bob", "second-pass-2"));
        ClusterState before = registry.addUsersTo(swarm.captureState());
        assertThat(before.resource(SwarmRegistry.USER, "bob").attribute("login")).isEqualTo("succeeded");

        registry.removeUser("bob");
        SwarmBackup backup = swarm.backup();
        swarm.destroy();
        swarm.restore(backup);
        ClusterState after = registry.addUsersTo(swarm.captureState());

        assertThat(after.names(SwarmRegistry.USER)).containsExactly("alice");
        assertThatThrownBy(() -> ClusterDrillAssertions.assertThat(after).preserves(before))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("  - missing user 'bob'")
                .hasMessageNotContaining("second-pass-2")
                .hasMessageNotContaining("first-pass-1");
    }
}
