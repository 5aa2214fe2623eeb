package org.clusterdrill.k8s;

import org.clusterdrill.core.DrillExtension;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the kind cluster that {@link KindCluster} declares before the class's tests, keeps it in
 * the class's extension store and deletes it when JUnit closes that store, also after failures.
 */
class KindClusterExtension implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {

    private static final Logger LOG = LoggerFactory.getLogger(KindClusterExtension.class);
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KindClusterExtension.class);
    private static final String CLUSTER_KEY = "kind";

    @Override
    public void beforeAll(ExtensionContext context) {
        KindCluster annotation = AnnotationSupport.findAnnotation(context.getRequiredTestClass(), KindCluster.class)
                .orElseThrow(() -> new ExtensionConfigurationException(
                        "KindClusterExtension needs @KindCluster on " + context.getRequiredTestClass().getName()));
        KindSettings settings = KindSettings.from(annotation);
        KindPreconditions.missing(settings).ifPresent(missing -> {
            throw new IllegalStateException("Cannot start the @KindCluster of " + context.getRequiredTestClass().getSimpleName()
                    + ": " + missing);
        });
        KindKubernetesCluster cluster = KindKubernetesCluster.start(settings);
        context.getStore(NAMESPACE).put(CLUSTER_KEY, new ClusterResource(cluster));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        KindKubernetesCluster cluster = cluster(context);
        DrillExtension.current(context).ifPresent(cluster::attach);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        cluster(context).attach(null);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == KubernetesCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        ClusterResource resource = extensionContext.getStore(NAMESPACE).get(CLUSTER_KEY, ClusterResource.class);
        if (resource == null) {
            throw new ParameterResolutionException("No kind cluster is running for " + parameterContext.getDeclaringExecutable()
                    + "; annotate the test class with @KindCluster");
        }
        return resource.cluster;
    }

    private static KindKubernetesCluster cluster(ExtensionContext context) {
        ClusterResource resource = context.getStore(NAMESPACE).get(CLUSTER_KEY, ClusterResource.class);
        if (resource == null) {
            throw new IllegalStateException("No kind cluster is running for " + context.getDisplayName());
        }
        return resource.cluster;
    }

    /**
     * Deletes the cluster when JUnit closes the class's store, and from a shutdown hook when the
     * JVM ends first, for example on Ctrl-C.
     */
    private static final class ClusterResource implements AutoCloseable {

        private final KindKubernetesCluster cluster;
        private final Thread shutdownHook;

        ClusterResource(KindKubernetesCluster cluster) {
            this.cluster = cluster;
            this.shutdownHook = new Thread(cluster::close, "clusterdrill-cleanup-" + cluster.name());
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }

        @Override
        public void close() {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                LOG.debug("The JVM is shutting down; its hook deletes kind cluster {}", cluster.name());
            }
            cluster.close();
        }
    }
}
