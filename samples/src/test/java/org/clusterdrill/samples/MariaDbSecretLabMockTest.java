package org.clusterdrill.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clusterdrill.core.ClusterDrillAssertions.assertThat;

import java.nio.file.Path;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.clusterdrill.core.ClusterState;
import org.clusterdrill.core.Drill;
import org.clusterdrill.core.DrillExtension;
import org.clusterdrill.core.Phase;
import org.clusterdrill.k8s.ApiExport;
import org.clusterdrill.k8s.ExistingObjectPolicy;
import org.clusterdrill.k8s.KubernetesApiBackup;
import org.clusterdrill.k8s.KubernetesStateReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MariaDB lab against fabric8's Kubernetes mock server in CRUD mode: an API export drill, with
 * the loss of every object standing in for the loss of the cluster. MariaDbSecretLabKindTest runs
 * the same case on a real kind cluster.
 */
@EnableKubernetesMockClient(crud = true)
@ExtendWith(DrillExtension.class)
class MariaDbSecretLabMockTest {

    static KubernetesClient client;
    static KubernetesMockServer server;

    @TempDir
    Path backups;

    @Test
    void secretAndConfigSurviveApiDrill(Drill drill) {
        drill.phase(Phase.SEED, () -> MariaDbSecretLab.seed(client));
        ClusterState before = KubernetesStateReader.capture(client);

        ApiExport export = drill.phase(Phase.BACKUP, "API export", () -> KubernetesApiBackup.export(client, backups.resolve("export")));
        drill.phase(Phase.DESTROY, server::reset);
        assertThat(client.namespaces().list().getItems()).as("namespaces after the disaster").isEmpty();
        drill.phase(Phase.RESTORE, "API export", () -> KubernetesApiBackup.restore(client, export, ExistingObjectPolicy.FAIL));

        assertThat(KubernetesStateReader.capture(client)).preserves(before);
        MariaDbSecretLab.assertValuesSurvived(client);
    }
}
