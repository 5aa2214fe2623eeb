package org.clusterdrill.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.skippedWithReason;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * How {@link KindCluster} classes fail or skip before a cluster starts. The classes under test are
 * nested, so Surefire does not run them on their own.
 */
class KindClusterExtensionTest {

    @KindCluster(controlPlanes = 0)
    static class NoControlPlane {
        @Test
        void unused(KubernetesCluster cluster) {
        }
    }

    @KindCluster(nodeImage = "clusterdrill/absent-kind-node:never")
    static class WithoutKind {
        @Test
        void unused(KubernetesCluster cluster) {
        }
    }

    @KindCluster(nodeImage = "clusterdrill/absent-kind-node:never")
    @EnabledIfKindAvailable
    static class SkippedWithoutKind {
        @Test
        void unused(KubernetesCluster cluster) {
        }
    }

    @Test
    void invalidAttributeFailsClass() {
        Events events = EngineTestKit.engine("junit-jupiter").selectors(selectClass(NoControlPlane.class)).execute().containerEvents();

        events.assertThatEvents().haveExactly(1, event(container(NoControlPlane.class), finishedWithFailure(
                instanceOf(ExtensionConfigurationException.class),
                message("Invalid @KindCluster(controlPlanes = 0): a cluster needs at least 1 control-plane node; "
                        + "use controlPlanes = 1 or more"))));
    }

    @Test
    void missingKindFailsClassNamingFix() {
        assumeFalse(Commands.onPath("kind"), "kind is on PATH, so the missing-binary message cannot be produced here");

        Events events = EngineTestKit.engine("junit-jupiter").selectors(selectClass(WithoutKind.class)).execute().containerEvents();

        events.assertThatEvents().haveExactly(1, event(container(WithoutKind.class), finishedWithFailure(
                instanceOf(IllegalStateException.class),
                message(text -> text.startsWith("Cannot start the @KindCluster of WithoutKind: The kind binary is not on PATH.")
                        && text.contains("go install sigs.k8s.io/kind")))));
    }

    @Test
    void presentNodeImagePasses() {
        // Any image in the engine serves; scripts/build-images.sh builds this one for EtcdSnapshotTest.
        KindSettings settings = new KindSettings(1, 0, EtcdContainer.IMAGE, java.time.Duration.ofSeconds(5));

        assertThat(KindPreconditions.missing(settings, executable -> true)).isEmpty();
    }

    @Test
    void missingKindSkipsMarkedClass() {
        assumeFalse(Commands.onPath("kind"), "kind is on PATH, so the class would not be skipped");

        Events events = EngineTestKit.engine("junit-jupiter").selectors(selectClass(SkippedWithoutKind.class)).execute()
                .containerEvents();

        events.assertThatEvents().haveExactly(1, event(container(SkippedWithoutKind.class),
                skippedWithReason(reason -> reason.startsWith("Skipped because kind cannot run here: The kind binary is not on PATH."))));
        assertThat(events.failed().count()).isZero();
    }

    @Test
    void missingNodeImageNamed() {
        KindSettings settings = new KindSettings(1, 0, "clusterdrill/absent-kind-node:never", java.time.Duration.ofSeconds(5));

        assertThat(KindPreconditions.missing(settings, executable -> true)).hasValueSatisfying(message -> assertThat(message)
                .startsWith("The kind node image clusterdrill/absent-kind-node:never is not in the Docker engine.")
                .contains("docker pull clusterdrill/absent-kind-node:never"));
    }
}
