package org.clusterdrill.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;

import org.junit.jupiter.api.Test;

/** Malformed unlock keys and key files are refused with a message that never repeats the key. */
class LockedManagerKeyTest {

    private static final String VALID = "SWMKEY-1-" + Base64.getEncoder().withoutPadding().encodeToString(new byte[32]);

    @Test
    void acceptsTheFormatThatDockerPrints() {
        assertThat(LockedManagerKey.parseUnlockKey(VALID + "\n")).hasSize(32);
    }

    @Test
    void refusesMalformedKeysWithoutEchoingThem() {
        assertThatThrownBy(() -> LockedManagerKey.parseUnlockKey(" "))
                .hasMessage("The unlock key is empty; pass the key that `docker swarm unlock-key -q` printed for this swarm");
        assertThatThrownBy(() -> LockedManagerKey.parseUnlockKey("SWMTKN-1-secretjointoken"))
                .hasMessageContaining("The unlock key (24 characters) does not start with SWMKEY-1-")
                .message().doesNotContain("secretjointoken");
        assertThatThrownBy(() -> LockedManagerKey.parseUnlockKey(VALID.substring(0, VALID.length() - 4)))
                .hasMessage("The unlock key contains 29 bytes instead of 32; it was cut or changed when it was copied");
        assertThatThrownBy(() -> LockedManagerKey.parseUnlockKey("SWMKEY-1-***"))
                .hasMessageContaining("is not valid base64");
    }

    @Test
    void refusesAKeyFileThatIsNotLocked() {
        String unlocked = new LockedManagerKey.Pem("PRIVATE KEY", java.util.Map.of("kek-version", "3"), new byte[]{1, 2, 3}).encode();
        assertThat(LockedManagerKey.isLocked(unlocked)).isFalse();
        assertThatThrownBy(() -> LockedManagerKey.unlock(unlocked, VALID))
                .hasMessageContaining("the swarm was not autolocked when the backup was taken");
    }

    @Test
    void refusesACutKeyFile() {
        assertThatThrownBy(() -> LockedManagerKey.parse("-----BEGIN ENCRYPTED PRIVATE KEY-----\nkek-version: 0\n\nAAAA\n"))
                .hasMessage("The manager key file's ENCRYPTED PRIVATE KEY block has no END line; the file is cut");
    }

    @Test
    void encodesAndDecodesRaftKeyRecords() {
        LockedManagerKey.Record sealed = new LockedManagerKey.Record(1, new byte[]{9, 8, 7}, new byte[24]);
        LockedManagerKey.Record decoded = LockedManagerKey.Record.decode(sealed.encode());
        assertThat(decoded.algorithm()).isEqualTo(1);
        assertThat(decoded.data()).containsExactly(9, 8, 7);
        assertThat(decoded.nonce()).hasSize(24);
        assertThat(new LockedManagerKey.Record(0, new byte[]{5}, new byte[0]).encode()).containsExactly(0x12, 1, 5);
    }
}
