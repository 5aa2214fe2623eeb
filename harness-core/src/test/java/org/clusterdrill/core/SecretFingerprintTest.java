package org.clusterdrill.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/** Fingerprints tell equal values from different ones without being the plain SHA-256. */
class SecretFingerprintTest {

    @Test
    void equalValuesMatch() {
        assertThat(SecretFingerprint.of(bytes("s3cret"))).isEqualTo(SecretFingerprint.of(bytes("s3cret")))
                .hasSize(64);
        assertThat(SecretFingerprint.ofSha256(sha256("s3cret"))).isEqualTo(SecretFingerprint.ofSha256(sha256("s3cret")));
    }

    @Test
    void differentValuesDiffer() {
        assertThat(SecretFingerprint.of(bytes("s3cret"))).isNotEqualTo(SecretFingerprint.of(bytes("s3cret2")));
        assertThat(SecretFingerprint.ofSha256(sha256("a"))).isNotEqualTo(SecretFingerprint.ofSha256(sha256("b")));
    }

    @Test
    void fingerprintIsNotThePlainDigest() {
        assertThat(SecretFingerprint.of(bytes("s3cret"))).isNotEqualTo(sha256("s3cret"));
        assertThat(SecretFingerprint.ofSha256(sha256("s3cret"))).isNotEqualTo(sha256("s3cret"));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes(text)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
