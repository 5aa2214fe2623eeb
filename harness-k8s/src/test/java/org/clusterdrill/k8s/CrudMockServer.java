package org.clusterdrill.k8s;

import java.util.HashMap;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

/**
 * One fabric8 Kubernetes mock server in CRUD mode, on loopback, with a client for it. Tests use
 * two of them to model a lost cluster and its empty replacement. The mock stores objects but runs
 * no controllers, so nothing sets a workload's status or creates a namespace's default objects.
 */
final class CrudMockServer implements AutoCloseable {

    private final KubernetesMockServer server;
    private final KubernetesClient client;

    CrudMockServer() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        server.init(java.net.InetAddress.getLoopbackAddress(), 0);
        client = server.createClient();
    }

    KubernetesClient client() {
        return client;
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}
