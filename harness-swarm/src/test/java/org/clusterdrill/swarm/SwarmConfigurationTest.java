package org.clusterdrill.swarm;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.testkit.engine.EngineTestKit;

/** Bad attributes and images fail before any container starts, with the value and the fix. */
class SwarmConfigurationTest {

    @Test
    void zeroManagersIsRejected() {
        assertClassFails(ZeroManagers.class, ExtensionConfigurationException.class,
                "Invalid @SwarmCluster(managers = 0): a swarm needs at least 1 manager; use managers = 1 or more");
    }

    @Test
    void negativeWorkersIsRejected() {
        assertClassFails(NegativeWorkers.class, ExtensionConfigurationException.class,
                "Invalid @SwarmCluster(workers = -1): use workers = 0 or more");
    }

    @Test
    void missingImageNamesTheFix() {
        System.setProperty("clusterdrill.pull", "never");
        try {
            assertClassFails(MissingImage.class, IllegalStateException.class,
                    "The node image 'clusterdrill/no-such-node:1' is not in the Docker engine and pulling is turned off "
                            + "(clusterdrill.pull=never). Build the local images with scripts/build-images.sh, or set "
                            + "clusterdrill.node.image (environment variable CLUSTERDRILL_NODE_IMAGE) to an image that exists.");
        } finally {
            System.clearProperty("clusterdrill.pull");
        }
    }

    @Test
    void invalidTransportIsRejected() {
        System.setProperty("clusterdrill.transport", "carrier-pigeon");
        try {
            assertClassFails(ZeroWorkers.class, ExtensionConfigurationException.class,
                    "Invalid clusterdrill.transport (or CLUSTERDRILL_TRANSPORT) = 'carrier-pigeon': use one of [auto, socket, tcp]");
        } finally {
            System.clearProperty("clusterdrill.transport");
        }
    }

    private static void assertClassFails(Class<?> testClass, Class<? extends Throwable> type, String expectedMessage) {
        EngineTestKit.engine("junit-jupiter")
                .configurationParameter("junit.jupiter.conditions.deactivate", "org.junit.*DisabledCondition")
                .selectors(selectClass(testClass)).execute()
                .containerEvents()
                .assertThatEvents()
                .haveExactly(1, event(finishedWithFailure(instanceOf(type), message(expectedMessage))));
    }

    @SwarmCluster(managers = 0)
    static class ZeroManagers {
        @Test
        void neverRuns() {
        }
    }

    @SwarmCluster(workers = -1)
    static class NegativeWorkers {
        @Test
        void neverRuns() {
        }
    }

    @SwarmCluster(managers = 1)
    static class ZeroWorkers {
        @Test
        void neverRuns() {
        }
    }

    @SwarmCluster(managers = 1, nodeImage = "clusterdrill/no-such-node:1")
    static class MissingImage {
        @Test
        void neverRuns() {
        }
    }
}
