package dev.nvmeof.protocol.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Expected values come from nvme-cli 2.3 / libnvme 1.3 (Debian), an independent implementation:
 * {@code nvme gen-dhchap-key --secret=<hex> --hmac=N --nqn=<NQN> [-l LEN]}. With {@code --hmac=0} it prints the key
 * as given; with {@code --hmac=1..3} it prints the key already transformed for the NQN, which is the value
 * {@link DhchapSecret#transform} must compute.
 */
class DhchapSecretTest {

    static final String NQN = "nqn.2014-08.org.nvmexpress:uuid:00000000-0000-0000-0000-000000000001";
    /** {@code nvme gen-dhchap-key --secret=000102..1f --hmac=0}. */
    static final String KEY_00_32 = "DHHC-1:00:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh+KfiaR:";

    @Test
    void shouldFormatLikeNvmeCliWhenKeyIsGiven() {
        for (int length : DhchapSecret.KEY_LENGTHS) {
            try (DhchapSecret secret = DhchapSecret.of(counting(length), Optional.empty())) {
                assertEquals(nvmeCliUntransformed(length), secret.format(), "length " + length);
            }
        }
    }

    @Test
    void shouldParseNvmeCliKeysWhenValid() throws Exception {
        for (int length : DhchapSecret.KEY_LENGTHS) {
            try (DhchapSecret secret = DhchapSecret.parse(nvmeCliUntransformed(length))) {
                assertEquals(length, secret.keyLength());
                assertEquals(Optional.empty(), secret.transformHash());
                assertArrayEquals(counting(length), secret.transform(NQN), "hash id 00 is not transformed");
            }
        }
    }

    @Test
    void shouldTransformLikeNvmeCliWhenHashIdIsSet() throws Exception {
        // nvme gen-dhchap-key --secret=<00..(n-1)> --hmac=h --nqn=NQN (keys of 32, 48, 64 bytes for h = 1, 2, 3)
        String[] transformed = {
            "DHHC-1:01:bHuByyp0b3RFSx1xQPMVO1HKmUWfzveoahfydpW4fNgSLMVm:",
            "DHHC-1:02:yRbznXvUOKyUzpjxLyIgLGvEOxsb9/CBo2/XbRG0sXMHJv918yV2tXSc+gbRp7T1eXmwtA==:",
            "DHHC-1:03:XaedOIjF3axQewl4QMTIr4xwmePzL78hYgnSQQP1S88iKE5wNLtXmomXR19QrsC/88ytGEVjd56B9IxAUHG5cMGgMCQ=:"};
        for (DhchapHash hash : DhchapHash.values()) {
            try (DhchapSecret secret = DhchapSecret.of(counting(hash.length()), Optional.of(hash));
                    DhchapSecret expected = DhchapSecret.parse(transformed[hash.code() - 1].replace(
                            String.format(":%02x:", hash.code()), ":00:"))) {
                assertArrayEquals(expected.transform(NQN), secret.transform(NQN), hash.toString());
            }
        }
    }

    @Test
    void shouldRoundTripWhenGenerated() throws Exception {
        SecureRandom random = new SecureRandom();
        for (DhchapHash hash : DhchapHash.values()) {
            try (DhchapSecret secret = DhchapSecret.generate(Optional.of(hash), hash.length(), random);
                    DhchapSecret parsed = DhchapSecret.parse(secret.format())) {
                assertTrue(secret.format().startsWith(String.format("DHHC-1:%02x:", hash.code())));
                assertEquals(Optional.of(hash), parsed.transformHash());
                assertArrayEquals(secret.transform(NQN), parsed.transform(NQN));
            }
        }
    }

    @Test
    void shouldAcceptSecretWithoutTrailingColonLikeLinux() throws Exception {
        String text = KEY_00_32.substring(0, KEY_00_32.length() - 1);
        try (DhchapSecret secret = DhchapSecret.parse(text)) {
            assertEquals(32, secret.keyLength());
        }
    }

    @Test
    void shouldNameTheProblemWithoutTheSecretWhenMalformed() {
        // One character of the CRC changed: nvme check-dhchap-key says "CRC mismatch" for it too.
        String badCrc = KEY_00_32.replace("KfiaR", "KfiaS");
        String badBase64 = KEY_00_32.replace("AAEC", "A*EC");
        String shortKey = "DHHC-1:00:" + Base64.getEncoder().encodeToString(new byte[20]) + ":";
        String[][] cases = {
            {"DHHC-2:00:AAAA:", "must start with 'DHHC-1:'"},
            {KEY_00_32.replace("DHHC-1:00:", "DHHC-1:04:"), "hash id"},
            {KEY_00_32.replace("DHHC-1:00:", "DHHC-1:0:"), "two-digit hash id"},
            {badBase64, "not valid base64"},
            {shortKey, "decodes to 20 bytes; expected 36, 52 or 68"},
            {badCrc, "CRC-32"},
        };
        for (String[] c : cases) {
            DhchapSecretFormatException e = assertThrows(DhchapSecretFormatException.class,
                    () -> DhchapSecret.parse(c[0]), c[1]);
            assertTrue(e.getMessage().contains(c[1]), e.getMessage());
            String base64 = c[0].length() > 12 ? c[0].substring(10, c[0].length() - 1) : c[0];
            assertFalse(e.getMessage().contains(base64), "secret in message: " + e.getMessage());
        }
        assertThrows(DhchapSecretFormatException.class, () -> DhchapSecret.parse(null));
    }

    @Test
    void shouldHideKeyAndZeroItWhenClosed() throws Exception {
        DhchapSecret secret = DhchapSecret.parse(KEY_00_32);
        String shown = secret.toString();
        assertEquals("DhchapSecret[transform=none, length=32]", shown);
        assertFalse(shown.contains("AAEC"));

        secret.close();

        assertTrue(secret.isDestroyed());
        assertArrayEquals(new byte[32], secret.keyBytes());
        assertThrows(IllegalStateException.class, () -> secret.transform(NQN));
        assertThrows(IllegalStateException.class, secret::format);
        assertTrue(secret.toString().contains("destroyed"));
    }

    @Test
    void shouldZeroKeyWhenDestroyed() throws Exception {
        DhchapSecret secret = DhchapSecret.parse(KEY_00_32);

        secret.destroy();
        secret.destroy();

        assertArrayEquals(new byte[32], secret.keyBytes());
    }

    @Test
    void shouldRejectOtherLengthsWhenBuilt() {
        assertThrows(IllegalArgumentException.class, () -> DhchapSecret.of(new byte[16], Optional.empty()));
        assertThrows(IllegalArgumentException.class,
                () -> DhchapSecret.generate(Optional.empty(), 33, new SecureRandom()));
    }

    static byte[] counting(int length) {
        byte[] key = new byte[length];
        for (int i = 0; i < length; i++) {
            key[i] = (byte) i;
        }
        return key;
    }

    /** {@code nvme gen-dhchap-key --secret=<00..(n-1)> --hmac=0 -l n}. */
    private static String nvmeCliUntransformed(int length) {
        switch (length) {
            case 32:
                return KEY_00_32;
            case 48:
                return "DHHC-1:00:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vcSEgBQ==:";
            default:
                return "DHHC-1:00:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OT"
                        + "o7PD0+P4zODhA=:";
        }
    }

    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }
}
