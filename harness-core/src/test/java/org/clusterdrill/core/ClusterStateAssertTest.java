package org.clusterdrill.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class ClusterStateAssertTest {

    private static ClusterState.Builder seeded() {
        return ClusterState.builder("test")
                .add("network", "appnet", Map.of("driver", "overlay", "subnets", "10.0.1.0/24"))
                .add("secret", "db_password", Map.of("sha256", "aa11"))
                .add("service", "web", Map.of("replicas.desired", "3", "replicas.running", "3"));
    }

    @Test
    void identicalStatesPass() {
        ClusterDrillAssertions.assertThat(seeded().build()).preserves(seeded().build());
    }

    @Test
    void missingAddedAndChangedAreListed() {
        ClusterState before = seeded().build();
        ClusterState after = ClusterState.builder("test")
                .add("network", "appnet", Map.of("driver", "overlay", "subnets", "10.0.1.0/24"))
                .add("network", "extra", Map.of("driver", "overlay"))
                .add("service", "web", Map.of("replicas.desired", "3", "replicas.running", "2"))
                .build();

        assertThatThrownBy(() -> ClusterDrillAssertions.assertThat(after).preserves(before))
                .isInstanceOf(AssertionError.class)
                .hasMessage(String.format("%nExpected the cluster state to be preserved, but 1 resource(s) are missing, "
                        + "1 were added and 1 changed:%n"
                        + "  - added network 'extra'\n"
                        + "  - missing secret 'db_password'\n"
                        + "  - changed service 'web':\n"
                        + "      replicas.running: \"3\" -> \"2\""));
    }

    @Test
    void absentAttributeIsNamed() {
        ClusterState before = ClusterState.builder("test").add("config", "app", Map.of("sha256", "ff")).build();
        ClusterState after = ClusterState.builder("test").add("config", "app", Map.of()).build();

        assertThatThrownBy(() -> ClusterDrillAssertions.assertThat(after).preserves(before))
                .hasMessageContaining("changed config 'app':\n      sha256: \"ff\" -> (absent)");
    }

    @Test
    void failureCarriesActualAndExpectedForDiffs() {
        ClusterState before = seeded().build();
        ClusterState after = ClusterState.builder("test").build();

        assertThatThrownBy(() -> ClusterDrillAssertions.assertThat(after).preserves(before))
                .isInstanceOfSatisfying(org.opentest4j.AssertionFailedError.class, error -> {
                    assertThat(error.isExpectedDefined()).isTrue();
                    assertThat(error.getExpected().getStringRepresentation()).contains("secret db_password");
                    assertThat(error.getActual().getStringRepresentation()).isEmpty();
                });
    }

    @Test
    void duplicateNamesAreRejected() {
        ClusterState.Builder builder = ClusterState.builder("test").add("secret", "a", Map.of());

        assertThatThrownBy(() -> builder.add("secret", "a", Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Duplicate secret 'a': names must be unique within a kind");
    }
}
