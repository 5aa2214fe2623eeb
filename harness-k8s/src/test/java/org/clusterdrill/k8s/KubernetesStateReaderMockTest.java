package org.clusterdrill.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import org.clusterdrill.core.ClusterDrillAssertions;
import org.clusterdrill.core.ClusterState;
import org.clusterdrill.core.Resource;
import org.clusterdrill.core.SecretFingerprint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** State capture against fabric8's Kubernetes mock server in CRUD mode. */
class KubernetesStateReaderMockTest {

    private CrudMockServer cluster;

    @BeforeEach
    void seed() {
        cluster = new CrudMockServer();
        Seeds.shop(cluster.client());
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void secretCapturedByHashNotValue() {
        ClusterState state = KubernetesStateReader.capture(cluster.client());

        Resource secret = state.resource("Secret", "shop/db-creds");
        assertThat(secret).isNotNull();
        assertThat(secret.attribute("type")).isEqualTo("Opaque");
        assertThat(secret.attribute("data.keys")).isEqualTo("MYSQL_PASSWORD,MYSQL_USER");
        assertThat(secret.attribute("data.MYSQL_PASSWORD.hmac-sha256"))
                .isEqualTo(SecretFingerprint.ofSha256(Digests.sha256(Seeds.PASSWORD.getBytes())))
                .isNotEqualTo(Digests.sha256(Seeds.PASSWORD.getBytes()));
        assertThat(state.toString()).doesNotContain(Seeds.PASSWORD).doesNotContain(Seeds.base64(Seeds.PASSWORD));
    }

    @Test
    void configMapCapturedByKeyHashes() {
        Resource configMap = KubernetesStateReader.capture(cluster.client()).resource("ConfigMap", "shop/db-config");

        assertThat(configMap.attribute("data.keys")).isEqualTo("max_allowed_packet.cnf");
        assertThat(configMap.attribute("data.max_allowed_packet.cnf.sha256"))
                .isEqualTo(Digests.sha256("[mysqld]\nmax_allowed_packet = 64M".getBytes()));
    }

    @Test
    void rbacServicesPoliciesAndWorkloadsCaptured() {
        ClusterState state = KubernetesStateReader.capture(cluster.client());

        assertThat(state.resource("RoleBinding", "shop/db-reads-config").attribute("roleRef")).isEqualTo("Role/read-config");
        assertThat(state.resource("RoleBinding", "shop/db-reads-config").attribute("subjects")).isEqualTo("ServiceAccount shop/db");
        assertThat(state.resource("Role", "shop/read-config").attribute("rules"))
                .isEqualTo("apiGroups=[] resources=[configmaps] resourceNames=[] verbs=[get, list] nonResourceURLs=[]");
        assertThat(state.resource("Service", "shop/db").attribute("ports")).isEqualTo("mysql 3306/TCP -> 3306");
        assertThat(state.resource("Service", "shop/db").attribute("selector")).isEqualTo("{app=db}");
        assertThat(state.resource("NetworkPolicy", "shop/db-ingress").attribute("spec")).contains("\"Ingress\"");
        assertThat(state.resource("Deployment", "shop/db").attribute("readyReplicas")).isEqualTo("2");
        assertThat(state.resource("Deployment", "shop/db").attribute("images")).isEqualTo("mariadb=mariadb:11.4");
        assertThat(state.resource("ServiceAccount", "shop/db")).isNotNull();
        assertThat(state.resource("Namespace", "shop").attribute("labels")).isEqualTo("{team=db}");
        assertThat(state.kinds()).contains("StatefulSet", "ClusterRole", "ClusterRoleBinding");
    }

    @Test
    void clusterRbacCapturedWithoutSystemObjects() {
        cluster.client().resource(new ClusterRoleBuilder().withNewMetadata().withName("system:node").endMetadata().build()).create();
        cluster.client().resource(new ClusterRoleBuilder().withNewMetadata().withName("auditor").endMetadata()
                .addNewRule().withApiGroups("").withResources("secrets").withVerbs("list").endRule().build()).create();
        cluster.client().resource(new ClusterRoleBindingBuilder().withNewMetadata().withName("auditors").endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "auditor")
                .addNewSubject().withKind("Group").withName("audit").endSubject().build()).create();

        ClusterState state = KubernetesStateReader.capture(cluster.client());

        assertThat(state.names("ClusterRole")).containsExactly("auditor");
        assertThat(state.resource("ClusterRoleBinding", "auditors").attribute("subjects")).isEqualTo("Group audit");
    }

    @Test
    void preservesNamesChangedSecretKey() {
        ClusterState before = KubernetesStateReader.capture(cluster.client());
        cluster.client().resource(new SecretBuilder().withNewMetadata().withName("db-creds").withNamespace(Seeds.NAMESPACE)
                .endMetadata().withType("Opaque").addToData("MYSQL_USER", Seeds.base64("shop"))
                .addToData("MYSQL_PASSWORD", Seeds.base64("changed")).build()).update();

        ClusterState after = KubernetesStateReader.capture(cluster.client());

        assertThatThrownBy(() -> ClusterDrillAssertions.assertThat(after).preserves(before))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("changed Secret 'shop/db-creds'")
                .hasMessageContaining("data.MYSQL_PASSWORD.hmac-sha256")
                .hasMessageNotContaining("changed\"");
    }

    @Test
    void preservesNamesMissingObjects() {
        ClusterState before = KubernetesStateReader.capture(cluster.client());
        cluster.client().configMaps().inNamespace(Seeds.NAMESPACE).withName("db-config").delete();

        ClusterState after = KubernetesStateReader.capture(cluster.client());

        assertThatThrownBy(() -> ClusterDrillAssertions.assertThat(after).preserves(before))
                .hasMessageContaining("missing ConfigMap 'shop/db-config'");
    }
}
