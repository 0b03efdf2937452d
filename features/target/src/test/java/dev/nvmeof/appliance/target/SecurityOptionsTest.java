package dev.nvmeof.appliance.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.nvmeof.appliance.target.SecurityOptions.KeyringException;
import dev.nvmeof.protocol.auth.DhGroup;
import dev.nvmeof.protocol.auth.DhchapHash;
import dev.nvmeof.protocol.auth.DhchapPolicy;
import dev.nvmeof.protocol.auth.DhchapSecret;
import dev.nvmeof.protocol.tls.TlsPsk;
import dev.nvmeof.protocol.tls.TlsPskHash;
import dev.nvmeof.protocol.tls.TlsPskKeyring;
import dev.nvmeof.target.SubsystemAuthentication;

/** Reading the keyrings the options name: what a start reports when one cannot be used, never with a key in it. */
class SecurityOptionsTest {
    private static final String HOST = "nqn.2024-01.dev.nvmeof:host-a";
    private final SecureRandom random = new SecureRandom();
    private final String tlsKey = TlsPsk.generate(TlsPskHash.SHA_256, random).format();
    private final String secret = DhchapSecret.generate(Optional.of(DhchapHash.SHA_256), 32, random).format();

    @TempDir
    Path dir;

    private Path file(String name, String mode, String... lines) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, List.of(lines));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    @Test
    void shouldReadBothKeyringsWhenOnlyTheirOwnerMayReadThem() throws Exception {
        SecurityOptions options = new SecurityOptions(file("tls", "rw-------", HOST + " testnqn " + tlsKey),
                file("dhchap", "r--------", "# hosts", HOST + " " + secret), true);
        try (TlsPskKeyring keyring = options.readTlsKeyring()) {
            assertTrue(keyring.configured(HOST, "testnqn").isPresent());
        }
        SubsystemAuthentication authentication = options.readAuthentication();
        assertTrue(authentication.required());
        assertEquals(Set.of(HOST), authentication.hosts().keySet());
    }

    @Test
    void shouldGiveTheSubsystemTheHashesAndGroupsAskedForOrItsDefaults() throws Exception {
        Path keys = file("dhchap", "rw-------", HOST + " " + secret);
        SubsystemAuthentication chosen = new SecurityOptions(null, keys, false, List.of(DhchapHash.SHA_384),
                List.of(DhGroup.FFDHE3072, DhGroup.NULL)).readAuthentication();
        assertEquals(List.of(DhchapHash.SHA_384), chosen.hashes());
        assertEquals(List.of(DhGroup.FFDHE3072, DhGroup.NULL), chosen.groups());

        SubsystemAuthentication defaults = new SecurityOptions(null, keys, false).readAuthentication();
        assertEquals(DhchapPolicy.STRONGEST_HASHES_FIRST, defaults.hashes());
        assertEquals(DhchapPolicy.STRONGEST_GROUPS_FIRST, defaults.groups());
    }

    @Test
    void shouldReadNothingWithoutKeyrings() throws Exception {
        assertNull(SecurityOptions.NONE.readTlsKeyring());
        assertEquals(SubsystemAuthentication.NONE, SecurityOptions.NONE.readAuthentication());
    }

    @Test
    void shouldRefuseATlsKeyringOpenToOthersNamingItAndNotItsKey() throws Exception {
        Path keys = file("tls", "rw-r--r--", HOST + " testnqn " + tlsKey);
        String message = assertThrows(KeyringException.class,
                () -> new SecurityOptions(keys, null, false).readTlsKeyring()).getMessage();
        assertEquals("TLS keyring " + keys + " is open to others (rw-r--r--): it holds secrets; chmod 600 it",
                message);
    }

    @Test
    void shouldRefuseADhchapKeyringOpenToOthersNamingItAndNotItsSecret() throws Exception {
        Path keys = file("dhchap", "rw-rw----", HOST + " " + secret);
        String message = assertThrows(KeyringException.class,
                () -> new SecurityOptions(null, keys, false).readAuthentication()).getMessage();
        assertTrue(message.startsWith("keyring " + keys + " is open to others (rw-rw----)"), message);
        assertFalse(message.contains(secret.substring(10, 30)), message);
    }

    @Test
    void shouldSayAKeyringIsMissing() {
        Path missing = dir.resolve("missing");
        assertEquals("TLS keyring " + missing + ": no such file", assertThrows(KeyringException.class,
                () -> new SecurityOptions(missing, null, false).readTlsKeyring()).getMessage());
        assertEquals("DH-HMAC-CHAP keyring " + missing + ": no such file", assertThrows(KeyringException.class,
                () -> new SecurityOptions(null, missing, false).readAuthentication()).getMessage());
    }

    @Test
    void shouldNameAMalformedLineWithoutTheKeysOnIt() throws Exception {
        String truncated = tlsKey.substring(0, tlsKey.length() - 6) + ":"; // a key of the wrong length
        Path keys = file("tls", "rw-------", "# ok", HOST + " testnqn " + truncated);
        String message = assertThrows(KeyringException.class,
                () -> new SecurityOptions(keys, null, false).readTlsKeyring()).getMessage();
        assertTrue(message.startsWith("TLS keyring " + keys + " line 2 (host " + HOST + "): "), message);
        assertFalse(message.contains(truncated.substring(16, 30)), message);
    }
}
