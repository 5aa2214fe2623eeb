package org.clusterdrill.samples;

import static org.clusterdrill.core.ClusterDrillAssertions.assertThat;

import org.clusterdrill.core.ClusterState;
import org.clusterdrill.core.Drill;
import org.clusterdrill.core.Phase;
import org.clusterdrill.k8s.EnabledIfKindAvailable;
import org.clusterdrill.k8s.EtcdBackup;
import org.clusterdrill.k8s.KindCluster;
import org.clusterdrill.k8s.KubernetesCluster;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The MariaDB lab on a real kind cluster with an etcd snapshot drill. Runs with {@code mvn -Pkind}
 * where kind and its node image are available, and is skipped elsewhere.
 */
@Tag("kind")
@KindCluster(controlPlanes = 1)
@EnabledIfKindAvailable
class MariaDbSecretLabKindTest {

    @Test
    void secretAndConfigSurviveEtcdDrill(KubernetesCluster cluster, Drill drill) {
        drill.phase(Phase.SEED, () -> MariaDbSecretLab.seed(cluster.client()));
        ClusterState before = cluster.captureState();

        EtcdBackup backup = cluster.backupEtcd();
        cluster.destroy();
        cluster.restore(backup);

        assertThat(cluster.captureState()).preserves(before);
        MariaDbSecretLab.assertValuesSurvived(cluster.client());
    }
}
