package org.clusterdrill.core;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Fingerprints of secret values for cluster states: HMAC-SHA256 under a random key that lives only
 * in this JVM's memory. Two captures in the same JVM compare equal exactly when the values are
 * equal. A report, unlike one holding a plain SHA-256, gives nothing to test guessed passwords
 * against. Fingerprints from different JVMs cannot be compared.
 */
public final class SecretFingerprint {

    /** The attribute name under which states store a fingerprint. */
    public static final String ATTRIBUTE = "hmac-sha256";

    private static final byte[] KEY = randomKey();

    private SecretFingerprint() {
    }

    private static byte[] randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    /** Returns the fingerprint of a value, as lower-case hex. */
    public static String of(byte[] value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(value));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Every Java runtime must provide HmacSHA256", e);
        }
    }

    /**
     * Returns the fingerprint of a value whose SHA-256 was computed elsewhere, for example inside
     * the cluster so that the value never leaves it. The input is the hex digest as text.
     */
    public static String ofSha256(String sha256Hex) {
        return of(("sha256:" + sha256Hex).getBytes(StandardCharsets.US_ASCII));
    }
}
