package org.clusterdrill.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The MariaDB case shared by the mock-server and kind labs: a Secret with the database user and
 * password, and a ConfigMap made from the file {@code max_allowed_packet.cnf}, stored once under
 * the file name and once under the key {@code max-packet}, as
 * {@code kubectl create configmap --from-file} and {@code --from-file=max-packet=...} do.
 */
final class MariaDbSecretLab {

    static final String NAMESPACE = "mariadb";
    static final String USER = "shop";
    static final String PASSWORD = "Xk9-v2!pQ";
    static final String PACKET_FILE = "[mysqld]\nmax_allowed_packet = 64M";

    private MariaDbSecretLab() {
    }

    static void seed(KubernetesClient client) {
        client.resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build()).create();
        client.resource(new SecretBuilder().withNewMetadata().withName("mariadb-user-creds").withNamespace(NAMESPACE).endMetadata()
                .withType("Opaque")
                .addToData("MYSQL_USER", base64(USER))
                .addToData("MYSQL_PASSWORD", base64(PASSWORD))
                .build()).create();
        client.resource(new ConfigMapBuilder().withNewMetadata().withName("mariadb-config").withNamespace(NAMESPACE).endMetadata()
                .addToData("max_allowed_packet.cnf", PACKET_FILE)
                .addToData("max-packet", PACKET_FILE)
                .build()).create();
    }

    /** Checks the decoded values of the restored Secret and ConfigMap against the originals. */
    static void assertValuesSurvived(KubernetesClient client) {
        Secret secret = client.secrets().inNamespace(NAMESPACE).withName("mariadb-user-creds").get();
        assertThat(secret).as("Secret mariadb/mariadb-user-creds").isNotNull();
        assertThat(decode(secret.getData().get("MYSQL_USER"))).isEqualTo(USER);
        assertThat(decode(secret.getData().get("MYSQL_PASSWORD"))).isEqualTo(PASSWORD);

        ConfigMap config = client.configMaps().inNamespace(NAMESPACE).withName("mariadb-config").get();
        assertThat(config).as("ConfigMap mariadb/mariadb-config").isNotNull();
        assertThat(config.getData().get("max_allowed_packet.cnf")).isEqualTo(PACKET_FILE);
        assertThat(config.getData().get("max-packet")).isEqualTo(PACKET_FILE);
    }

    private static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }
}
