package org.clusterdrill.k8s;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * The objects that a state capture and an API export cover: everything of the covered kinds except
 * excluded namespaces, the cluster's own RBAC objects and objects that Kubernetes creates by itself.
 *
 * <p>Objects that the API server or controllers create in every cluster are left out, because a
 * fresh cluster has them already and a restore would collide with them: the {@code default}
 * Namespace object, each namespace's {@code default} ServiceAccount and {@code kube-root-ca.crt}
 * ConfigMap, the {@code kubernetes} Service in {@code default}, and ClusterRoles and
 * ClusterRoleBindings named {@code system:*} or labelled {@code kubernetes.io/bootstrapping=rbac-defaults}.
 *
 * @param excludedNamespaces namespaces whose objects are left out, and whose Namespace objects too
 * @param excludedClusterObjects names of cluster-scoped objects (ClusterRoles, ClusterRoleBindings) left out
 */
public record KubernetesScope(Set<String> excludedNamespaces, Set<String> excludedClusterObjects) {

    /**
     * Namespaces of the control plane and of kind's add-ons. Their objects are recreated by every
     * new cluster, and their workloads' readiness is the cluster's concern, not the drill's.
     */
    public static final Set<String> SYSTEM_NAMESPACES = Set.of("kube-system", "kube-public", "kube-node-lease", "local-path-storage");

    /**
     * Cluster-scoped RBAC objects that kind's add-ons create (kindnet and the local-path provisioner).
     */
    // NOTE: taken from kind's add-on manifests by name; a kind release that renames them needs this list updated.
    public static final Set<String> KIND_CLUSTER_OBJECTS = Set.of("kindnet", "local-path-provisioner-role", "local-path-provisioner-bind");

    public KubernetesScope {
        excludedNamespaces = Set.copyOf(excludedNamespaces);
        excludedClusterObjects = Set.copyOf(excludedClusterObjects);
    }

    /** Returns the scope that leaves out {@link #SYSTEM_NAMESPACES} and {@link #KIND_CLUSTER_OBJECTS}. */
    public static KubernetesScope defaults() {
        return new KubernetesScope(SYSTEM_NAMESPACES, KIND_CLUSTER_OBJECTS);
    }

    /** Returns a copy of this scope that also leaves out the given namespace. */
    public KubernetesScope excludingNamespace(String namespace) {
        Set<String> namespaces = new TreeSet<>(excludedNamespaces);
        namespaces.add(namespace);
        return new KubernetesScope(namespaces, excludedClusterObjects);
    }

    /** Returns a copy of this scope that also leaves out the named ClusterRole or ClusterRoleBinding. */
    public KubernetesScope excludingClusterObject(String name) {
        Set<String> names = new TreeSet<>(excludedClusterObjects);
        names.add(name);
        return new KubernetesScope(excludedNamespaces, names);
    }

    /** Returns whether the object belongs to this scope. */
    boolean includes(HasMetadata object) {
        String name = object.getMetadata().getName();
        String namespace = object.getMetadata().getNamespace();
        String kind = object.getKind();
        if ("Namespace".equals(kind)) {
            return !excludedNamespaces.contains(name) && !"default".equals(name);
        }
        if (namespace == null) {
            return includesClusterObject(name, object.getMetadata().getLabels());
        }
        if (excludedNamespaces.contains(namespace)) {
            return false;
        }
        return !isCreatedByKubernetes(kind, namespace, name);
    }

    private boolean includesClusterObject(String name, Map<String, String> labels) {
        boolean bootstrapped = labels != null && "rbac-defaults".equals(labels.get("kubernetes.io/bootstrapping"));
        return !name.startsWith("system:") && !bootstrapped && !excludedClusterObjects.contains(name);
    }

    private static boolean isCreatedByKubernetes(String kind, String namespace, String name) {
        return switch (kind) {
            case "ServiceAccount" -> "default".equals(name);
            case "ConfigMap" -> "kube-root-ca.crt".equals(name);
            case "Service" -> "default".equals(namespace) && "kubernetes".equals(name);
            default -> false;
        };
    }
}
