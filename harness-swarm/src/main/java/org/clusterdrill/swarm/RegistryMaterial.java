package org.clusterdrill.swarm;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;


/**
 * The registry's TLS material and htpasswd file, made with {@code openssl} and {@code htpasswd -B}
 * in a tool container, so keys and passwords stay out of command lines.
 *
 * @param caCertificate PEM certificate of the certificate authority that nodes trust
 * @param certificate PEM server certificate for the registry's address, signed by that authority
 * @param key PEM private key of the server certificate
 * @param htpasswd one {@code user:bcrypt-hash} line per user
 */
record RegistryMaterial(String caCertificate, String certificate, String key, String htpasswd) {

    private static final String MARKER = "--- ";

    /** Issues a certificate authority valid for 30 days and a server certificate for the IP address. */
    private static final String ISSUE_SCRIPT = """
            set -e
            cd /tmp
            openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=clusterdrill-registry-ca \
              -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
              -keyout ca.key -out ca.crt 2>/dev/null
            openssl req -newkey rsa:2048 -nodes -subj "/CN=$1" -keyout tls.key -out tls.csr 2>/dev/null
            printf 'subjectAltName=IP:%s\\nextendedKeyUsage=serverAuth\\n' "$1" > server.ext
            openssl x509 -req -in tls.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 30 \
              -extfile server.ext -out tls.crt 2>/dev/null
            echo '--- ca.crt'; cat ca.crt
            echo '--- tls.crt'; cat tls.crt
            echo '--- tls.key'; cat tls.key
            """;

    /** Hashes each {@code user:password} line of /work/users with bcrypt, reading the password from stdin. */
    private static final String HTPASSWD_SCRIPT = """
            set -e
            while IFS=: read -r user password; do
              printf '%s' "$password" | htpasswd -inB "$user"
            done < /work/users
            """;

    static RegistryMaterial generate(RegistryTools tools, NodeContainer node, String ipAddress, Map<String, String> passwords) {
        String output = tools.run(node, "issue the registry's certificates", Map.of(), ISSUE_SCRIPT, ipAddress).stdout();
        Map<String, String> sections = sections(output);
        return new RegistryMaterial(sections.get("ca.crt"), sections.get("tls.crt"), sections.get("tls.key"),
                htpasswd(tools, node, passwords));
    }

    /** Returns an htpasswd file with a bcrypt hash of every user's password. */
    static String htpasswd(RegistryTools tools, NodeContainer node, Map<String, String> passwords) {
        String users = passwords.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue() + "\n").collect(Collectors.joining());
        String output = tools.run(node, "hash the registry's passwords", Map.of("users", users.getBytes(StandardCharsets.UTF_8)),
                HTPASSWD_SCRIPT).stdout();
        String htpasswd = output.lines().filter(line -> !line.isBlank()).map(line -> line + "\n").collect(Collectors.joining());
        if (htpasswd.lines().count() != passwords.size()) {
            throw new IllegalStateException("htpasswd in " + tools.image() + " produced " + htpasswd.lines().count()
                    + " entries for " + passwords.size() + " users");
        }
        return htpasswd;
    }

    private static Map<String, String> sections(String output) {
        Map<String, String> sections = new java.util.HashMap<>();
        String name = null;
        StringBuilder text = new StringBuilder();
        for (String line : output.split("\n")) {
            if (line.startsWith(MARKER)) {
                if (name != null) {
                    sections.put(name, text.toString());
                }
                name = line.substring(MARKER.length()).trim();
                text.setLength(0);
            } else if (name != null) {
                text.append(line).append('\n');
            }
        }
        if (name != null) {
            sections.put(name, text.toString());
        }
        for (String expected : new String[] {"ca.crt", "tls.crt", "tls.key"}) {
            if (!sections.getOrDefault(expected, "").contains("-----BEGIN")) {
                throw new IllegalStateException("openssl produced no " + expected + "; its output had sections " + sections.keySet());
            }
        }
        return sections;
    }

    /**
     * Creates the certificate, key and htpasswd secrets through the manager and registers their
     * values with the swarm, which masks them in logs and reports.
     */
    void createSecrets(DockerSwarm swarm, SwarmNode manager, String certificateSecret, String keySecret, String usersSecret) {
        createSecret(swarm, manager, certificateSecret, certificate);
        createSecret(swarm, manager, keySecret, key);
        createSecret(swarm, manager, usersSecret, htpasswd);
    }

    /** Creates one secret through the manager, which registers the value for masking. */
    static void createSecret(DockerSwarm swarm, SwarmNode manager, String name, String value) {
        manager.createSecret(name, value);
    }
}
