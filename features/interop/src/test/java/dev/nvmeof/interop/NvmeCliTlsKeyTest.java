package dev.nvmeof.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our shell's {@code nvme gen-tls-key} and {@code check-tls-key} beside nvme-cli's ({@code /usr/sbin/nvme}, Debian's
 * nvme-cli 2.3 with libnvme 1.3, on this machine; no guest): the same check line byte for byte for the keys either
 * makes, and the same refusal of a corrupted key.
 */
@Tag("interop")
@ExtendWith(InteropExtension.class)
class NvmeCliTlsKeyTest {
    @TempDir
    static Path files;
    private static NvmeCliKeys nvmeCli;
    private static OurShell ours;

    @BeforeAll
    static void start() {
        nvmeCli = NvmeCliKeys.onThisMachine();
        ours = new OurShell(files);
    }

    @AfterAll
    static void stop() {
        if (ours != null) {
            ours.close();
        }
    }

    @ParameterizedTest(name = "HMAC {0}")
    @ValueSource(ints = {1, 2})
    void shouldPrintNvmeClisCheckLineForAKeyNvmeCliMade(int hmac) throws Exception {
        String key = succeeded("nvme gen-tls-key --hmac=" + hmac).strip();

        String theirs = succeeded("nvme check-tls-key --key=" + key);

        assertTrue(theirs.startsWith("Key is valid (HMAC " + hmac + ", length " + (hmac == 1 ? 32 : 48)), theirs);
        assertEquals(theirs, ours.run("nvme check-tls-key --key=" + key));
    }

    @ParameterizedTest(name = "HMAC {0}, {1} bytes")
    @CsvSource({"1, 32", "2, 48"})
    void shouldMakeFromAFixedSecretAKeyNvmeCliReadsAsWeDo(int hmac, int length) throws Exception {
        String secret = hex(length);
        String key = ours.run("nvme gen-tls-key --hmac=" + hmac + " --secret=" + secret).strip();

        QemuGuest.ExecResult made = nvmeCli.run("nvme gen-tls-key --hmac=" + hmac + " --secret=" + secret);
        if (made.succeeded()) {
            assertEquals(made.output().strip(), key, "a later nvme-cli, whose --secret works");
        } else {
            // nvme-cli 2.3 counts hex digits against the key length in bytes: it takes half the secret, then refuses.
            assertTrue(made.output().contains("Invalid key length (" + length / 2 + " bytes)"), made.output());
        }
        assertEquals(succeeded("nvme check-tls-key --key=" + key), ours.run("nvme check-tls-key --key=" + key));
    }

    @Test
    void shouldRefuseAKeyWithABadCrcAsNvmeCliDoes() throws Exception {
        String key = succeeded("nvme gen-tls-key --hmac=1").strip();
        int first = "NVMeTLSkey-1:01:".length();
        String corrupted = key.substring(0, first) + (key.charAt(first) == 'A' ? 'B' : 'A')
                + key.substring(first + 1);

        QemuGuest.ExecResult theirs = nvmeCli.run("nvme check-tls-key --key=" + corrupted);
        RuntimeException refused = assertThrows(RuntimeException.class,
                () -> ours.run("nvme check-tls-key --key=" + corrupted));

        assertFalse(theirs.succeeded(), theirs.output());
        assertTrue(theirs.output().contains("CRC mismatch"), theirs.output());
        assertTrue(refused.getMessage().contains("CRC-32"), refused.getMessage());
        assertFalse(refused.getMessage().contains(corrupted.substring(first, first + 20)), refused.getMessage());
    }

    private static String succeeded(String commandLine) {
        QemuGuest.ExecResult result = nvmeCli.run(commandLine);
        assertEquals(0, result.exitStatus(), () -> commandLine + ": " + result.output());
        return result.output();
    }

    private static String hex(int bytes) {
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < bytes; i++) {
            hex.append(String.format("%02x", i));
        }
        return hex.toString();
    }
}
