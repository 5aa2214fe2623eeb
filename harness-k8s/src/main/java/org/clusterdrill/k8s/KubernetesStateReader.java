package org.clusterdrill.k8s;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.clusterdrill.core.ClusterState;
import org.clusterdrill.core.SecretFingerprint;

/**
 * Captures a Kubernetes cluster's state as a {@link ClusterState} for
 * {@code assertThat(after).preserves(before)}.
 *
 * <p>Each object of the kinds in {@link ApiKind} is one resource named {@code namespace/name}
 * (cluster-scoped objects by name), with the attributes a recovery must keep. Secrets and
 * ConfigMaps are described by their type, keys and the SHA-256 of each decoded value, never the
 * value. Workloads are described by desired and ready replicas and their containers' images.
 * Uids, resource versions, timestamps and cluster IPs are left out because a restore through the
 * API changes them.
 */
public final class KubernetesStateReader {

    /** Platform name of the captured states. */
    public static final String PLATFORM = "kubernetes";

    private KubernetesStateReader() {
    }

    /** Captures the state of every object in {@link KubernetesScope#defaults()}. */
    public static ClusterState capture(KubernetesClient client) {
        return capture(client, KubernetesScope.defaults());
    }

    /** Captures the state of every object in the given scope. */
    public static ClusterState capture(KubernetesClient client, KubernetesScope scope) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(scope, "scope");
        ClusterState.Builder state = ClusterState.builder(PLATFORM);
        for (ApiKind kind : ApiKind.values()) {
            state.kind(kind.kind());
            for (HasMetadata object : kind.list(client, scope)) {
                state.add(kind.kind(), ApiKind.qualifiedName(object), attributes(object));
            }
        }
        return state.build();
    }

    static SortedMap<String, String> attributes(HasMetadata object) {
        SortedMap<String, String> attributes = new TreeMap<>();
        attributes.put("labels", render(object.getMetadata().getLabels()));
        if (object instanceof Namespace) {
            return attributes;
        } else if (object instanceof Secret secret) {
            attributes.put("type", Objects.toString(secret.getType(), "Opaque"));
            putFingerprints(attributes, "data", decodeAll(secret.getData()));
            putFingerprints(attributes, "stringData", utf8All(secret.getStringData()));
        } else if (object instanceof ConfigMap configMap) {
            putHashes(attributes, "data", utf8All(configMap.getData()));
            putHashes(attributes, "binaryData", decodeAll(configMap.getBinaryData()));
        } else if (object instanceof ServiceAccount account) {
            attributes.put("imagePullSecrets", names(account.getImagePullSecrets()));
            attributes.put("automountServiceAccountToken", String.valueOf(account.getAutomountServiceAccountToken()));
        } else if (object instanceof Role role) {
            attributes.put("rules", rules(role.getRules()));
        } else if (object instanceof ClusterRole role) {
            attributes.put("rules", rules(role.getRules()));
        } else if (object instanceof RoleBinding binding) {
            attributes.put("roleRef", roleRef(binding.getRoleRef()));
            attributes.put("subjects", subjects(binding.getSubjects()));
        } else if (object instanceof ClusterRoleBinding binding) {
            attributes.put("roleRef", roleRef(binding.getRoleRef()));
            attributes.put("subjects", subjects(binding.getSubjects()));
        } else if (object instanceof Service service) {
            putService(attributes, service);
        } else if (object instanceof NetworkPolicy policy) {
            attributes.put("spec", io.fabric8.kubernetes.client.utils.Serialization.asJson(policy.getSpec()));
        } else if (object instanceof Deployment deployment) {
            putWorkload(attributes, deployment.getSpec().getReplicas(), deployment.getStatus() == null ? null
                    : deployment.getStatus().getReadyReplicas(), deployment.getSpec().getTemplate());
        } else if (object instanceof StatefulSet statefulSet) {
            putWorkload(attributes, statefulSet.getSpec().getReplicas(), statefulSet.getStatus() == null ? null
                    : statefulSet.getStatus().getReadyReplicas(), statefulSet.getSpec().getTemplate());
        }
        return attributes;
    }

    /** Puts a keyed fingerprint of each secret value, so that a report gives nothing to test guessed values against. */
    private static void putFingerprints(SortedMap<String, String> attributes, String field, Map<String, byte[]> values) {
        if (values.isEmpty()) {
            return;
        }
        attributes.put(field + ".keys", String.join(",", values.keySet()));
        values.forEach((key, value) -> attributes.put(field + "." + key + "." + SecretFingerprint.ATTRIBUTE,
                SecretFingerprint.ofSha256(Digests.sha256(value))));
    }

    private static void putHashes(SortedMap<String, String> attributes, String field, Map<String, byte[]> values) {
        if (values.isEmpty()) {
            return;
        }
        attributes.put(field + ".keys", String.join(",", values.keySet()));
        values.forEach((key, value) -> attributes.put(field + "." + key + ".sha256", Digests.sha256(value)));
    }

    private static Map<String, byte[]> decodeAll(Map<String, String> base64Values) {
        Map<String, byte[]> decoded = new TreeMap<>();
        if (base64Values != null) {
            base64Values.forEach((key, value) -> decoded.put(key, Base64.getDecoder().decode(value == null ? "" : value)));
        }
        return decoded;
    }

    private static Map<String, byte[]> utf8All(Map<String, String> values) {
        Map<String, byte[]> bytes = new TreeMap<>();
        if (values != null) {
            values.forEach((key, value) -> bytes.put(key, Objects.toString(value, "").getBytes(StandardCharsets.UTF_8)));
        }
        return bytes;
    }

    private static void putService(SortedMap<String, String> attributes, Service service) {
        attributes.put("type", Objects.toString(service.getSpec().getType(), "ClusterIP"));
        attributes.put("selector", render(service.getSpec().getSelector()));
        attributes.put("headless", String.valueOf("None".equals(service.getSpec().getClusterIP())));
        List<ServicePort> ports = service.getSpec().getPorts() == null ? List.of() : service.getSpec().getPorts();
        attributes.put("ports", ports.stream()
                .map(port -> Objects.toString(port.getName(), "") + " " + port.getPort() + "/" + Objects.toString(port.getProtocol(), "TCP")
                        + " -> " + (port.getTargetPort() == null ? "" : Objects.toString(port.getTargetPort().getValue(), ""))
                        + (port.getNodePort() == null ? "" : " nodePort " + port.getNodePort()))
                .sorted()
                .collect(Collectors.joining(", ")));
    }

    private static void putWorkload(SortedMap<String, String> attributes, Integer replicas, Integer readyReplicas,
                                    PodTemplateSpec template) {
        attributes.put("replicas", String.valueOf(replicas == null ? 1 : replicas));
        attributes.put("readyReplicas", String.valueOf(readyReplicas == null ? 0 : readyReplicas));
        List<Container> containers = template == null || template.getSpec() == null || template.getSpec().getContainers() == null
                ? List.of() : template.getSpec().getContainers();
        attributes.put("images", containers.stream().map(c -> c.getName() + "=" + c.getImage()).sorted()
                .collect(Collectors.joining(", ")));
    }

    private static String rules(List<PolicyRule> rules) {
        if (rules == null) {
            return "";
        }
        return rules.stream()
                .map(rule -> "apiGroups=" + sortedOrEmpty(rule.getApiGroups()) + " resources=" + sortedOrEmpty(rule.getResources())
                        + " resourceNames=" + sortedOrEmpty(rule.getResourceNames()) + " verbs=" + sortedOrEmpty(rule.getVerbs())
                        + " nonResourceURLs=" + sortedOrEmpty(rule.getNonResourceURLs()))
                .collect(Collectors.joining("; "));
    }

    private static String roleRef(RoleRef roleRef) {
        return roleRef == null ? "" : roleRef.getKind() + "/" + roleRef.getName();
    }

    private static String subjects(List<Subject> subjects) {
        if (subjects == null) {
            return "";
        }
        return subjects.stream()
                .map(subject -> subject.getKind() + " " + (subject.getNamespace() == null ? "" : subject.getNamespace() + "/")
                        + subject.getName())
                .sorted()
                .collect(Collectors.joining(", "));
    }

    private static String names(List<LocalObjectReference> references) {
        if (references == null) {
            return "";
        }
        return references.stream().map(LocalObjectReference::getName).sorted().collect(Collectors.joining(","));
    }

    private static String sortedOrEmpty(List<String> values) {
        return values == null ? "[]" : values.stream().sorted().toList().toString();
    }

    private static String render(Map<String, String> map) {
        return map == null ? "{}" : new TreeMap<>(map).toString();
    }
}
