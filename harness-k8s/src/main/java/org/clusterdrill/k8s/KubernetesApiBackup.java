package org.clusterdrill.k8s;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backs a cluster up through the Kubernetes API as YAML and applies such an export to a cluster.
 *
 * <p>The export covers the kinds of {@link ApiKind} within a {@link KubernetesScope}. Each object
 * is written without the fields that the API server sets and that would break or mislead a
 * re-apply: {@code uid}, {@code resourceVersion}, {@code managedFields},
 * {@code creationTimestamp}, {@code generation}, {@code selfLink}, {@code ownerReferences} (they
 * name uids that do not exist after a restore, so the garbage collector would delete the object)
 * and {@code status}. Services lose their allocated cluster IPs, except headless ones. Tokens of
 * {@code kubernetes.io/service-account-token} Secrets are left out because the token controller
 * writes new ones.
 */
public final class KubernetesApiBackup {

    private static final Logger LOG = LoggerFactory.getLogger(KubernetesApiBackup.class);

    private KubernetesApiBackup() {
    }

    /** Exports every object in {@link KubernetesScope#defaults()} into a new folder. */
    public static ApiExport export(KubernetesClient client, Path directory) {
        return export(client, KubernetesScope.defaults(), directory);
    }

    /**
     * Exports every object in the scope into {@code directory}, which must not exist or be empty.
     */
    public static ApiExport export(KubernetesClient client, KubernetesScope scope, Path directory) {
        Objects.requireNonNull(client, "client");
        OwnerOnlyFiles.createEmptyDirectory(directory);
        KubernetesSerialization serialization = client.getKubernetesSerialization();
        List<Path> files = new ArrayList<>();
        Map<String, String> sha256ByFile = new LinkedHashMap<>();
        Map<String, Integer> objectCounts = new LinkedHashMap<>();
        for (ApiKind kind : ApiKind.values()) {
            List<HasMetadata> objects = kind.list(client, scope);
            objectCounts.put(kind.kind(), objects.size());
            if (objects.isEmpty()) {
                continue;
            }
            StringBuilder yaml = new StringBuilder();
            for (HasMetadata object : objects) {
                yaml.append("---\n").append(stripLeadingMarker(serialization.asYaml(stripped(serialization, object))));
            }
            Path file = directory.resolve(String.format(Locale.ROOT, "%02d-%s.yaml", kind.ordinal() + 1,
                    kind.kind().toLowerCase(Locale.ROOT)));
            OwnerOnlyFiles.write(file, yaml.toString().getBytes(StandardCharsets.UTF_8));
            files.add(file);
            sha256ByFile.put(file.getFileName().toString(), Digests.sha256(file));
        }
        ApiExport export = new ApiExport(directory, files, sha256ByFile, objectCounts, Instant.now());
        LOG.info("Exported {} objects through the API into {}: {}", export.objectCount(), directory, objectCounts);
        return export;
    }

    /**
     * Applies an export to a cluster in restore order, after checking every file's SHA-256.
     *
     * <p>Existing objects are looked up before anything is written, so with
     * {@link ExistingObjectPolicy#FAIL} a cluster that has any of the objects stays unchanged.
     *
     * @throws IllegalStateException when a file's checksum differs from the export's, or when
     *         objects exist and the policy is {@code FAIL}; the message names each such object
     */
    public static ApiRestoreReport restore(KubernetesClient client, ApiExport export, ExistingObjectPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        List<HasMetadata> objects = load(client, export);
        List<HasMetadata> existing = objects.stream().filter(object -> client.resource(object).get() != null).toList();
        if (!existing.isEmpty() && policy == ExistingObjectPolicy.FAIL) {
            throw new IllegalStateException(existing.size() + " object(s) of the export in " + export.directory()
                    + " already exist in the cluster: " + existing.stream().map(KubernetesApiBackup::describe).toList()
                    + ". Restore into a cluster without them, or pass ExistingObjectPolicy.UPDATE to replace them or "
                    + "ExistingObjectPolicy.SKIP to keep them.");
        }

        List<String> created = new ArrayList<>();
        List<String> updated = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (HasMetadata object : objects) {
            boolean exists = existing.stream().anyMatch(e -> describe(e).equals(describe(object)));
            if (!exists) {
                client.resource(object).create();
                created.add(describe(object));
            } else if (policy == ExistingObjectPolicy.UPDATE) {
                client.resource(object).update();
                updated.add(describe(object));
            } else {
                skipped.add(describe(object));
            }
        }
        LOG.info("Applied the export in {}: {} created, {} updated, {} skipped as existing{}", export.directory(),
                created.size(), updated.size(), skipped.size(), skipped.isEmpty() ? "" : " " + skipped);
        return new ApiRestoreReport(created, updated, skipped);
    }

    private static List<HasMetadata> load(KubernetesClient client, ApiExport export) {
        List<HasMetadata> objects = new ArrayList<>();
        for (Path file : export.files()) {
            String expected = export.sha256ByFile().get(file.getFileName().toString());
            String actual = Digests.sha256(file);
            if (!actual.equals(expected)) {
                throw new IllegalStateException("Export file " + file + " has SHA-256 " + actual + " but the export recorded "
                        + expected + "; the file changed after the export. Take a new export.");
            }
            try (InputStream in = Files.newInputStream(file)) {
                objects.addAll(client.load(in).items());
            } catch (IOException e) {
                throw new UncheckedIOException("Could not read export file " + file, e);
            }
        }
        return objects;
    }

    static GenericKubernetesResource stripped(KubernetesSerialization serialization, HasMetadata object) {
        GenericKubernetesResource copy = serialization.convertValue(object, GenericKubernetesResource.class);
        ObjectMeta metadata = copy.getMetadata();
        metadata.setUid(null);
        metadata.setResourceVersion(null);
        metadata.setManagedFields(null);
        metadata.setCreationTimestamp(null);
        metadata.setGeneration(null);
        metadata.setSelfLink(null);
        metadata.setOwnerReferences(null);
        copy.getAdditionalProperties().remove("status");
        if ("Service".equals(copy.getKind())) {
            removeAllocatedClusterIps(copy);
        }
        if ("Secret".equals(copy.getKind()) && "kubernetes.io/service-account-token".equals(copy.getAdditionalProperties().get("type"))) {
            copy.getAdditionalProperties().remove("data");
        }
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static void removeAllocatedClusterIps(GenericKubernetesResource service) {
        Object spec = service.getAdditionalProperties().get("spec");
        if (spec instanceof Map<?, ?> map && !"None".equals(map.get("clusterIP"))) {
            ((Map<String, Object>) map).remove("clusterIP");
            ((Map<String, Object>) map).remove("clusterIPs");
        }
    }

    private static String stripLeadingMarker(String yaml) {
        return yaml.startsWith("---\n") ? yaml.substring(4) : yaml;
    }

    static String describe(HasMetadata object) {
        return object.getKind() + " " + ApiKind.qualifiedName(object);
    }
}
