package dev.nvmeof.protocol.tls;

import static dev.nvmeof.protocol.tls.HkdfLabelEncoding.LIBNVME_COMPAT;
import static dev.nvmeof.protocol.tls.HkdfLabelEncoding.RFC_8446;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Where each expected value comes from:
 * <ul>
 * <li>HKDF itself: RFC 5869, appendix A.1 (test case 1, SHA-256).</li>
 * <li>PSK identities of version 1: libnvme's published test data, {@code test/psk.c} ({@code test_data_identity}
 * for the RFC 8446 derivation, {@code test_data_identity_compat} for the older one), with the configured PSK
 * {@link TlsPskTest#KEY_32} / {@link TlsPskTest#KEY_48}, host {@code nqn.psk-test-host}, subsystem
 * {@code nqn.psk-test-subsys}. The digest in them is an HMAC keyed with the retained PSK, so they check the retained
 * PSK derivation (label "HostNQN") of both encodings too.</li>
 * <li>Retained and TLS PSKs: {@code src/test/resources/dev/nvmeof/protocol/tls/derive_tls_vectors.py}, an independent
 * derivation with Python's {@code hmac}/{@code hashlib} (HKDF by RFC 5869, HKDF-Expand-Label by RFC 8446), following
 * libnvme's {@code derive_retained_key}, {@code derive_psk_digest}, {@code derive_tls_key} and their {@code _compat}
 * twins; it first reproduces the four libnvme identities above. Neither libnvme 1.3 nor nvme-cli 2.3 on this machine
 * can derive (libnvme 1.3 has no TLS functions; its {@code check-tls-key} takes only {@code --key}), and no published
 * TLS PSK vector was found.</li>
 * <li>The RFC 8446 rows once more with OpenSSL 3.0.19's own HKDF and TLS13-KDF (its HkdfLabel encoding, not ours):
 * {@code openssl_tls13_kdf.sh} next to the script printed the same retained PSKs (01, 02) and TLS PSKs (01 v0/v1,
 * 02 v0/v1, 00 v0). The {@link HkdfLabelEncoding#LIBNVME_COMPAT} rows have only the script as their source.</li>
 * </ul>
 */
class TlsPskDerivationTest {

    static final String HOST = "nqn.psk-test-host";
    static final String SUBSYS = "nqn.psk-test-subsys";

    @Test
    void shouldMatchRfc5869TestCase1() {
        byte[] ikm = new byte[22];
        java.util.Arrays.fill(ikm, (byte) 0x0b);
        byte[] salt = hex("000102030405060708090a0b0c");
        byte[] info = hex("f0f1f2f3f4f5f6f7f8f9");
        byte[] prk = Hkdf.extract(TlsPskHash.SHA_256, salt, ikm);
        assertArrayEquals(hex("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5"), prk);
        assertArrayEquals(hex("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"),
                Hkdf.expand(TlsPskHash.SHA_256, prk, info, 42));
    }

    @Test
    void shouldEncodeHkdfLabelLikeRfc8446AndLikeOldLibnvme() {
        byte[] context = "ab".getBytes(StandardCharsets.US_ASCII);
        // RFC 8446 7.1: uint16 length (big-endian), length byte + "tls13 HostNQN", length byte + context
        assertArrayEquals(concat(hex("0030" + "0d"), ascii("tls13 HostNQN"), hex("02"), context),
                Hkdf.labelInfo("HostNQN", context, 48, RFC_8446));
        // libnvme before 1.11: the length little-endian, no length bytes
        assertArrayEquals(concat(hex("3000"), ascii("tls13 HostNQN"), context),
                Hkdf.labelInfo("HostNQN", context, 48, LIBNVME_COMPAT));
    }

    @Test
    void shouldBuildLibnvmesPublishedIdentitiesWhenVersion1() throws Exception {
        // libnvme test/psk.c test_data_identity and test_data_identity_compat
        assertIdentity(TlsPskTest.LIBNVME_01, RFC_8446,
                "NVMe1R01 nqn.psk-test-host nqn.psk-test-subsys iSbjiStwJ/1TrTvDlt2fjFmzvsytOJelidNnA+X5lEU=");
        assertIdentity(TlsPskTest.LIBNVME_02, RFC_8446, "NVMe1R02 nqn.psk-test-host nqn.psk-test-subsys"
                + " QhW2+Rp6RzHlNtCslyRxMnwJ11tKKhz8JCAQpQ+XUD8f9td1VeH5h53yz2wKJG1a");
        assertIdentity(TlsPskTest.LIBNVME_01, LIBNVME_COMPAT,
                "NVMe1R01 nqn.psk-test-host nqn.psk-test-subsys 66GuqV08TsAGII39teWUfwQwizjv06Jy8jOcX3NAAzM=");
        assertIdentity(TlsPskTest.LIBNVME_02, LIBNVME_COMPAT, "NVMe1R02 nqn.psk-test-host nqn.psk-test-subsys"
                + " RsKmYJ3nAn1ApjjMloJFbAkLPivONDAX/xW327YBUsn2eGShXSjCZvBaOxscLqmz");
    }

    @Test
    void shouldDeriveRetainedPskLikeTheScript() throws Exception {
        // derive_tls_vectors.py: "hmac 01 len 32 ... retained", "hmac 02 len 48 ... retained"
        try (TlsPsk sha256 = TlsPsk.parse(TlsPskTest.LIBNVME_01); TlsPsk sha384 = TlsPsk.parse(TlsPskTest.LIBNVME_02);
                TlsPsk none = TlsPsk.parse(TlsPskTest.LIBNVME_00)) {
            assertArrayEquals(hex("073311dec37e219ff3acd43f130130c5bdd443c066e1cc3424e49030234ff7d5"),
                    TlsPskDerivation.retainedPsk(sha256, HOST, RFC_8446));
            assertArrayEquals(hex("ad4cdadfcbaf4e353fcbd09aac891c4d75c5300fe5ee7bb04ae87726a312eddc"),
                    TlsPskDerivation.retainedPsk(sha256, HOST, LIBNVME_COMPAT));
            assertArrayEquals(hex("73973a1b51a9acdde29a0610ac6a3ef852cf45936cca6830a661d18f68502f1a"
                    + "4c7a8ecb37524e0b1f7087cb4d680ad9"), TlsPskDerivation.retainedPsk(sha384, HOST, RFC_8446));
            assertArrayEquals(TlsPskTest.KEY_32, TlsPskDerivation.retainedPsk(none, HOST, RFC_8446),
                    "hash id 00: the configured PSK is the retained PSK");
        }
    }

    @Test
    void shouldDeriveTlsPskLikeTheScript() throws Exception {
        // derive_tls_vectors.py, "tls psk" lines: {key, identity version, encoding, identity, TLS PSK}
        Object[][] cases = {
            {TlsPskTest.LIBNVME_01, 0, RFC_8446, "NVMe0R01 nqn.psk-test-host nqn.psk-test-subsys",
                "05c6503551ad136e6ee32e6eeb3f6d500b69701d84ec71e328f65c7f51566f68"},
            {TlsPskTest.LIBNVME_01, 0, LIBNVME_COMPAT, "NVMe0R01 nqn.psk-test-host nqn.psk-test-subsys",
                "09fb1983ac6d6d0353e7cae4f23daddd651c367fa347c59d9cf6936f5a83eafb"},
            {TlsPskTest.LIBNVME_01, 1, RFC_8446,
                "NVMe1R01 nqn.psk-test-host nqn.psk-test-subsys iSbjiStwJ/1TrTvDlt2fjFmzvsytOJelidNnA+X5lEU=",
                "8fc3c0badfd4c0c66fa3ca33aadd0314f85536cc9bc47338b60f3e6e563786ca"},
            {TlsPskTest.LIBNVME_01, 1, LIBNVME_COMPAT,
                "NVMe1R01 nqn.psk-test-host nqn.psk-test-subsys 66GuqV08TsAGII39teWUfwQwizjv06Jy8jOcX3NAAzM=",
                "b9f5ab2a41ba6e72a23a12066302a2f775fa6c0942c8e0b18ca8ac07edf305e2"},
            {TlsPskTest.LIBNVME_02, 0, RFC_8446, "NVMe0R02 nqn.psk-test-host nqn.psk-test-subsys",
                "f42ba63824cdfe421914c582921f85b5b5b7e2d4df084caeedc9be20b212e8bb"
                        + "0fe8a23e9d59a1c8fc6449da4970a78d"},
            {TlsPskTest.LIBNVME_02, 1, RFC_8446, "NVMe1R02 nqn.psk-test-host nqn.psk-test-subsys"
                    + " QhW2+Rp6RzHlNtCslyRxMnwJ11tKKhz8JCAQpQ+XUD8f9td1VeH5h53yz2wKJG1a",
                "a2b2f943f479fc682555cec89857c80ed004ce92f32a973d5764155bb7e36b17"
                        + "a85368a0666d250afac9282dda2e62ca"},
            {TlsPskTest.LIBNVME_00, 0, RFC_8446, "NVMe0R01 nqn.psk-test-host nqn.psk-test-subsys",
                "ec85300ba827726bd3bc4fc07f3a34aec5fe7c8ccac05fefc2f021c74e0df9ef"},
            {TlsPskTest.LIBNVME_00, 1, RFC_8446,
                "NVMe1R01 nqn.psk-test-host nqn.psk-test-subsys quJVUJjp/BImWR0UQay/MjSfEgyAr6TyBOWybS/B404=",
                "a45d08ee4639c7570729bb3e57e905e466a49a15ece5401af906830c4d3bdb0b"},
        };
        for (Object[] c : cases) {
            try (TlsPsk configured = TlsPsk.parse((String) c[0]);
                    DerivedTlsPsk derived = TlsPskDerivation.derive(configured, HOST, SUBSYS, (int) c[1],
                            (HkdfLabelEncoding) c[2])) {
                assertEquals(c[3], derived.identity().text());
                assertArrayEquals(hex((String) c[4]), derived.keyBytes(), (String) c[3] + " " + c[2]);
            }
        }
    }

    @Test
    void shouldHideKeyAndZeroItWhenDerivedPskIsClosed() throws Exception {
        try (TlsPsk configured = TlsPsk.parse(TlsPskTest.LIBNVME_01)) {
            DerivedTlsPsk derived = TlsPskDerivation.derive(configured, HOST, SUBSYS, 0, RFC_8446);
            String hexKey = HexFormat.of().formatHex(derived.keyBytes());
            assertEquals("DerivedTlsPsk[identity=NVMe0R01 nqn.psk-test-host nqn.psk-test-subsys, length=32]",
                    derived.toString());
            assertFalse(derived.toString().contains(hexKey.substring(0, 8)));
            byte[] key = derived.keyArray();
            derived.close();
            assertArrayEquals(new byte[32], key);
            assertThrows(IllegalStateException.class, derived::keyBytes);
            assertTrue(derived.toString().endsWith("destroyed]"));
        }
    }

    @Test
    void shouldRefuseIdentityVersionOtherThan0Or1() throws Exception {
        try (TlsPsk configured = TlsPsk.of(TlsPskTest.KEY_32, Optional.empty())) {
            assertThrows(IllegalArgumentException.class,
                    () -> TlsPskDerivation.derive(configured, HOST, SUBSYS, 2, RFC_8446));
        }
    }

    private static void assertIdentity(String configuredText, HkdfLabelEncoding encoding, String expected)
            throws Exception {
        try (TlsPsk configured = TlsPsk.parse(configuredText);
                DerivedTlsPsk derived = TlsPskDerivation.derive(configured, HOST, SUBSYS, 1, encoding)) {
            assertEquals(expected, derived.identity().text());
        }
    }

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[]... parts) {
        byte[] out = new byte[0];
        for (byte[] part : parts) {
            out = TlsPskTest.concat(out, part);
        }
        return out;
    }
}
