package org.clusterdrill.swarm;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.engines.XSalsa20Engine;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.modes.CBCBlockCipher;
import org.bouncycastle.crypto.paddings.PKCS7Padding;
import org.bouncycastle.crypto.paddings.PaddedBufferedBlockCipher;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * Opens the TLS key of an autolocked swarm manager with the swarm's unlock key, offline, and
 * returns the key file as an unlocked manager writes it.
 *
 * <p>Docker Engine cannot restore an autolocked swarm the documented way. {@code docker swarm init
 * --force-new-cluster} starts the node without the unlock key, so it fails with "Swarm is encrypted
 * and needs to be unlocked" even after {@code docker swarm unlock} (moby/moby#36852). And when the
 * backup's other managers are gone, {@code docker swarm unlock} waits for a Raft leader that never
 * comes, while it holds the lock that {@code swarm init} needs. So the restore decrypts here what
 * the engine would decrypt in memory, and the restored swarm locks itself again with a new key.
 *
 * <p>The key file ({@code certificates/swarm-node.key}) is a PEM block. Locked, it is an
 * {@code ENCRYPTED PRIVATE KEY} (PKCS #8, PBES2 with PBKDF2 and AES-CBC, the unlock key's 32 bytes
 * as password), and its {@code raft-dek} headers hold the Raft data keys sealed with NaCl
 * secretbox under the unlock key. Unlocked, it is a {@code PRIVATE KEY} whose {@code raft-dek}
 * headers hold the data keys as plain records. Each header value is a base64 protobuf message with
 * the algorithm in field 1, the data in field 2 and the nonce in field 3.
 */
final class LockedManagerKey {

    static final String PREFIX = "SWMKEY-1-";
    private static final int ALGORITHM_NONE = 0;
    private static final int ALGORITHM_SECRETBOX = 1;
    private static final int TAG_LENGTH = 16;

    private LockedManagerKey() {
    }

    /** Tells whether a key file is locked, that is, encrypted with an unlock key. */
    static boolean isLocked(String pem) {
        return parse(pem).type().equals("ENCRYPTED PRIVATE KEY");
    }

    /**
     * Decrypts a locked manager's key file.
     *
     * @throws IllegalArgumentException when the unlock key is malformed or does not open the file;
     *         the message never contains the key
     */
    static String unlock(String pem, String unlockKey) {
        byte[] kek = parseUnlockKey(unlockKey);
        Pem locked = parse(pem);
        if (!locked.type().equals("ENCRYPTED PRIVATE KEY")) {
            throw new IllegalArgumentException("The manager key is a " + locked.type() + ", not an ENCRYPTED PRIVATE KEY: "
                    + "the swarm was not autolocked when the backup was taken, so it needs no unlock key");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<String, String> header : locked.headers().entrySet()) {
            String name = header.getKey();
            if (name.equals("raft-dek") || name.equals("raft-dek-pending")) {
                headers.put(name, openDataKey(name, header.getValue(), kek));
            } else if (name.equals("kek-version")) {
                // A starting manager compares this version with the cluster's key version. An equal
                // version without a key is an error, but an older one makes it take the cluster's key and lock again.
                headers.put(name, "0");
            } else {
                headers.put(name, header.getValue());
            }
        }
        byte[] privateKey = decryptPkcs8(locked.body(), kek);
        return new Pem("PRIVATE KEY", headers, privateKey).encode();
    }

    /**
     * Decodes a human-readable unlock key, {@code SWMKEY-1-} and 32 bytes in unpadded base64.
     *
     * @throws IllegalArgumentException naming what is wrong, never the key itself
     */
    static byte[] parseUnlockKey(String unlockKey) {
        if (unlockKey == null || unlockKey.isBlank()) {
            throw new IllegalArgumentException("The unlock key is empty; pass the key that `docker swarm unlock-key -q` "
                    + "printed for this swarm");
        }
        String trimmed = unlockKey.trim();
        if (!trimmed.startsWith(PREFIX)) {
            throw new IllegalArgumentException("The unlock key (" + trimmed.length() + " characters) does not start with "
                    + PREFIX + "; pass the key that `docker swarm unlock-key -q` printed, not a join token or password");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(trimmed.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("The unlock key is not valid base64 after " + PREFIX
                    + "; it was cut or changed when it was copied", e);
        }
        if (key.length != 32) {
            throw new IllegalArgumentException("The unlock key contains " + key.length + " bytes instead of 32; it was cut "
                    + "or changed when it was copied");
        }
        return key;
    }

    private static String openDataKey(String name, String value, byte[] kek) {
        Record record = Record.decode(Base64.getDecoder().decode(value.trim()));
        byte[] plain;
        if (record.algorithm() == ALGORITHM_NONE) {
            plain = record.data();
        } else if (record.algorithm() == ALGORITHM_SECRETBOX) {
            plain = openSecretbox(record.data(), record.nonce(), kek, name);
        } else {
            throw new IllegalArgumentException("The manager key's " + name + " header uses encryption algorithm "
                    + record.algorithm() + " (FIPS mode), which Cluster Drill cannot open; restore this backup with a "
                    + "swarm that is not autolocked");
        }
        return Base64.getEncoder().encodeToString(new Record(ALGORITHM_NONE, plain, new byte[0]).encode());
    }

    /** Opens a NaCl secretbox: XSalsa20 keystream, the first 32 bytes keying Poly1305 over the ciphertext. */
    private static byte[] openSecretbox(byte[] box, byte[] nonce, byte[] key, String header) {
        if (box.length < TAG_LENGTH || nonce.length != 24) {
            throw new IllegalArgumentException("The manager key's " + header + " header is damaged: " + box.length
                    + " bytes of data and a nonce of " + nonce.length + " bytes");
        }
        XSalsa20Engine stream = new XSalsa20Engine();
        stream.init(false, new ParametersWithIV(new KeyParameter(key), nonce));
        byte[] macKey = new byte[32];
        stream.processBytes(new byte[32], 0, 32, macKey, 0);
        Poly1305 mac = new Poly1305();
        mac.init(new KeyParameter(macKey));
        mac.update(box, TAG_LENGTH, box.length - TAG_LENGTH);
        byte[] tag = new byte[TAG_LENGTH];
        mac.doFinal(tag, 0);
        if (!MessageDigest.isEqual(tag, Arrays.copyOf(box, TAG_LENGTH))) {
            throw new IllegalArgumentException("The unlock key does not open this manager's key: it belongs to another "
                    + "swarm or was rotated after the backup. Pass the key that was current when the backup was taken");
        }
        byte[] plain = new byte[box.length - TAG_LENGTH];
        stream.processBytes(box, TAG_LENGTH, plain.length, plain, 0);
        return plain;
    }

    private static byte[] decryptPkcs8(byte[] der, byte[] password) {
        EncryptedPrivateKeyInfo info = EncryptedPrivateKeyInfo.getInstance(der);
        ASN1ObjectIdentifier scheme = info.getEncryptionAlgorithm().getAlgorithm();
        if (!PKCSObjectIdentifiers.id_PBES2.equals(scheme)) {
            throw new IllegalArgumentException("The manager key is encrypted with " + scheme + " instead of PBES2; "
                    + "Cluster Drill opens keys written by Docker Engine 20.10 and later");
        }
        PBES2Parameters pbes2 = PBES2Parameters.getInstance(info.getEncryptionAlgorithm().getParameters());
        PBKDF2Params kdf = PBKDF2Params.getInstance(pbes2.getKeyDerivationFunc().getParameters());

        ASN1ObjectIdentifier cipherId = pbes2.getEncryptionScheme().getAlgorithm();
        int keyBits;
        if (NISTObjectIdentifiers.id_aes256_CBC.equals(cipherId)) {
            keyBits = 256;
        } else if (NISTObjectIdentifiers.id_aes192_CBC.equals(cipherId)) {
            keyBits = 192;
        } else if (NISTObjectIdentifiers.id_aes128_CBC.equals(cipherId)) {
            keyBits = 128;
        } else {
            throw new IllegalArgumentException("The manager key is encrypted with cipher " + cipherId + ", not AES-CBC");
        }

        Digest prf;
        if (kdf.isDefaultPrf()) {
            prf = new SHA1Digest();
        } else if (PKCSObjectIdentifiers.id_hmacWithSHA256.equals(kdf.getPrf().getAlgorithm())) {
            prf = new SHA256Digest();
        } else {
            throw new IllegalArgumentException("The manager key derives its key with " + kdf.getPrf().getAlgorithm()
                    + ", not HMAC-SHA1 or HMAC-SHA256");
        }

        PKCS5S2ParametersGenerator generator = new PKCS5S2ParametersGenerator(prf);
        generator.init(password, kdf.getSalt(), kdf.getIterationCount().intValueExact());
        KeyParameter aesKey = (KeyParameter) generator.generateDerivedParameters(keyBits);
        byte[] iv = ASN1OctetString.getInstance(pbes2.getEncryptionScheme().getParameters()).getOctets();
        PaddedBufferedBlockCipher cipher = new PaddedBufferedBlockCipher(CBCBlockCipher.newInstance(AESEngine.newInstance()),
                new PKCS7Padding());
        cipher.init(false, new ParametersWithIV(aesKey, iv));
        byte[] encrypted = info.getEncryptedData();
        byte[] plain = new byte[cipher.getOutputSize(encrypted.length)];
        try {
            int length = cipher.processBytes(encrypted, 0, encrypted.length, plain, 0);
            length += cipher.doFinal(plain, length);
            plain = Arrays.copyOf(plain, length);
            PrivateKeyInfo.getInstance(plain);
            return plain;
        } catch (InvalidCipherTextException | IllegalArgumentException | IllegalStateException e) {
            throw new IllegalArgumentException("The unlock key does not open this manager's TLS key: it belongs to another "
                    + "swarm or was rotated after the backup. Pass the key that was current when the backup was taken", e);
        }
    }

    static Pem parse(String text) {
        String[] lines = text.replace("\r", "").split("\n");
        int line = 0;
        while (line < lines.length && !lines[line].startsWith("-----BEGIN ")) {
            line++;
        }
        if (line == lines.length || !lines[line].endsWith("-----")) {
            throw new IllegalArgumentException("The manager key file contains no PEM block");
        }
        String type = lines[line].substring("-----BEGIN ".length(), lines[line].length() - "-----".length());
        line++;
        Map<String, String> headers = new LinkedHashMap<>();
        while (line < lines.length && lines[line].contains(":")) {
            int colon = lines[line].indexOf(':');
            headers.put(lines[line].substring(0, colon).trim(), lines[line].substring(colon + 1).trim());
            line++;
        }
        StringBuilder body = new StringBuilder();
        for (; line < lines.length && !lines[line].startsWith("-----END "); line++) {
            body.append(lines[line].trim());
        }
        if (line == lines.length) {
            throw new IllegalArgumentException("The manager key file's " + type + " block has no END line; the file is cut");
        }
        return new Pem(type, headers, Base64.getDecoder().decode(body.toString()));
    }

    /** A PEM block with its headers in file order. */
    record Pem(String type, Map<String, String> headers, byte[] body) {

        String encode() {
            StringBuilder text = new StringBuilder("-----BEGIN ").append(type).append("-----\n");
            headers.forEach((name, value) -> text.append(name).append(": ").append(value).append('\n'));
            if (!headers.isEmpty()) {
                text.append('\n');
            }
            String base64 = Base64.getEncoder().encodeToString(body);
            for (int i = 0; i < base64.length(); i += 64) {
                text.append(base64, i, Math.min(base64.length(), i + 64)).append('\n');
            }
            return text.append("-----END ").append(type).append("-----\n").toString();
        }
    }

    /** swarmkit's MaybeEncryptedRecord: algorithm (field 1), data (field 2), nonce (field 3). */
    record Record(int algorithm, byte[] data, byte[] nonce) {

        static Record decode(byte[] bytes) {
            int algorithm = 0;
            byte[] data = new byte[0];
            byte[] nonce = new byte[0];
            int[] at = {0};
            while (at[0] < bytes.length) {
                long tag = varint(bytes, at);
                int field = (int) (tag >>> 3);
                int wireType = (int) (tag & 7);
                if (wireType == 0) {
                    long value = varint(bytes, at);
                    if (field == 1) {
                        algorithm = (int) value;
                    }
                } else if (wireType == 2) {
                    int length = (int) varint(bytes, at);
                    if (length < 0 || at[0] + length > bytes.length) {
                        throw new IllegalArgumentException("A raft-dek header of the manager key is cut");
                    }
                    byte[] value = Arrays.copyOfRange(bytes, at[0], at[0] + length);
                    at[0] += length;
                    if (field == 2) {
                        data = value;
                    } else if (field == 3) {
                        nonce = value;
                    }
                } else {
                    throw new IllegalArgumentException("A raft-dek header of the manager key has protobuf wire type "
                            + wireType + ", which swarmkit does not write");
                }
            }
            return new Record(algorithm, data, nonce);
        }

        byte[] encode() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (algorithm != 0) {
                out.write(1 << 3);
                writeVarint(out, algorithm);
            }
            writeBytes(out, 2, data);
            if (nonce.length > 0) {
                writeBytes(out, 3, nonce);
            }
            return out.toByteArray();
        }

        private static void writeBytes(ByteArrayOutputStream out, int field, byte[] value) {
            out.write(field << 3 | 2);
            writeVarint(out, value.length);
            out.writeBytes(value);
        }

        private static void writeVarint(ByteArrayOutputStream out, long value) {
            while ((value & ~0x7FL) != 0) {
                out.write((int) (value & 0x7F) | 0x80);
                value >>>= 7;
            }
            out.write((int) value);
        }

        private static long varint(byte[] bytes, int[] at) {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (at[0] >= bytes.length) {
                    throw new IllegalArgumentException("A raft-dek header of the manager key is cut");
                }
                byte b = bytes[at[0]++];
                value |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
            throw new IllegalArgumentException("A raft-dek header of the manager key contains an invalid varint");
        }
    }
}
