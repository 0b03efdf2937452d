package dev.nvmeof.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nvmeof.protocol.auth.DhchapHash;
import dev.nvmeof.protocol.auth.DhchapSecret;
import dev.nvmeof.protocol.auth.DhchapSecretFormatException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our {@code DHHC-1} secrets against nvme-cli's ({@code gen-dhchap-key} / {@code check-dhchap-key} of Debian's
 * nvme-cli 2.3 on this machine, no guest): each reads what the other writes, and our transformed key (NVMe Base 2.0
 * section 8.13.5.7) equals the one libnvme computes from the same secret and NQN.
 */
@Tag("interop")
@ExtendWith(InteropExtension.class)
class NvmeCliDhchapKeyTest {
    private static final String NQN = "nqn.2014-08.org.nvmexpress:uuid:0f5b3c1e-7a52-4d1f-9c1e-6a7e2b9d4c01";

    private static NvmeCliKeys nvmeCli;
    private final SecureRandom random = new SecureRandom();

    @BeforeAll
    static void findNvmeCli() {
        nvmeCli = NvmeCliKeys.onThisMachine();
    }

    /** What nvme-cli 2.3 generates: HMAC 0 with any key length, HMAC 1..3 with the length of their hash. */
    @ParameterizedTest(name = "HMAC {0}, {1} bytes")
    @CsvSource({"0, 32", "0, 48", "0, 64", "1, 32", "2, 48", "3, 64"})
    void shouldReadEveryKindOfKeyNvmeCliGeneratesAndWriteItBackUnchanged(int hmac, int keyLength) throws Exception {
        String key = nvmeCli.generate(hmac, keyLength, NQN);

        try (DhchapSecret secret = DhchapSecret.parse(key)) {
            assertEquals(keyLength, secret.keyLength());
            assertEquals(DhchapHash.of(hmac), secret.transformHash());
            assertEquals(key, secret.format());
        }
    }

    @ParameterizedTest(name = "HMAC {0}, {1} bytes")
    @CsvSource({"0, 32", "0, 48", "0, 64", "1, 32", "2, 48", "3, 64"})
    void shouldHaveNvmeCliAcceptEveryKindOfKeyWeGenerate(int hmac, int keyLength) {
        try (DhchapSecret ours = DhchapSecret.generate(DhchapHash.of(hmac), keyLength, random)) {
            String key = ours.format();

            NvmeCliKeys.Check check = nvmeCli.check(key);

            assertEquals(new NvmeCliKeys.Check(hmac, keyLength, crcOf(key)), check, key.substring(0, 10));
        }
    }

    @ParameterizedTest(name = "HMAC {0}")
    @ValueSource(ints = {1, 2, 3})
    void shouldTransformASecretAsLibnvmeDoesForTheSameNqn(int hmac) {
        DhchapHash hash = DhchapHash.of(hmac).orElseThrow();
        byte[] raw = new byte[hash.length()];
        random.nextBytes(raw);

        // nvme-cli stores HMAC(raw, NQN || "NVMe-over-Fabrics") as the key of what it prints.
        byte[] libnvmeTransformed = keyBytes(nvmeCli.generateFrom(raw, hmac, NQN));

        try (DhchapSecret ours = DhchapSecret.of(raw, DhchapHash.of(hmac))) {
            assertArrayEquals(libnvmeTransformed, ours.transform(NQN));
        }
    }

    @Test
    void shouldKeepAnUntransformedSecretAsNvmeCliPrintsIt() {
        byte[] raw = new byte[32];
        random.nextBytes(raw);

        String key = nvmeCli.generateFrom(raw, 0, NQN);

        assertArrayEquals(raw, keyBytes(key));
        try (DhchapSecret ours = DhchapSecret.of(raw, DhchapHash.of(0))) {
            assertEquals(key, ours.format());
            assertArrayEquals(raw, ours.transform(NQN));
        }
    }

    @Test
    void shouldRefuseAKeyWithABadCrcAsNvmeCliDoes() {
        String key = nvmeCli.generate(1, 32, NQN);
        int first = "DHHC-1:01:".length();
        char flipped = key.charAt(first) == 'A' ? 'B' : 'A';
        String corrupted = key.substring(0, first) + flipped + key.substring(first + 1);

        String refusal = nvmeCli.checkRefuses(corrupted);

        assertTrue(refusal.contains("CRC mismatch"), refusal);
        DhchapSecretFormatException ours = assertThrows(DhchapSecretFormatException.class,
                () -> DhchapSecret.parse(corrupted));
        assertTrue(ours.getMessage().contains("CRC-32"), ours.getMessage());
    }

    /** The key bytes of a {@code DHHC-1:hh:base64:} secret, without its CRC. */
    static byte[] keyBytes(String key) {
        byte[] decoded = Base64.getDecoder().decode(key.substring("DHHC-1:00:".length(), key.length() - 1));
        return Arrays.copyOf(decoded, decoded.length - DhchapSecret.CRC_LENGTH);
    }

    /** The CRC-32 stored after the key (little-endian), as nvme-cli prints it. */
    static String crcOf(String key) {
        byte[] decoded = Base64.getDecoder().decode(key.substring("DHHC-1:00:".length(), key.length() - 1));
        int n = decoded.length;
        long crc = (decoded[n - 4] & 0xFFL) | (decoded[n - 3] & 0xFFL) << 8 | (decoded[n - 2] & 0xFFL) << 16
                | (decoded[n - 1] & 0xFFL) << 24;
        return String.format("%08x", crc);
    }
}
