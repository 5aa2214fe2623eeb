package org.clusterdrill.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.clusterdrill.core.ClusterDrillAssertions;
import org.clusterdrill.core.ClusterState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * API export and re-apply against fabric8's Kubernetes mock server in CRUD mode: the export is
 * taken from one mock server and applied to a second, empty one that stands for the rebuilt cluster.
 */
class ApiExportMockTest {

    @TempDir
    Path folder;

    private CrudMockServer source;
    private CrudMockServer target;

    @BeforeEach
    void startServers() {
        source = new CrudMockServer();
        target = new CrudMockServer();
        Seeds.shop(source.client());
    }

    @AfterEach
    void stopServers() {
        source.close();
        target.close();
    }

    @Test
    void exportStripsServerSetFields() throws Exception {
        KubernetesClient client = source.client();
        client.resource(new ConfigMapBuilder().withNewMetadata().withName("owned").withNamespace(Seeds.NAMESPACE)
                .withUid("6b1e0c7e-0000-4000-8000-000000000001").withCreationTimestamp("2024-01-01T00:00:00Z")
                .withManagedFields(new ManagedFieldsEntryBuilder().withManager("kubectl").withOperation("Apply").build())
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1").withKind("ConfigMap").withName("db-config")
                        .withUid("6b1e0c7e-0000-4000-8000-000000000002").build())
                .endMetadata().addToData("k", "v").build()).create();

        ApiExport export = KubernetesApiBackup.export(client, folder.resolve("export"));

        String configMaps = Files.readString(export.directory().resolve("04-configmap.yaml"));
        String deployments = Files.readString(export.directory().resolve("11-deployment.yaml"));
        String all = configMaps + deployments;
        assertThat(configMaps).contains("name: \"owned\"").contains("max_allowed_packet = 64M");
        assertThat(all).doesNotContain("uid:");
        assertThat(all).doesNotContain("resourceVersion:");
        assertThat(all).doesNotContain("managedFields:");
        assertThat(all).doesNotContain("creationTimestamp:");
        assertThat(all).doesNotContain("ownerReferences:");
        assertThat(deployments).doesNotContain("status:").doesNotContain("readyReplicas");
        assertThat(deployments).contains("replicas: 2");
    }

    @Test
    void exportCountsAndProtectsFiles() throws Exception {
        ApiExport export = KubernetesApiBackup.export(source.client(), folder.resolve("export"));

        assertThat(export.objectCounts()).containsEntry("Namespace", 1).containsEntry("Secret", 1)
                .containsEntry("ConfigMap", 1).containsEntry("ServiceAccount", 1).containsEntry("Role", 1)
                .containsEntry("RoleBinding", 1).containsEntry("Service", 1).containsEntry("NetworkPolicy", 1)
                .containsEntry("Deployment", 1).containsEntry("StatefulSet", 0).containsEntry("ClusterRole", 0);
        assertThat(export.objectCount()).isEqualTo(9);
        assertThat(export.files()).extracting(file -> file.getFileName().toString()).containsExactly(
                "01-namespace.yaml", "02-serviceaccount.yaml", "03-secret.yaml", "04-configmap.yaml", "06-role.yaml",
                "08-rolebinding.yaml", "09-service.yaml", "10-networkpolicy.yaml", "11-deployment.yaml");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(export.directory()))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(export.files().get(2)))).isEqualTo("rw-------");
    }

    @Test
    void exportDropsAllocatedClusterIp() throws Exception {
        source.client().resource(new ServiceBuilder().withNewMetadata().withName("db-headless").withNamespace(Seeds.NAMESPACE)
                .endMetadata().withNewSpec().withClusterIP("None").addNewPort().withPort(3306).endPort().endSpec().build()).create();

        ApiExport export = KubernetesApiBackup.export(source.client(), folder.resolve("export"));

        String services = Files.readString(export.directory().resolve("09-service.yaml"));
        assertThat(services).doesNotContain("10.96.4.4");
        assertThat(services).contains("clusterIP: \"None\"");
    }

    @Test
    void exportLeavesOutObjectsKubernetesCreates() throws Exception {
        KubernetesClient client = source.client();
        client.resource(new NamespaceBuilder().withNewMetadata().withName("kube-system").endMetadata().build()).create();
        client.resource(new SecretBuilder().withNewMetadata().withName("bootstrap").withNamespace("kube-system").endMetadata()
                .addToData("k", Seeds.base64("v")).build()).create();
        client.resource(new ServiceAccountBuilder().withNewMetadata().withName("default").withNamespace(Seeds.NAMESPACE)
                .endMetadata().build()).create();
        client.resource(new ConfigMapBuilder().withNewMetadata().withName("kube-root-ca.crt").withNamespace(Seeds.NAMESPACE)
                .endMetadata().addToData("ca.crt", "-----BEGIN CERTIFICATE-----").build()).create();

        ApiExport export = KubernetesApiBackup.export(client, folder.resolve("export"));

        String exported = Files.readString(export.directory().resolve("01-namespace.yaml"))
                + Files.readString(export.directory().resolve("02-serviceaccount.yaml"))
                + Files.readString(export.directory().resolve("03-secret.yaml"))
                + Files.readString(export.directory().resolve("04-configmap.yaml"));
        assertThat(exported).doesNotContain("kube-system");
        assertThat(exported).doesNotContain("bootstrap");
        assertThat(exported).doesNotContain("kube-root-ca.crt");
        assertThat(exported).doesNotContain("name: \"default\"");
    }

    @Test
    void restoreIntoEmptyClusterPreservesState() {
        ClusterState before = KubernetesStateReader.capture(source.client());
        ApiExport export = KubernetesApiBackup.export(source.client(), folder.resolve("export"));
        source.close();

        ApiRestoreReport report = KubernetesApiBackup.restore(target.client(), export, ExistingObjectPolicy.FAIL);
        Seeds.markDeploymentsReady(target.client());

        assertThat(report.created()).hasSize(9).contains("Secret shop/db-creds", "Namespace shop");
        assertThat(report.updated()).isEmpty();
        assertThat(report.skipped()).isEmpty();
        ClusterDrillAssertions.assertThat(KubernetesStateReader.capture(target.client())).preserves(before);
        Secret restored = target.client().secrets().inNamespace(Seeds.NAMESPACE).withName("db-creds").get();
        assertThat(restored.getData()).containsEntry("MYSQL_PASSWORD", Seeds.base64(Seeds.PASSWORD));
    }

    @Test
    void restoreWithoutReadyWorkloadsFailsPreserves() {
        ClusterState before = KubernetesStateReader.capture(source.client());
        ApiExport export = KubernetesApiBackup.export(source.client(), folder.resolve("export"));

        KubernetesApiBackup.restore(target.client(), export, ExistingObjectPolicy.FAIL);

        ClusterState after = KubernetesStateReader.capture(target.client());
        assertThatThrownBy(() -> ClusterDrillAssertions.assertThat(after).preserves(before))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("changed Deployment 'shop/db'")
                .hasMessageContaining("readyReplicas: \"2\" -> \"0\"");
    }

    @Test
    void restoreFailPolicyNamesExistingObjects() {
        ApiExport export = KubernetesApiBackup.export(source.client(), folder.resolve("export"));
        target.client().resource(new SecretBuilder().withNewMetadata().withName("db-creds").withNamespace(Seeds.NAMESPACE)
                .endMetadata().addToData("MYSQL_PASSWORD", Seeds.base64("other")).build()).create();

        assertThatThrownBy(() -> KubernetesApiBackup.restore(target.client(), export, ExistingObjectPolicy.FAIL))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("1 object(s) of the export")
                .hasMessageContaining("[Secret shop/db-creds]")
                .hasMessageContaining("ExistingObjectPolicy.UPDATE");
        assertThat(target.client().namespaces().withName(Seeds.NAMESPACE).get()).isNull();
        assertThat(target.client().configMaps().inNamespace(Seeds.NAMESPACE).list().getItems()).isEmpty();
    }

    @Test
    void restoreUpdatePolicyReplacesExisting() {
        ApiExport export = KubernetesApiBackup.export(source.client(), folder.resolve("export"));
        target.client().resource(new SecretBuilder().withNewMetadata().withName("db-creds").withNamespace(Seeds.NAMESPACE)
                .endMetadata().addToData("MYSQL_PASSWORD", Seeds.base64("other")).build()).create();

        ApiRestoreReport report = KubernetesApiBackup.restore(target.client(), export, ExistingObjectPolicy.UPDATE);

        assertThat(report.updated()).containsExactly("Secret shop/db-creds");
        assertThat(report.created()).hasSize(8);
        Secret secret = target.client().secrets().inNamespace(Seeds.NAMESPACE).withName("db-creds").get();
        assertThat(secret.getData()).containsEntry("MYSQL_PASSWORD", Seeds.base64(Seeds.PASSWORD));
        assertThat(secret.getData()).containsEntry("MYSQL_USER", Seeds.base64("shop"));
    }

    @Test
    void restoreSkipPolicyKeepsExisting() {
        ApiExport export = KubernetesApiBackup.export(source.client(), folder.resolve("export"));
        target.client().resource(new SecretBuilder().withNewMetadata().withName("db-creds").withNamespace(Seeds.NAMESPACE)
                .endMetadata().addToData("MYSQL_PASSWORD", Seeds.base64("other")).build()).create();

        ApiRestoreReport report = KubernetesApiBackup.restore(target.client(), export, ExistingObjectPolicy.SKIP);

        assertThat(report.skipped()).containsExactly("Secret shop/db-creds");
        assertThat(report.created()).hasSize(8);
        Secret secret = target.client().secrets().inNamespace(Seeds.NAMESPACE).withName("db-creds").get();
        assertThat(secret.getData()).containsEntry("MYSQL_PASSWORD", Seeds.base64("other"));
    }

    @Test
    void restoreRejectsChangedFile() throws Exception {
        ApiExport export = KubernetesApiBackup.export(source.client(), folder.resolve("export"));
        Path secrets = export.directory().resolve("03-secret.yaml");
        Files.writeString(secrets, Files.readString(secrets).replace(Seeds.base64(Seeds.PASSWORD), Seeds.base64("tampered")),
                StandardCharsets.UTF_8);

        assertThatThrownBy(() -> KubernetesApiBackup.restore(target.client(), export, ExistingObjectPolicy.FAIL))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Export file " + secrets)
                .hasMessageContaining("changed after the export");
        assertThat(target.client().namespaces().list().getItems()).isEmpty();
    }

    @Test
    void exportRejectsFolderWithFiles() throws Exception {
        Path used = Files.createDirectories(folder.resolve("used"));
        Files.writeString(used.resolve("old.yaml"), "kind: Secret");

        assertThatThrownBy(() -> KubernetesApiBackup.export(source.client(), used))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Backup folder " + used + " is not empty; pass a new or empty folder");
    }
}
