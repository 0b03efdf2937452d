package dev.nvmeof.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A subsystem's DH-HMAC-CHAP secrets read from a keyring file: its format, its permissions, its errors. */
class SubsystemKeyringTest {
    /** nvme-cli 2.3: "gen-dhchap-key -s 000102..1f -m 0" and "gen-dhchap-key -l 48 -m 2". */
    private static final String SECRET = "DHHC-1:00:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh+KfiaR:";
    private static final String CONTROLLER_SECRET =
            "DHHC-1:02:iAHSlU3IeB0Rm+Z9uI9/60N0dUm4ERPM40cR+SR0B/u9JtbyxsRpjftJw0m1ZtsXwEGRuA==:";

    @TempDir
    Path folder;

    private Path keyring(String text, String mode) throws IOException {
        Path file = folder.resolve("dhchap.keys");
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    @Test
    void shouldReadEachHostsSecretsAndSkipCommentsAndBlankLines() throws IOException {
        Path file = keyring("# hosts of testnqn\n\nnqn.host:a " + SECRET + "\n  nqn.host:b\t" + SECRET + " "
                + CONTROLLER_SECRET + "\n", "rw-------");

        SubsystemAuthentication auth = SubsystemAuthentication.fromKeyring(file, true);

        assertTrue(auth.required());
        assertEquals(SECRET, auth.secrets("nqn.host:a").orElseThrow().hostSecret());
        assertEquals(null, auth.secrets("nqn.host:a").orElseThrow().controllerSecret());
        assertEquals(CONTROLLER_SECRET, auth.secrets("nqn.host:b").orElseThrow().controllerSecret());
        assertFalse(auth.toString().contains("AAECAwQF"), auth.toString());
    }

    @Test
    void shouldRefuseAKeyringOthersCanRead() throws IOException {
        Path file = keyring("nqn.host:a " + SECRET + "\n", "rw-r--r--");

        IOException e = assertThrows(IOException.class, () -> SubsystemAuthentication.fromKeyring(file, false));

        assertEquals("keyring " + file + " is open to others (rw-r--r--): it holds secrets; chmod 600 it",
                e.getMessage());
    }

    @Test
    void shouldNameTheLineAndHostOfAMalformedSecretButNotTheSecret() throws IOException {
        String corrupt = SECRET.replace("KfiaR", "KfiaS");
        Path file = keyring("nqn.host:a " + SECRET + "\nnqn.host:b " + corrupt + "\n", "rw-------");

        IOException e = assertThrows(IOException.class, () -> SubsystemAuthentication.fromKeyring(file, false));

        assertTrue(e.getMessage().startsWith("keyring " + file + " line 2 (host nqn.host:b): host secret: "),
                e.getMessage());
        assertTrue(e.getMessage().contains("CRC-32"), e.getMessage());
        assertFalse(e.getMessage().contains("AAECAwQF"), e.getMessage());
    }

    @Test
    void shouldRefuseLinesWithTooFewOrTooManyFieldsAndHostsListedTwice() throws IOException {
        Path lonely = keyring("nqn.host:a\n", "rw-------");
        assertEquals("keyring " + lonely + " line 1: expected '<host NQN> <secret> [<controller secret>]', found 1"
                + " field(s)", assertThrows(IOException.class,
                        () -> SubsystemAuthentication.fromKeyring(lonely, false)).getMessage());

        Path twice = keyring("nqn.host:a " + SECRET + "\nnqn.host:a " + SECRET + "\n", "rw-------");
        assertEquals("keyring " + twice + " line 2: host nqn.host:a is listed twice", assertThrows(IOException.class,
                () -> SubsystemAuthentication.fromKeyring(twice, false)).getMessage());
    }
}
