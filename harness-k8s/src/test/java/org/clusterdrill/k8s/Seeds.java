package org.clusterdrill.k8s;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/** Objects that the mock-server tests create: one namespace with one object of each covered kind. */
final class Seeds {

    static final String NAMESPACE = "shop";
    static final String PASSWORD = "s3cret-Passw0rd";

    private Seeds() {
    }

    /** Creates the namespace and its objects; on a real cluster the status given here is ignored. */
    static void shop(KubernetesClient client) {
        client.resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).addToLabels("team", "db").endMetadata().build())
                .create();
        client.resource(new SecretBuilder().withNewMetadata().withName("db-creds").withNamespace(NAMESPACE).endMetadata()
                .withType("Opaque")
                .addToData("MYSQL_USER", base64("shop"))
                .addToData("MYSQL_PASSWORD", base64(PASSWORD))
                .build()).create();
        client.resource(new ConfigMapBuilder().withNewMetadata().withName("db-config").withNamespace(NAMESPACE).endMetadata()
                .addToData("max_allowed_packet.cnf", "[mysqld]\nmax_allowed_packet = 64M")
                .build()).create();
        client.resource(new ServiceAccountBuilder().withNewMetadata().withName("db").withNamespace(NAMESPACE).endMetadata()
                .build()).create();
        client.resource(new RoleBuilder().withNewMetadata().withName("read-config").withNamespace(NAMESPACE).endMetadata()
                .addNewRule().withApiGroups("").withResources("configmaps").withVerbs("get", "list").endRule()
                .build()).create();
        client.resource(new RoleBindingBuilder().withNewMetadata().withName("db-reads-config").withNamespace(NAMESPACE).endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", "read-config")
                .addNewSubject().withKind("ServiceAccount").withName("db").withNamespace(NAMESPACE).endSubject()
                .build()).create();
        client.resource(new ServiceBuilder().withNewMetadata().withName("db").withNamespace(NAMESPACE).endMetadata()
                .withNewSpec().withClusterIP("10.96.4.4").withSelector(Map.of("app", "db"))
                .addNewPort().withName("mysql").withPort(3306).withTargetPort(new IntOrString(3306)).endPort()
                .endSpec().build()).create();
        client.resource(new NetworkPolicyBuilder().withNewMetadata().withName("db-ingress").withNamespace(NAMESPACE).endMetadata()
                .withNewSpec().withNewPodSelector().addToMatchLabels("app", "db").endPodSelector().withPolicyTypes("Ingress")
                .endSpec().build()).create();
        client.resource(new DeploymentBuilder().withNewMetadata().withName("db").withNamespace(NAMESPACE).endMetadata()
                .withNewSpec().withReplicas(2)
                .withNewSelector().addToMatchLabels("app", "db").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "db").endMetadata()
                .withNewSpec().addNewContainer().withName("mariadb").withImage("mariadb:11.4")
                .addNewEnv().withName("MARIADB_RANDOM_ROOT_PASSWORD").withValue("1").endEnv().endContainer().endSpec()
                .endTemplate().endSpec()
                .withNewStatus().withReadyReplicas(2).withReplicas(2).endStatus()
                .build()).create();
    }

    /** Sets each Deployment's ready replicas to its desired replicas, as the deployment controller would once pods run. */
    static void markDeploymentsReady(KubernetesClient client) {
        client.apps().deployments().inAnyNamespace().list().getItems().forEach(deployment -> {
            deployment.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder()
                    .withReplicas(deployment.getSpec().getReplicas())
                    .withReadyReplicas(deployment.getSpec().getReplicas())
                    .build());
            client.resource(deployment).updateStatus();
        });
    }

    static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }
}
