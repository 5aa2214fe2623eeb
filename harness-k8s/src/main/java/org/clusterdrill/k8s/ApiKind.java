package org.clusterdrill.k8s;

import java.util.List;
import java.util.function.Function;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The kinds that state captures and API exports cover, in the order a restore creates them:
 * namespaces first, then what pods and bindings refer to, then workloads.
 */
enum ApiKind {
    NAMESPACE("Namespace", client -> client.namespaces().list().getItems()),
    SERVICE_ACCOUNT("ServiceAccount", client -> client.serviceAccounts().inAnyNamespace().list().getItems()),
    SECRET("Secret", client -> client.secrets().inAnyNamespace().list().getItems()),
    CONFIG_MAP("ConfigMap", client -> client.configMaps().inAnyNamespace().list().getItems()),
    CLUSTER_ROLE("ClusterRole", client -> client.rbac().clusterRoles().list().getItems()),
    ROLE("Role", client -> client.rbac().roles().inAnyNamespace().list().getItems()),
    CLUSTER_ROLE_BINDING("ClusterRoleBinding", client -> client.rbac().clusterRoleBindings().list().getItems()),
    ROLE_BINDING("RoleBinding", client -> client.rbac().roleBindings().inAnyNamespace().list().getItems()),
    SERVICE("Service", client -> client.services().inAnyNamespace().list().getItems()),
    NETWORK_POLICY("NetworkPolicy", client -> client.network().v1().networkPolicies().inAnyNamespace().list().getItems()),
    DEPLOYMENT("Deployment", client -> client.apps().deployments().inAnyNamespace().list().getItems()),
    STATEFUL_SET("StatefulSet", client -> client.apps().statefulSets().inAnyNamespace().list().getItems());

    private final String kind;
    private final Function<KubernetesClient, List<? extends HasMetadata>> lister;

    ApiKind(String kind, Function<KubernetesClient, List<? extends HasMetadata>> lister) {
        this.kind = kind;
        this.lister = lister;
    }

    /** Returns the Kubernetes kind, such as {@code ConfigMap}. */
    String kind() {
        return kind;
    }

    /** Lists the objects of this kind in the scope, in every namespace. */
    List<HasMetadata> list(KubernetesClient client, KubernetesScope scope) {
        return lister.apply(client).stream()
                .map(HasMetadata.class::cast)
                .filter(scope::includes)
                .toList();
    }

    /** Returns the name a {@code ClusterState} uses: {@code namespace/name}, or the name of a cluster-scoped object. */
    static String qualifiedName(HasMetadata object) {
        String namespace = object.getMetadata().getNamespace();
        return namespace == null ? object.getMetadata().getName() : namespace + "/" + object.getMetadata().getName();
    }
}
