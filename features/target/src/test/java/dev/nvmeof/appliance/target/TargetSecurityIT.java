package dev.nvmeof.appliance.target;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.nvmeof.api.BlockDevice;
import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.ControllerState;
import dev.nvmeof.api.HostIdentity;
import dev.nvmeof.api.NvmeController;
import dev.nvmeof.api.NvmeStatusException;
import dev.nvmeof.host.EmbeddedNvmeHost;
import dev.nvmeof.protocol.CommandSpecificStatus;
import dev.nvmeof.protocol.ConnectDataFlyweight;
import dev.nvmeof.protocol.auth.DhchapHash;
import dev.nvmeof.protocol.auth.DhchapSecret;
import dev.nvmeof.protocol.tls.TlsPsk;
import dev.nvmeof.protocol.tls.TlsPskHash;
import dev.nvmeof.testkit.ApplianceProcess;
import dev.nvmeof.testkit.NvmeTcpTestClient;
import dev.nvmeof.transport.tcp.TcpTransportRuntime;

/**
 * The packaged jar with its secrets, from outside: a TLS-only listener refuses a plain NVMe/TCP host and serves our
 * host over TLS with the PSK from its keyring (a listener that allows TLS serves both); with a DH-HMAC-CHAP keyring
 * and {@code --dhchap-required} our host authenticates, a wrong secret fails and a host without one is refused; a
 * keyring open to others stops the start with status 1. Nothing the jar prints or logs holds a key. Loopback and
 * ephemeral ports only.
 */
@Timeout(90) // a safety net: every wait below is bounded on its own
class TargetSecurityIT {
    private static final String NQN = "nqn.2024-01.dev.nvmeof:appliance-secure";
    private static final String HOST_NQN = "nqn.2024-01.dev.nvmeof:appliance-host";
    private static final Duration IO_TIMEOUT = Duration.ofSeconds(10);

    private final SecureRandom random = new SecureRandom();
    private final String tlsKey = TlsPsk.generate(TlsPskHash.SHA_256, random).format();
    private final String secret = DhchapSecret.generate(Optional.of(DhchapHash.SHA_256), 32, random).format();
    private final List<ApplianceProcess> processes = new ArrayList<>();
    private final List<String> shown = new ArrayList<>(); // exception messages, scanned with the jar's output
    private TcpTransportRuntime transport;
    private EmbeddedNvmeHost host;

    @TempDir
    Path dir;

    @BeforeEach
    void startHost() {
        transport = new TcpTransportRuntime(1);
        host = EmbeddedNvmeHost.start(HostIdentity.generate(), IO_TIMEOUT, transport);
    }

    @AfterEach
    void stop() {
        host.close();
        transport.close();
        processes.forEach(ApplianceProcess::close);
    }

    private ApplianceProcess start(String... args) throws IOException {
        ApplianceProcess p = ApplianceProcess.start(dir, List.of(), TargetApplianceIT.JAR.toAbsolutePath(), args);
        processes.add(p);
        return p;
    }

    /** A keyring file in its own folder, with {@code mode}. */
    private Path keyring(String name, String mode, String line) throws IOException {
        Path file = Files.createDirectories(dir.resolve("keys")).resolve(name);
        Files.writeString(file, "# " + name + "\n" + line + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    private static InetSocketAddress loopback(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    private NvmeController connect(int port, String extra) throws Exception {
        return host.connect(ConnectOptions.parse("transport=tcp,traddr=127.0.0.1,trsvcid=" + port + ",nqn=" + NQN
                + ",nr_io_queues=1" + extra));
    }

    @Test
    void shouldRefuseAPlainHostOnATlsListenerAndServeOurHostThereOverTls() throws Exception {
        int[] ports = ApplianceProcess.freePorts(2);
        int tls = ports[0];
        int either = ports[1];
        ApplianceProcess app = start("-vv", "--tls-listen", "127.0.0.1:" + tls, "--tls-allowed-listen",
                "127.0.0.1:" + either, "--tls-keyring", keyring("tls", "rw-------", HOST_NQN + " " + NQN + " "
                        + tlsKey).toString(), "--nqn", NQN, "--ram-namespace", "4M", "--event-loops", "1");
        app.awaitReady();
        assertEquals(List.of("listening on 127.0.0.1:" + tls + " (TLS required)",
                "listening on 127.0.0.1:" + either + " (TLS allowed)"),
                app.stdout.stream().filter(l -> l.startsWith("listening on ")).toList());

        IOException refused = assertThrows(IOException.class, () -> NvmeTcpTestClient.open(loopback(tls)));
        assertFalse(refused instanceof SocketTimeoutException, "closed at once, not left waiting: " + refused);
        app.awaitLine(app.stderr, 0, l -> l.contains("TLS from 127.0.0.1 refused: TLS handshake failed: the peer"
                + " does not speak TLS"), IO_TIMEOUT);
        try (NvmeTcpTestClient plain = NvmeTcpTestClient.open(loopback(either))) {
            assertTrue(plain.maxH2cData > 0, "ICResp on the listener that allows plain hosts");
        }

        NvmeController controller = connect(tls, ",hostnqn=" + HOST_NQN + ",tls_key=" + tlsKey);
        assertEquals(ControllerState.LIVE, controller.state());
        assertIoWorks(controller);
        app.awaitLine(app.stderr, 0, l -> l.contains("identity NVMe0R01 " + HOST_NQN + " " + NQN), IO_TIMEOUT);
        controller.disconnect();

        assertEquals(TargetMain.EXIT_OK, app.terminate(), "stderr " + app.stderr);
        assertNoKeyIn(app, tlsKey);
    }

    @Test
    void shouldAuthenticateOurHostWithDhchapAndRefuseAWrongSecretAndAHostWithoutOne() throws Exception {
        int port = ApplianceProcess.freePort();
        ApplianceProcess app = start("--listen", "127.0.0.1:" + port, "--dhchap-keyring",
                keyring("dhchap", "rw-------", HOST_NQN + " " + secret).toString(), "--dhchap-required",
                "--dhchap-hashes", "hmac(sha384)", "--dhchap-groups", "ffdhe3072,null", "-v", "--nqn", NQN,
                "--ram-namespace", "4M", "--event-loops", "1");
        app.awaitReady();
        assertTrue(app.stdout.contains("subsystem " + NQN + ": any host, DH-HMAC-CHAP for 1 host (required: no other"
                + " host may connect) with SHA-384 and ffdhe3072/null, up to 128 I/O queues per controller"),
                "stdout " + app.stdout);

        NvmeController controller = connect(port, ",hostnqn=" + HOST_NQN + ",dhchap_secret=" + secret);
        assertEquals(ControllerState.LIVE, controller.state());
        // Our host offers every hash and group, SHA-256 and null first: the target's order of preference chose.
        app.awaitLine(app.stderr, 0, l -> l.contains("authenticated queue 0 of " + HOST_NQN + " on " + NQN
                + " with SHA-384 and ffdhe3072"), IO_TIMEOUT);
        assertIoWorks(controller);
        controller.disconnect();

        String wrong = DhchapSecret.generate(Optional.of(DhchapHash.SHA_256), 32, random).format();
        NvmeStatusException failed = assertThrows(NvmeStatusException.class,
                () -> connect(port, ",hostnqn=" + HOST_NQN + ",dhchap_secret=" + wrong));
        shown.add(failed.getMessage());
        assertTrue(failed.status().is(CommandSpecificStatus.AUTHENTICATION_REQUIRED), failed.status().toString());

        try (NvmeTcpTestClient other = NvmeTcpTestClient.open(loopback(port))) { // another host NQN, no secret
            NvmeTcpTestClient.Completion connect = other.connect(NQN, 0, ConnectDataFlyweight.CNTLID_DYNAMIC, 31, 0);
            assertEquals(1, connect.sct(), "command specific");
            assertEquals(CommandSpecificStatus.CONNECT_INVALID_HOST.code(), connect.sc());
        }

        assertEquals(TargetMain.EXIT_OK, app.terminate(), "stderr " + app.stderr);
        assertNoKeyIn(app, secret);
        assertNoKeyIn(app, wrong);
    }

    @ParameterizedTest
    @ValueSource(strings = {"--tls-keyring", "--dhchap-keyring"})
    void shouldExitWithStatus1NamingAKeyringOpenToOthersWithoutItsKey(String option) throws Exception {
        boolean tls = option.equals("--tls-keyring");
        String key = tls ? tlsKey : secret;
        Path file = keyring("open", "rw-r--r--", HOST_NQN + (tls ? " " + NQN + " " : " ") + key);
        ApplianceProcess app = start(tls ? "--tls-listen" : "--listen", "127.0.0.1:0", option, file.toString(),
                "--nqn", NQN, "--event-loops", "1");

        assertEquals(TargetMain.EXIT_FAILED, app.awaitExit());
        assertEquals(List.of(), app.stdout, "nothing served");
        assertEquals(1, app.stderr.size(), "one line: " + app.stderr);
        assertTrue(app.stderr.get(0).startsWith("nvmeof-target: "), app.stderr.get(0));
        assertTrue(app.stderr.get(0).contains(file + " is open to others (rw-r--r--)"), app.stderr.get(0));
        assertNoKeyIn(app, key);
    }

    private static void assertIoWorks(NvmeController controller) throws Exception {
        BlockDevice device = controller.namespaces().get(0).device();
        byte[] data = new byte[64 * 1024];
        new Random(7).nextBytes(data);
        device.write(16, ByteBuffer.wrap(data), false).get(IO_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        ByteBuffer back = ByteBuffer.allocate(data.length);
        device.read(16, back).get(IO_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertArrayEquals(data, back.array());
    }

    /** The key's base64 part appears nowhere the jar writes (stdout, stderr, its log file) nor in a message here. */
    private void assertNoKeyIn(ApplianceProcess app, String key) throws IOException {
        String base64 = key.substring(key.indexOf(':', key.indexOf(':') + 1) + 1, key.length() - 1);
        assertTrue(base64.length() >= 32, "a key to look for: " + base64.length() + " characters");
        List<String> lines = new ArrayList<>(app.stdout);
        lines.addAll(app.stderr);
        lines.addAll(shown);
        Path log = dir.resolve("log/target.log");
        if (Files.exists(log)) {
            lines.addAll(Files.readAllLines(log));
        }
        assertFalse(lines.isEmpty(), "the scan needs something to scan");
        for (String line : lines) {
            assertFalse(line.contains(base64), "a key in: " + line);
        }
    }
}
