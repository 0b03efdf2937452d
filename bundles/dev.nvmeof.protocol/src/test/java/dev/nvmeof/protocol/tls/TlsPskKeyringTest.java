package dev.nvmeof.protocol.tls;

import static dev.nvmeof.protocol.tls.HkdfLabelEncoding.RFC_8446;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Identities and TLS PSKs as in {@link TlsPskDerivationTest} (libnvme test/psk.c, derive_tls_vectors.py). */
class TlsPskKeyringTest {

    static final String HOST = TlsPskDerivationTest.HOST;
    static final String SUBSYS = TlsPskDerivationTest.SUBSYS;
    static final String IDENTITY_V1 =
            "NVMe1R01 nqn.psk-test-host nqn.psk-test-subsys iSbjiStwJ/1TrTvDlt2fjFmzvsytOJelidNnA+X5lEU=";

    @TempDir
    Path dir;

    @Test
    void shouldDeriveTheTlsPskWhenTheTargetLooksUpAnOfferedIdentity() throws Exception {
        try (TlsPskKeyring keyring = TlsPskKeyring.read(keyring("# host subsystem key\n\n" + HOST + " " + SUBSYS
                + " " + TlsPskTest.LIBNVME_01 + "\n" + HOST + " nqn.other " + TlsPskTest.LIBNVME_02 + "\n"))) {
            assertEquals(2, keyring.size());
            try (DerivedTlsPsk derived = keyring.derive(IDENTITY_V1, RFC_8446).orElseThrow()) {
                assertArrayEquals(HexFormat.of().parseHex(
                        "8fc3c0badfd4c0c66fa3ca33aadd0314f85536cc9bc47338b60f3e6e563786ca"), derived.keyBytes());
            }
            try (DerivedTlsPsk derived = keyring.derive("NVMe0R01 " + HOST + " " + SUBSYS, RFC_8446)
                    .orElseThrow()) {
                assertArrayEquals(HexFormat.of().parseHex(
                        "05c6503551ad136e6ee32e6eeb3f6d500b69701d84ec71e328f65c7f51566f68"), derived.keyBytes());
            }
            assertTrue(keyring.configured(HOST, "nqn.other").isPresent());
            assertFalse(keyring.toString().contains("NVMeTLSkey"));
        }
    }

    @Test
    void shouldFindNoPskWhenIdentityIsUnknownOrDigestOrHashDiffer() throws Exception {
        try (TlsPskKeyring keyring = TlsPskKeyring.read(keyring(HOST + " " + SUBSYS + " " + TlsPskTest.LIBNVME_01))) {
            assertEquals(Optional.empty(), keyring.derive("NVMe0R01 nqn.stranger " + SUBSYS, RFC_8446));
            assertEquals(Optional.empty(), keyring.derive(IDENTITY_V1.replace("iSbj", "iSbk"), RFC_8446),
                    "a digest of another key");
            assertEquals(Optional.empty(), keyring.derive("NVMe0R02 " + HOST + " " + SUBSYS, RFC_8446),
                    "a SHA-384 identity for a SHA-256 key");
            assertThrows(TlsPskFormatException.class, () -> keyring.derive("NVMe2R01 a b", RFC_8446));
            assertThrows(TlsPskFormatException.class, () -> keyring.derive("NVMe1R01 " + HOST + " " + SUBSYS,
                    RFC_8446), "version 1 without digest");
        }
    }

    @Test
    void shouldRefuseKeyringOpenToOthers() throws Exception {
        Path file = keyring(HOST + " " + SUBSYS + " " + TlsPskTest.LIBNVME_01);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        IOException e = assertThrows(IOException.class, () -> TlsPskKeyring.read(file));
        assertTrue(e.getMessage().contains("open to others"), e.getMessage());
    }

    @Test
    void shouldNameLineWithoutEchoingKeyWhenMalformed() throws Exception {
        String corrupted = TlsPskTest.LIBNVME_01.replace("VRLb", "VRLc");
        String[][] cases = {
            {HOST + " " + TlsPskTest.LIBNVME_01, "line 2: expected '<host NQN> <subsystem NQN>"},
            {HOST + " " + SUBSYS + " " + corrupted, "line 2 (host " + HOST + "): the CRC-32"},
            {HOST + " " + SUBSYS + " " + TlsPskTest.LIBNVME_01 + "\n" + HOST + " " + SUBSYS + " "
                    + TlsPskTest.LIBNVME_02, "line 3: host " + HOST + " and subsystem " + SUBSYS + " are listed"},
        };
        for (String[] c : cases) {
            Path file = keyring("# keys\n" + c[0] + "\n");
            IOException e = assertThrows(IOException.class, () -> TlsPskKeyring.read(file));
            assertTrue(e.getMessage().contains(c[1]), e.getMessage());
            assertFalse(e.getMessage().contains("tnN9AQb2"), "the message shows the key: " + e.getMessage());
            Files.delete(file);
        }
    }

    @Test
    void shouldZeroEveryKeyWhenClosed() throws Exception {
        TlsPskKeyring keyring = TlsPskKeyring.read(keyring(HOST + " " + SUBSYS + " " + TlsPskTest.LIBNVME_01));
        TlsPsk psk = keyring.configured(HOST, SUBSYS).orElseThrow();
        keyring.close();
        assertTrue(psk.isDestroyed());
        assertArrayEquals(new byte[32], psk.keyArray());
    }

    @Test
    void shouldParseIdentityItBuilds() throws Exception {
        PskIdentity parsed = PskIdentity.parse(IDENTITY_V1);
        assertEquals(1, parsed.version());
        assertEquals(TlsPskHash.SHA_256, parsed.hash());
        assertEquals(HOST, parsed.hostNqn());
        assertEquals(IDENTITY_V1, parsed.text());
        assertEquals(PskIdentity.version0(TlsPskHash.SHA_384, HOST, SUBSYS),
                PskIdentity.parse("NVMe0R02 " + HOST + " " + SUBSYS));
        for (String bad : new String[] {"NVMe0R00 a b", "NVMe0R03 a b", "NVMeXR01 a b", "NVMe0R01 a  b",
            "NVMe0R01 a b c", "nvme0r01 a b", ""}) {
            assertThrows(TlsPskFormatException.class, () -> PskIdentity.parse(bad), bad);
        }
    }

    private Path keyring(String content) throws IOException {
        Path file = dir.resolve("tls.keys");
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }
}
