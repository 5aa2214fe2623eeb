package org.clusterdrill.swarm;

import java.io.IOException;
import java.lang.reflect.Executable;
import java.nio.file.Path;

import org.clusterdrill.core.Drill;

import org.clusterdrill.core.DrillExtension;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.TestAbortedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the swarm that {@link SwarmCluster} declares before the class's tests, keeps it in the
 * class's extension store and removes it when JUnit closes that store, also after failures.
 */
class SwarmClusterExtension implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver,
        TestExecutionExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(SwarmClusterExtension.class);
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SwarmClusterExtension.class);
    private static final String CLUSTER_KEY = "swarm";

    @Override
    public void beforeAll(ExtensionContext context) {
        SwarmCluster annotation = AnnotationSupport.findAnnotation(context.getRequiredTestClass(), SwarmCluster.class)
                .orElseThrow(() -> new ExtensionConfigurationException(
                        "SwarmClusterExtension needs @SwarmCluster on " + context.getRequiredTestClass().getName()));
        SwarmSettings settings = SwarmSettings.from(annotation);
        OuterEngine outer = OuterEngine.connect();
        requireTransportFits(settings.transport(), outer.isLocalUnixSocket(), outer.dockerHost());
        LeftoverSweeper.sweepOnce(outer);
        SwarmSettings resolved = ImageCheck.ensurePresent(outer, settings);
        if (resolved.reuse()) {
            context.getStore(NAMESPACE).put(CLUSTER_KEY, ClusterResource.borrowed(sharedCluster(context, resolved, outer)));
        } else {
            DockerSwarm swarm = DockerSwarm.start(resolved, outer);
            context.getStore(NAMESPACE).put(CLUSTER_KEY, ClusterResource.owned(swarm, resolved.keepOnFailure()));
        }
    }

    /**
     * Returns the run's shared cluster for these settings, reset for this class, or starts one and
     * keeps it in the root store, which JUnit closes when the run ends.
     */
    private static DockerSwarm sharedCluster(ExtensionContext context, SwarmSettings settings, OuterEngine outer) {
        ExtensionContext.Store root = context.getRoot().getStore(NAMESPACE);
        String key = "shared:" + settings.reuseKey();
        synchronized (SwarmClusterExtension.class) {
            ClusterResource shared = root.get(key, ClusterResource.class);
            if (shared != null && shared.swarm.resetForReuse()) {
                return shared.swarm;
            }
            if (shared != null) {
                root.remove(key);
                shared.close();
            }
            DockerSwarm swarm = DockerSwarm.start(settings, outer);
            root.put(key, ClusterResource.owned(swarm, false));
            return swarm;
        }
    }

    /** Rejects the socket transport for an engine that is not reached through a local unix socket. */
    static void requireTransportFits(Transport transport, boolean localUnixSocket, java.net.URI dockerHost) {
        if (transport == Transport.SOCKET && !localUnixSocket) {
            throw new ExtensionConfigurationException("Invalid transport = socket for the engine at " + dockerHost
                    + ": a socket in a host folder only reaches the JVM when the engine runs on this machine and is "
                    + "reached through a unix socket; use transport tcp or auto");
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        // A bundle from an earlier failed run would sit beside this run's report and mislead.
        try {
            java.nio.file.Files.deleteIfExists(DiagnosticsBundle.file(stem(context)));
        } catch (IOException e) {
            LOG.warn("Could not delete the old diagnostics of {}", stem(context), e);
        }
        DockerSwarm swarm = cluster(context);
        DrillExtension.current(context).ifPresent(swarm::attach);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        cluster(context).detach();
    }

    /**
     * Writes a diagnostics bundle for a failed test, names it in the failure, and marks the cluster
     * as failed for the keep-on-failure switch. Aborted tests, such as failed assumptions, are passed on.
     */
    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        ClusterResource resource = context.getStore(NAMESPACE).get(CLUSTER_KEY, ClusterResource.class);
        if (resource == null || throwable instanceof TestAbortedException) {
            throw throwable;
        }
        resource.failed = true;
        try {
            Drill drill = DrillExtension.current(context).orElse(null);
            Path bundle = DiagnosticsBundle.write(resource.swarm, drill, stem(context), throwable);
            throwable.addSuppressed(new DiagnosticsWritten("Diagnostics of swarm " + resource.swarm.runId() + ": "
                    + bundle.toAbsolutePath()));
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not write the diagnostics of swarm {}", resource.swarm.runId(), e);
        }
        throw throwable;
    }

    private static String stem(ExtensionContext context) {
        return context.getRequiredTestClass().getSimpleName() + "." + context.getRequiredTestMethod().getName();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == Swarm.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Executable executable = parameterContext.getDeclaringExecutable();
        ClusterResource resource = extensionContext.getStore(NAMESPACE).get(CLUSTER_KEY, ClusterResource.class);
        if (resource == null) {
            throw new ParameterResolutionException("No swarm is running for " + executable
                    + "; annotate the test class with @SwarmCluster");
        }
        return resource.swarm;
    }

    private static DockerSwarm cluster(ExtensionContext context) {
        ClusterResource resource = context.getStore(NAMESPACE).get(CLUSTER_KEY, ClusterResource.class);
        if (resource == null) {
            throw new IllegalStateException("No swarm is running for " + context.getDisplayName());
        }
        return resource.swarm;
    }

    /**
     * Closes the swarm when JUnit closes the class's store, and from a shutdown hook when the JVM
     * ends first, for example on Ctrl-C.
     */
    private static final class ClusterResource implements AutoCloseable {

        private final DockerSwarm swarm;
        private final boolean keepOnFailure;
        private final Thread shutdownHook;
        private volatile boolean failed;

        private ClusterResource(DockerSwarm swarm, boolean keepOnFailure, boolean owned) {
            this.swarm = swarm;
            this.keepOnFailure = keepOnFailure;
            this.shutdownHook = owned ? new Thread(swarm::close, "clusterdrill-cleanup-" + swarm.runId()) : null;
            if (owned) {
                Runtime.getRuntime().addShutdownHook(shutdownHook);
            }
        }

        /** Wraps a cluster that this resource removes when it closes. */
        static ClusterResource owned(DockerSwarm swarm, boolean keepOnFailure) {
            return new ClusterResource(swarm, keepOnFailure, true);
        }

        /** Wraps a shared cluster for one class; the root store's resource removes it at the end of the run. */
        static ClusterResource borrowed(DockerSwarm swarm) {
            return new ClusterResource(swarm, false, false);
        }

        @Override
        public void close() {
            if (shutdownHook == null) {
                return;
            }
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                LOG.debug("The JVM is shutting down; its hook removes swarm {}", swarm.runId());
            }
            if (failed && keepOnFailure) {
                swarm.keep();
            } else {
                swarm.close();
            }
        }
    }

    /** Carries the path of a diagnostics bundle as a suppressed exception of a test failure. */
    static final class DiagnosticsWritten extends RuntimeException {
        DiagnosticsWritten(String message) {
            super(message, null, false, false);
        }
    }
}
