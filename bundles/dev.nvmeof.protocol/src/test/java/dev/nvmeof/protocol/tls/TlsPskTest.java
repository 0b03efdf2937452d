package dev.nvmeof.protocol.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Expected values from two independent sources:
 * <ul>
 * <li>libnvme's published test data, {@code test/psk.c} ({@code test_data_psk}): the configured PSK
 * {@link #KEY_32} and its 48-byte extension {@link #KEY_48} exported as {@link #LIBNVME_01}, {@link #LIBNVME_02},
 * {@link #LIBNVME_00};</li>
 * <li>nvme-cli 2.3 / libnvme 1.3 on this machine: {@code nvme check-tls-key -k <key>} printed
 * "Key is valid (HMAC 1, length 32, CRC d9baf45f)" for {@link #LIBNVME_01} and "Key is valid (HMAC 2, length 48,
 * CRC 6517c99f)" for {@link #LIBNVME_02}; {@code nvme gen-tls-key -m 1} and {@code -m 2} (random keys) printed
 * {@link #NVME_CLI_RANDOM_01} and {@link #NVME_CLI_RANDOM_02}. nvme-cli 2.3 cannot take a fixed secret ({@code
 * gen-tls-key -s <64 hex digits>} says "Skipping excess secret bytes / Invalid key length (16 bytes)": its loop
 * counts hex digits as bytes) and rejects hash id 00 ("Invalid HMAC identifier 0"), which the specification and
 * libnvme 1.11 allow.</li>
 * </ul>
 */
class TlsPskTest {

    static final byte[] KEY_32 = HexFormat.of().parseHex(
            "5512dbb6737d0106f65975b773dfb011ffc344bcf442e2dd6d8bc4870b5d5b03");
    static final byte[] KEY_48 = concat(KEY_32, Arrays.copyOfRange(KEY_32, 16, 32));
    static final String LIBNVME_00 = "NVMeTLSkey-1:00:VRLbtnN9AQb2WXW3c9+wEf/DRLz0QuLdbYvEhwtdWwNf9LrZ:";
    static final String LIBNVME_01 = "NVMeTLSkey-1:01:VRLbtnN9AQb2WXW3c9+wEf/DRLz0QuLdbYvEhwtdWwNf9LrZ:";
    static final String LIBNVME_02 =
            "NVMeTLSkey-1:02:VRLbtnN9AQb2WXW3c9+wEf/DRLz0QuLdbYvEhwtdWwP/w0S89ELi3W2LxIcLXVsDn8kXZQ==:";
    static final String NVME_CLI_RANDOM_01 = "NVMeTLSkey-1:01:XIv8YMm/MRA7+vFGOsk1SgpeV5hayrT+DbcQiFtiGQCqmprk:";
    static final String NVME_CLI_RANDOM_02 =
            "NVMeTLSkey-1:02:/I9ORVTibTFTx+IElnJq2PmRBC9AUb+dvJy1+09yY0D40Vh1lu8RtyhgeFJbJytbIeDSMQ==:";

    @Test
    void shouldFormatLikeLibnvmeWhenKeyIsGiven() {
        try (TlsPsk none = TlsPsk.of(KEY_32, Optional.empty());
                TlsPsk sha256 = TlsPsk.of(KEY_32, Optional.of(TlsPskHash.SHA_256));
                TlsPsk sha384 = TlsPsk.of(KEY_48, Optional.of(TlsPskHash.SHA_384))) {
            assertEquals(LIBNVME_00, none.format());
            assertEquals(LIBNVME_01, sha256.format());
            assertEquals(LIBNVME_02, sha384.format());
            assertEquals(0xd9baf45fL, sha256.crc32(), "the CRC nvme check-tls-key prints");
            assertEquals(0x6517c99fL, sha384.crc32(), "the CRC nvme check-tls-key prints");
        }
    }

    @Test
    void shouldParseLibnvmeAndNvmeCliKeysWhenValid() throws Exception {
        try (TlsPsk psk = TlsPsk.parse(LIBNVME_02)) {
            assertEquals(Optional.of(TlsPskHash.SHA_384), psk.retainedHash());
            assertEquals(TlsPskHash.SHA_384, psk.hash());
            assertArrayEquals(KEY_48, psk.keyBytes());
        }
        try (TlsPsk psk = TlsPsk.parse(LIBNVME_00)) {
            assertEquals(Optional.empty(), psk.retainedHash());
            assertEquals(TlsPskHash.SHA_256, psk.hash(), "hash id 00: the hash of the key's length");
        }
        for (String text : new String[] {NVME_CLI_RANDOM_01, NVME_CLI_RANDOM_02}) {
            try (TlsPsk psk = TlsPsk.parse(text)) {
                assertEquals(text, psk.format());
            }
        }
    }

    @Test
    void shouldAcceptKeyWithoutTrailingColon() throws Exception {
        try (TlsPsk psk = TlsPsk.parse(LIBNVME_01.substring(0, LIBNVME_01.length() - 1))) {
            assertArrayEquals(KEY_32, psk.keyBytes());
        }
    }

    @Test
    void shouldRoundTripWhenGenerated() throws Exception {
        SecureRandom random = new SecureRandom();
        for (TlsPskHash hash : TlsPskHash.values()) {
            try (TlsPsk psk = TlsPsk.generate(hash, random); TlsPsk parsed = TlsPsk.parse(psk.format())) {
                assertEquals(hash.length(), parsed.keyLength());
                assertEquals(Optional.of(hash), parsed.retainedHash());
                assertArrayEquals(psk.keyBytes(), parsed.keyBytes());
            }
        }
    }

    @Test
    void shouldNameWhatIsWrongWithoutEchoingTheKeyWhenMalformed() {
        String body = LIBNVME_01.substring("NVMeTLSkey-1:01:".length(), LIBNVME_01.length() - 1);
        byte[] decoded = Base64.getDecoder().decode(body);
        decoded[0] ^= 1;
        String badCrc = "NVMeTLSkey-1:01:" + Base64.getEncoder().encodeToString(decoded) + ":";
        String[][] cases = {
            {"DHHC-1:01:" + body + ":", "must start with"},
            {"NVMeTLSkey-1:1:" + body + ":", "two-digit hash id"},
            {"NVMeTLSkey-1:03:" + body + ":", "hash id of a TLS PSK must be 00"},
            {"NVMeTLSkey-1:01:" + body.replace('V', '*') + ":", "not valid base64"},
            {"NVMeTLSkey-1:01:" + body.substring(0, 40) + ":", "decodes to 30 bytes"},
            {"NVMeTLSkey-1:02:" + body + ":", "hash id 02 has 48 bytes, not 32"},
            {badCrc, "CRC-32"},
        };
        for (String[] c : cases) {
            TlsPskFormatException e = assertThrows(TlsPskFormatException.class, () -> TlsPsk.parse(c[0]), c[0]);
            assertTrue(e.getMessage().contains(c[1]), e.getMessage());
            assertFalse(e.getMessage().contains(body.substring(0, 8)), "the message shows the key: " + e.getMessage());
        }
        assertThrows(TlsPskFormatException.class, () -> TlsPsk.parse(null));
    }

    @Test
    void shouldRefuseKeyOfWrongLengthWhenBuilt() {
        assertThrows(IllegalArgumentException.class, () -> TlsPsk.of(KEY_48, Optional.of(TlsPskHash.SHA_256)));
        assertThrows(IllegalArgumentException.class, () -> TlsPsk.of(new byte[64], Optional.empty()));
    }

    @Test
    void shouldHideKeyAndZeroItWhenClosed() throws Exception {
        TlsPsk psk = TlsPsk.parse(LIBNVME_01);
        String shown = psk.toString();
        assertEquals("TlsPsk[hash id=01, length=32]", shown);
        byte[] key = psk.keyArray();
        psk.close();
        assertTrue(psk.isDestroyed());
        assertArrayEquals(new byte[32], key);
        assertThrows(IllegalStateException.class, psk::format);
        assertThrows(IllegalStateException.class, psk::keyBytes);
        assertTrue(psk.toString().contains("destroyed"));
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
