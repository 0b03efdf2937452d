package dev.nvmeof.appliance.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.nvmeof.appliance.target.ApplianceConfig.Listener;
import dev.nvmeof.protocol.auth.DhGroup;
import dev.nvmeof.protocol.auth.DhchapHash;
import dev.nvmeof.target.ListenerSecurity.Tls;
import dev.nvmeof.target.NamespaceConfig;
import dev.nvmeof.target.SubsystemConfig;
import dev.nvmeof.target.TargetOptions;

class ApplianceConfigTest {
    @TempDir
    Path dir;

    @Test
    void shouldDefaultToTestnqnWithOneRamNamespaceOnBothWellKnownPorts() throws Exception {
        ApplianceConfig config = ApplianceConfig.parse();
        assertEquals(List.of(plain("127.0.0.1", 4420), plain("127.0.0.1", 8009)), config.listeners());
        assertEquals(SecurityOptions.NONE, config.security());
        assertEquals("testnqn", config.nqn());
        assertEquals(List.of(NamespaceConfig.ram(1, 256L << 20, 512)), config.namespaces());
        SubsystemConfig subsystem = config.subsystem();
        assertTrue(subsystem.allowAnyHost());
        assertEquals(SubsystemConfig.DEFAULT_MAX_IO_QUEUES, subsystem.maxIoQueues());
    }

    @Test
    void shouldNumberNamespacesInTheOrderGiven() throws Exception {
        ApplianceConfig config = ApplianceConfig.parse("--file-namespace", "/tmp/a:b.img:1G", "--ram-namespace=64K",
                "--file-namespace", "rel.img:8M", "--block-size", "4096");
        assertEquals(3, config.namespaces().size());
        assertEquals(NamespaceConfig.file(1, Path.of("/tmp/a:b.img"), 1L << 30, 4096), config.namespaces().get(0));
        assertEquals(NamespaceConfig.ram(2, 64 << 10, 4096), config.namespaces().get(1));
        NamespaceConfig third = config.namespaces().get(2);
        assertEquals(3, third.nsid());
        assertEquals(Path.of("rel.img").toAbsolutePath(), third.file());
    }

    @Test
    void shouldRestrictHostsAndQueues() throws Exception {
        SubsystemConfig subsystem = ApplianceConfig.parse("--allow-host", "h1", "--allow-host", "h2",
                "--max-io-queues", "4", "--listen", "[::1]:0").subsystem();
        assertFalse(subsystem.allowAnyHost());
        assertEquals(Set.of("h1", "h2"), subsystem.allowedHosts());
        assertEquals(4, subsystem.maxIoQueues());
    }

    @Test
    void shouldTakeTheResourceCapsAndDefaultToTheTargetsOwn() throws Exception {
        assertEquals(ApplianceConfig.Caps.DEFAULTS, ApplianceConfig.parse().caps());
        assertEquals(new ApplianceConfig.Caps(4096, 1024, 1024, 1 << 20), ApplianceConfig.Caps.DEFAULTS);
        ApplianceConfig config = ApplianceConfig.parse("--max-connections", "100", "--max-connections-per-address",
                "10", "--max-controllers=5", "--max-transfer-size", "4M");
        assertEquals(new ApplianceConfig.Caps(100, 10, 5, 4 << 20), config.caps());
        TargetOptions options = config.caps().applyTo(TargetOptions.defaults());
        assertEquals(100, options.maxConnections());
        assertEquals(10, options.maxConnectionsPerAddress());
        assertEquals(5, options.maxControllers());
        assertEquals(10, options.mdts(), "4 MiB in 4 KiB pages");
    }

    @Test
    void shouldReadAPropertiesFileThatArgumentsOverride() throws Exception {
        Path file = dir.resolve("target.properties");
        Files.writeString(file, String.join("\n",
                "listen = 127.0.0.1:5000, 127.0.0.1:5001",
                "nqn = fromfile",
                "ram-namespace = 1M, 2M",
                "file-namespace = " + dir.resolve("x.img") + ":4M",
                "event-loops = 3",
                "block-size = 4096"));
        ApplianceConfig config = ApplianceConfig.parse("--config", file.toString(), "--nqn", "fromargs");
        assertEquals(2, config.listeners().size());
        assertEquals("fromargs", config.nqn());
        assertEquals(3, config.eventLoops());
        assertEquals(List.of(1L << 20, 2L << 20, 4L << 20),
                config.namespaces().stream().map(NamespaceConfig::sizeBytes).toList());
        assertNull(config.namespaces().get(1).file());
        assertEquals(4096, config.namespaces().get(2).blockSize());

        ApplianceConfig replaced = ApplianceConfig.parse("--config", file.toString(), "--ram-namespace", "8M");
        assertEquals(List.of(NamespaceConfig.ram(1, 8 << 20, 4096)), replaced.namespaces());
    }

    @Test
    void shouldTakeTlsListenersAsNvmetPortsWithAddrTreqRequiredOrNot() throws Exception {
        ApplianceConfig config = ApplianceConfig.parse("--tls-allowed-listen", "127.0.0.1:7", "--listen",
                "127.0.0.1:5", "--tls-listen=127.0.0.1:6", "--tls-listen", "[::1]:0", "--tls-keyring", "keys");
        assertEquals(List.of(plain("127.0.0.1", 5), new Listener(new InetSocketAddress("127.0.0.1", 6), Tls.REQUIRED),
                new Listener(new InetSocketAddress("::1", 0), Tls.REQUIRED),
                new Listener(new InetSocketAddress("127.0.0.1", 7), Tls.ALLOWED)), config.listeners());
        assertEquals(new SecurityOptions(Path.of("keys"), null, false), config.security());
    }

    @Test
    void shouldListenOnlyOverTlsWhenOnlyTlsListenersAreGiven() throws Exception {
        ApplianceConfig config = ApplianceConfig.parse("--tls-listen", "127.0.0.1:0", "--tls-keyring", "keys");
        assertEquals(List.of(new Listener(new InetSocketAddress("127.0.0.1", 0), Tls.REQUIRED)), config.listeners(),
                "no default plain listener next to it");
    }

    @Test
    void shouldTakeTheDhchapHashesAndGroupsInTheOrderGivenByAnyOfTheirNames() throws Exception {
        ApplianceConfig config = ApplianceConfig.parse("--dhchap-keyring", "secrets", "--dhchap-hashes",
                "hmac(sha384),SHA-512,sha384", "--dhchap-groups", "ffdhe4096, NULL");
        assertEquals(new SecurityOptions(null, Path.of("secrets"), false, List.of(DhchapHash.SHA_384,
                DhchapHash.SHA_512), List.of(DhGroup.FFDHE4096, DhGroup.NULL)), config.security());

        Path file = dir.resolve("dhchap.properties");
        Files.writeString(file, "dhchap-keyring = secrets\ndhchap-groups = ffdhe2048,ffdhe3072\n");
        assertEquals(List.of(DhGroup.FFDHE2048, DhGroup.FFDHE3072),
                ApplianceConfig.parse("--config", file.toString()).security().dhchapGroups());
        assertEquals(List.of(), ApplianceConfig.parse("--dhchap-keyring", "s").security().dhchapHashes(),
                "the subsystem's default");
    }

    @Test
    void shouldTakeDhchapRequiredAsAFlagThatNeverTakesTheNextArgument() throws Exception {
        ApplianceConfig config = ApplianceConfig.parse("--dhchap-keyring", "secrets", "--dhchap-required", "--nqn",
                "x");
        assertEquals(new SecurityOptions(null, Path.of("secrets"), true), config.security());
        assertEquals("x", config.nqn());
        assertFalse(ApplianceConfig.parse("--dhchap-keyring", "s").security().dhchapRequired());
        assertFalse(ApplianceConfig.parse("--dhchap-required=false").security().dhchapRequired(),
                "false needs no keyring");
    }

    @Test
    void shouldReadTheSecurityKeysFromAPropertiesFileThatArgumentsOverride() throws Exception {
        Path file = dir.resolve("target.properties");
        Files.writeString(file, String.join("\n",
                "listen = 127.0.0.1:5000",
                "tls-listen = 127.0.0.1:5001, 127.0.0.1:5002",
                "tls-allowed-listen = 127.0.0.1:5003",
                "tls-keyring = /etc/nvme/tls-keys",
                "dhchap-keyring = /etc/nvme/dhchap-keys",
                "dhchap-required = true"));
        ApplianceConfig config = ApplianceConfig.parse("--config", file.toString());
        assertEquals(List.of(Tls.NONE, Tls.REQUIRED, Tls.REQUIRED, Tls.ALLOWED),
                config.listeners().stream().map(Listener::tls).toList());
        assertEquals(new SecurityOptions(Path.of("/etc/nvme/tls-keys"), Path.of("/etc/nvme/dhchap-keys"), true),
                config.security());

        ApplianceConfig overridden = ApplianceConfig.parse("--config", file.toString(), "--dhchap-required=false",
                "--tls-keyring", "other-keys");
        assertEquals(new SecurityOptions(Path.of("other-keys"), Path.of("/etc/nvme/dhchap-keys"), false),
                overridden.security());
    }

    @Test
    void shouldNameASecurityOptionThatIsMissingOrDoesNothing() throws Exception {
        assertMessage("--tls-listen needs a TLS keyring: --tls-keyring FILE", "--tls-listen", "127.0.0.1:0");
        assertMessage("--tls-allowed-listen needs a TLS keyring: --tls-keyring FILE", "--listen", "127.0.0.1:0",
                "--tls-allowed-listen", "127.0.0.1:0");
        assertMessage("--tls-keyring: no TLS listener uses it (--tls-listen or --tls-allowed-listen)",
                "--listen", "127.0.0.1:0", "--tls-keyring", "keys");
        assertMessage("--tls-keyring: a file name is needed", "--tls-listen", "127.0.0.1:0", "--tls-keyring=");
        assertMessage("--tls-listen: expected HOST:PORT", "--tls-listen", "127.0.0.1", "--tls-keyring", "keys");
        assertMessage("--dhchap-required needs --dhchap-keyring FILE", "--dhchap-required");
        assertMessage("--dhchap-required: expected true or false, was 'yes'", "--dhchap-required=yes");
        assertMessage("unexpected argument 'yes'", "--dhchap-keyring", "s", "--dhchap-required", "yes");
        assertMessage("--dhchap-groups needs --dhchap-keyring FILE", "--dhchap-groups", "ffdhe2048");
        assertMessage("--dhchap-hashes: unknown DH-HMAC-CHAP hash 'md5': expected one or more of sha256, sha384,"
                + " sha512", "--dhchap-keyring", "s", "--dhchap-hashes", "sha256,md5");
        assertMessage("--dhchap-groups: unknown DH-HMAC-CHAP DH group 'ffdhe1024': expected one or more of null,"
                + " ffdhe2048, ffdhe3072, ffdhe4096, ffdhe6144, ffdhe8192", "--dhchap-keyring", "s",
                "--dhchap-groups", "ffdhe1024");
        assertMessage("--dhchap-groups: no DH-HMAC-CHAP DH group given: expected one or more of null, ffdhe2048,"
                + " ffdhe3072, ffdhe4096, ffdhe6144, ffdhe8192", "--dhchap-keyring", "s", "--dhchap-groups", ",");
        assertMessage("--tls-keyring needs a value", "--tls-listen", "127.0.0.1:0", "--tls-keyring");

        Path file = dir.resolve("tls.properties");
        Files.writeString(file, "tls-listen = 127.0.0.1:0\n");
        assertMessage("'tls-listen' in " + file + " needs a TLS keyring: --tls-keyring FILE", "--config",
                file.toString());
    }

    @Test
    void shouldParseSizesWithBinarySuffixes() throws Exception {
        assertEquals(4096, ApplianceConfig.size("x", "4096"));
        assertEquals(256L << 20, ApplianceConfig.size("x", "256M"));
        assertEquals(2L << 30, ApplianceConfig.size("x", "2g"));
        assertEquals(64L << 10, ApplianceConfig.size("x", "64KiB"));
        assertEquals("256 MiB", ApplianceConfig.human(256L << 20));
        assertEquals("1536 KiB", ApplianceConfig.human(1536L << 10));
        assertEquals("1000 bytes", ApplianceConfig.human(1000));
    }

    @Test
    void shouldNameWhatIsWrong() {
        assertMessage("unknown option --size", "--size", "1G");
        assertMessage("unexpected argument 'testnqn'", "testnqn");
        assertMessage("--event-loops: must be 1..1024, was 0", "--event-loops", "0");
        assertMessage("--file-namespace: expected PATH:SIZE", "--file-namespace", "disk.img");
        assertMessage("--ram-namespace: size must be positive", "--ram-namespace", "0");
        assertMessage("--listen: unknown host", "--listen", "no-such-host.invalid:4420");
        assertMessage("--config: no such file", "--config", dir.resolve("missing").toString());
        assertMessage("--max-connections: must be 1..", "--max-connections", "0");
        assertMessage("--max-controllers: must be 1..65519, was 70000", "--max-controllers", "70000");
        assertMessage("--max-connections-per-address: not a number", "--max-connections-per-address", "many");
        assertMessage("--max-transfer-size: must be a power of two", "--max-transfer-size", "3M");
        assertMessage("--max-transfer-size: must be a power of two", "--max-transfer-size", "4K");
    }

    @Test
    void shouldShowInfoRecordsWithVAndDebugRecordsWithVv() throws Exception {
        assertEquals(0, ApplianceConfig.parse().verbosity());
        assertEquals(1, ApplianceConfig.parse("-v", "--nqn", "x").verbosity());
        assertEquals(2, ApplianceConfig.parse("--nqn", "x", "-vv").verbosity());
        assertMessage("unexpected argument '-vvv'", "-vvv");
    }

    private static Listener plain(String host, int port) {
        return new Listener(new InetSocketAddress(host, port), Tls.NONE);
    }

    private static void assertMessage(String expected, String... args) {
        String message = assertThrows(ApplianceConfig.UsageException.class, () -> ApplianceConfig.parse(args))
                .getMessage();
        assertTrue(message.startsWith(expected), message);
    }
}
