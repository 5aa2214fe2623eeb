package org.clusterdrill.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.clusterdrill.core.ClusterDrillAssertions;
import org.clusterdrill.core.ClusterState;
import org.clusterdrill.core.SecretFingerprint;
import org.junit.jupiter.api.Test;

/**
 * On a real single-manager swarm: a secret, a network and a service replica removed after the
 * state was captured but before the backup do not come back, and the assertion reports exactly that.
 */
@SwarmCluster(managers = 1)
class LostStateDetectionTest {

    @Test
    void preservesReportsLostObjects(Swarm swarm) {
        SwarmNode leader = swarm.leader();
        leader.createOverlayNetwork("kept");
        leader.createOverlayNetwork("doomed");
        leader.createSecret("kept_secret", "one");
        leader.createSecret("doomed_secret", "two");
        leader.createService(ServiceDefinition.named("web").replicas(2).network("kept").secret("kept_secret"));
        swarm.awaitConverged();
        ClusterState before = swarm.captureState();

        assertThat(leader.exec("docker", "secret", "rm", "doomed_secret").succeeded()).isTrue();
        assertThat(leader.exec("docker", "network", "rm", "doomed").succeeded()).isTrue();
        assertThat(leader.exec("docker", "service", "scale", "-d", "web=1").succeeded()).isTrue();
        swarm.awaitConverged();
        SwarmBackup backup = swarm.backup();
        swarm.destroy();
        swarm.restore(backup);
        ClusterState after = swarm.captureState();

        assertThatThrownBy(() -> ClusterDrillAssertions.assertThat(after).preserves(before))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("2 resource(s) are missing, 0 were added and 1 changed")
                .hasMessageContaining("  - missing network 'doomed'")
                .hasMessageContaining("  - missing secret 'doomed_secret'")
                .hasMessageContaining("  - changed service 'web':\n"
                        + "      replicas.desired: \"2\" -> \"1\"\n"
                        + "      replicas.running: \"2\" -> \"1\"");
        assertThat(after.resource("secret", "kept_secret").attribute(SecretFingerprint.ATTRIBUTE))
                .isEqualTo(before.resource("secret", "kept_secret").attribute(SecretFingerprint.ATTRIBUTE))
                .isEqualTo(SecretFingerprint.ofSha256(SwarmStateReader.sha256("one".getBytes(java.nio.charset.StandardCharsets.UTF_8))));
    }
}
