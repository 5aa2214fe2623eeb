package org.clusterdrill.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import org.clusterdrill.core.ClusterDrillAssertions;
import org.clusterdrill.core.ClusterState;
import org.clusterdrill.core.Drill;
import org.clusterdrill.core.Phase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Both drills on a real kind cluster. Tagged {@code kind}: the default build leaves it out and
 * {@code mvn -Pkind test} runs it; where kind or its node image is missing it is skipped.
 */
@Tag("kind")
@KindCluster(controlPlanes = 1, workers = 1)
@EnabledIfKindAvailable
class KindRecoveryDrillTest {

    @Test
    void etcdSnapshotSurvivesClusterLoss(KubernetesCluster cluster, Drill drill) {
        drill.phase(Phase.SEED, () -> seedOnce(cluster));
        cluster.awaitWorkloadsReady();
        ClusterState before = cluster.captureState();

        EtcdBackup backup = cluster.backupEtcd();
        cluster.destroy();
        EtcdRestoreResult result = cluster.restore(backup);

        ClusterDrillAssertions.assertThat(cluster.captureState()).preserves(before);
        assertThat(result.member()).isEqualTo(cluster.controlPlanes().get(0));
        Secret secret = cluster.client().secrets().inNamespace(Seeds.NAMESPACE).withName("db-creds").get();
        assertThat(secret.getData()).containsEntry("MYSQL_PASSWORD", Seeds.base64(Seeds.PASSWORD));
        assertThat(drill.phases()).extracting(record -> record.phase()).contains(Phase.BACKUP, Phase.DESTROY, Phase.RESTORE);
    }

    @Test
    void apiExportSurvivesClusterLoss(KubernetesCluster cluster, Drill drill) {
        drill.phase(Phase.SEED, () -> seedOnce(cluster));
        cluster.awaitWorkloadsReady();
        ClusterState before = cluster.captureState();

        ApiExport export = cluster.exportApi();
        cluster.destroy();
        ApiRestoreReport report = cluster.restore(export, ExistingObjectPolicy.FAIL);

        ClusterDrillAssertions.assertThat(cluster.captureState()).preserves(before);
        assertThat(report.created()).contains("Secret shop/db-creds");
        ClusterDrillAssertions.assertThat(drill).recoveredWithin(ClusterDrillAssertions.seconds(600));
    }

    /** Seeds the namespace unless an earlier test of the class left it, restored, in the cluster. */
    private static void seedOnce(KubernetesCluster cluster) {
        if (cluster.client().namespaces().withName(Seeds.NAMESPACE).get() == null) {
            Seeds.shop(cluster.client());
        }
    }
}
