package org.clusterdrill.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

class KindSettingsTest {

    @KindCluster
    static class Defaults {
    }

    @KindCluster(controlPlanes = 3, workers = 2, nodeImage = "kindest/node:v1.32.0", timeoutSeconds = 90)
    static class Explicit {
    }

    @KindCluster(controlPlanes = 0)
    static class NoControlPlane {
    }

    @KindCluster(workers = -1)
    static class NegativeWorkers {
    }

    @Test
    void defaultsApply() {
        KindSettings settings = KindSettings.from(Defaults.class.getAnnotation(KindCluster.class), key -> null, key -> null);

        assertThat(settings.controlPlanes()).isEqualTo(1);
        assertThat(settings.workers()).isZero();
        assertThat(settings.nodeImage()).isEqualTo(KindSettings.DEFAULT_NODE_IMAGE);
        assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(300));
    }

    @Test
    void annotationWinsOverProperty() {
        KindSettings settings = KindSettings.from(Explicit.class.getAnnotation(KindCluster.class),
                Map.of("clusterdrill.kind.node.image", "other:1")::get, key -> null);

        assertThat(settings.controlPlanes()).isEqualTo(3);
        assertThat(settings.workers()).isEqualTo(2);
        assertThat(settings.nodeImage()).isEqualTo("kindest/node:v1.32.0");
        assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void propertyWinsOverEnvironment() {
        KindSettings settings = KindSettings.from(Defaults.class.getAnnotation(KindCluster.class),
                Map.of("clusterdrill.kind.node.image", "from-property:1")::get,
                Map.of("CLUSTERDRILL_KIND_NODE_IMAGE", "from-environment:1", "CLUSTERDRILL_TIMEOUT_SECONDS", "45")::get);

        assertThat(settings.nodeImage()).isEqualTo("from-property:1");
        assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(45));
    }

    @Test
    void zeroControlPlanesRejected() {
        assertThatThrownBy(() -> KindSettings.from(NoControlPlane.class.getAnnotation(KindCluster.class)))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("Invalid @KindCluster(controlPlanes = 0): a cluster needs at least 1 control-plane node; "
                        + "use controlPlanes = 1 or more");
    }

    @Test
    void negativeWorkersRejected() {
        assertThatThrownBy(() -> KindSettings.from(NegativeWorkers.class.getAnnotation(KindCluster.class)))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("Invalid @KindCluster(workers = -1): use workers = 0 or more");
    }

    @Test
    void invalidTimeoutPropertyRejected() {
        assertThatThrownBy(() -> KindSettings.from(Defaults.class.getAnnotation(KindCluster.class),
                Map.of("clusterdrill.timeout.seconds", "soon")::get, key -> null))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("Invalid clusterdrill.timeout.seconds (or CLUSTERDRILL_TIMEOUT_SECONDS) = 'soon': "
                        + "use a whole number of seconds greater than 0");
    }

    @Test
    void configHasOneEntryPerNode() {
        String yaml = KindConfig.yaml(2, 1, java.util.List.of(new KindConfig.Mount("/backup/pki/ca.crt", "/etc/kubernetes/pki/ca.crt")));

        assertThat(yaml).startsWith("kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n");
        assertThat(yaml.split("- role: control-plane", -1)).hasSize(3);
        assertThat(yaml.split("- role: worker", -1)).hasSize(2);
        assertThat(yaml.split("containerPath: \"/etc/kubernetes/pki/ca.crt\"", -1)).hasSize(3);
    }
}
