package dev.nvmeof.appliance.target;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import dev.nvmeof.protocol.ConnectDataFlyweight;
import dev.nvmeof.protocol.ControllerProperty;
import dev.nvmeof.protocol.NvmCommands;
import dev.nvmeof.testkit.ApplianceProcess;
import dev.nvmeof.testkit.NvmeTcpTestClient;
import dev.nvmeof.testkit.NvmeTcpTestClient.Completion;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the packaged {@code nvmeof-target.jar} as a process (failsafe, after the package phase): it serves NVMe/TCP on
 * the addresses it reports, stops cleanly with status 0 on SIGTERM and frees its ports, keeps a file namespace's data
 * across a restart, and exits 2 on a bad argument and 1 on an address in use; its log records are one line each, in
 * log/target.log and (warnings, or more with -v) on stderr. Loopback and ephemeral ports only.
 */
@Timeout(60) // a safety net: every wait below is bounded on its own
class TargetApplianceIT {
    static final Path JAR = Path.of(System.getProperty("nvmeof.target.jar", "target/nvmeof-target.jar"));
    static final Duration LINE_TIMEOUT = Duration.ofSeconds(10);
    /** A record in log/target.log: time stamp, level padded to 5, logger: message. */
    static final String FILE_RECORD = "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}"
            + " (ERROR|WARN |INFO |DEBUG|TRACE) \\S+: .*";
    private final List<ApplianceProcess> processes = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void killLeftovers() {
        for (ApplianceProcess p : processes) {
            p.close();
        }
    }

    /** In {@link #dir}: its log/target.log is the test's own. */
    private ApplianceProcess start(String... args) throws IOException {
        ApplianceProcess p = ApplianceProcess.start(dir, List.of(), JAR.toAbsolutePath(), args);
        processes.add(p);
        return p;
    }

    private static InetSocketAddress loopback(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    /**
     * Admin queue Connect (dynamic controller, SQSIZE 31, no KATO), CC.EN = 1 and wait for CSTS.RDY, every command
     * required to succeed; returns the CNTLID.
     */
    private static int connectAdmin(NvmeTcpTestClient admin, String nqn) throws IOException {
        Completion connect = require(admin.connect(nqn, 0, ConnectDataFlyweight.CNTLID_DYNAMIC, 31, 0),
                "Connect qid 0");
        require(admin.propertySet(ControllerProperty.CC, 0x00460001), "Property Set CC");
        for (int i = 0; i < 100; i++) {
            if ((require(admin.propertyGet(ControllerProperty.CSTS), "Property Get CSTS").dw0() & 1) != 0) {
                return connect.dw0() & 0xFFFF;
            }
        }
        throw new IOException("CSTS.RDY did not come up");
    }

    /** I/O queue 1 Connect (SQSIZE 31, no KATO) for the controller the admin queue made, required to succeed. */
    private static void connectIo(NvmeTcpTestClient io, String nqn, int cntlid) throws IOException {
        require(io.connect(nqn, 1, cntlid, 31, 0), "Connect qid 1");
    }

    /** Write with the data in-capsule (it fits the client's in-capsule limit, so no R2T). */
    private static Completion write(NvmeTcpTestClient io, int nsid, long slba, int blocks, byte[] data)
            throws IOException {
        return io.command(sqe -> NvmCommands.write(sqe, 0, nsid, slba, blocks, false), ByteBuffer.wrap(data), null);
    }

    /** Read through C2HData, required to succeed; returns the data. */
    private static byte[] read(NvmeTcpTestClient io, int nsid, long slba, int blocks, int blockSize)
            throws IOException {
        ByteBuffer data = ByteBuffer.allocate(blocks * blockSize);
        require(io.command(sqe -> NvmCommands.read(sqe, 0, nsid, slba, blocks, false), null, data), "Read");
        return data.array();
    }

    /** True when the target closes the connection within the socket timeout; a C2HTermReq on the way fails. */
    private static boolean closedByTarget(NvmeTcpTestClient host) throws IOException {
        boolean closed = host.awaitClose();
        assertEquals(-1, host.termReqFes, "the target sent a C2HTermReq");
        return closed;
    }

    private static Completion require(Completion cqe, String what) throws IOException {
        if (!cqe.ok()) {
            throw new IOException(what + " failed: status 0x" + Integer.toHexString(cqe.status()));
        }
        return cqe;
    }

    @Test
    void shouldServeItsListenersAndStopCleanlyOnSigterm() throws Exception {
        int[] ports = ApplianceProcess.freePorts(2);
        int io = ports[0];
        int discovery = ports[1];
        ApplianceProcess app = start("--listen", "127.0.0.1:" + io, "--listen", "127.0.0.1:" + discovery,
                "--ram-namespace", "16M", "--event-loops", "2");
        app.awaitReady();
        assertEquals(List.of(
                "listening on 127.0.0.1:" + io,
                "listening on 127.0.0.1:" + discovery,
                "subsystem testnqn: any host, up to 128 I/O queues per controller",
                "limits: 4096 connections, 1024 per host address, 1024 controllers per subsystem, 1 MiB per command",
                "subsystem testnqn: namespace 1, 16 MiB RAM, 512-byte blocks",
                "ready"), app.stdout);

        try (NvmeTcpTestClient discoveryHost = NvmeTcpTestClient.open(loopback(discovery)); // ICReq/ICResp there
                NvmeTcpTestClient admin = NvmeTcpTestClient.open(loopback(io))) {
            assertTrue(connectAdmin(admin, "testnqn") > 0, "a controller ID");
            // SIGTERM with the hosts still connected: the target closes their connections on the way out.
            assertEquals(TargetMain.EXIT_OK, app.terminate(), "stderr " + app.stderr);
            assertTrue(closedByTarget(admin), "the admin connection is closed");
            assertTrue(closedByTarget(discoveryHost), "the discovery connection is closed");
        }
        assertTrue(app.stderr.contains("nvmeof-target: stopped"), "stderr " + app.stderr);
        for (int port : new int[] {io, discovery}) {
            try (ServerSocket again = new ServerSocket()) {
                again.setReuseAddress(true); // TIME_WAIT of the closed connections is fine; a listener is not
                again.bind(loopback(port));
            }
        }
    }

    @Test
    void shouldCarryTheTlsChannelAndBouncyCastleInTheJar() throws Exception {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            assertEquals("true", jar.getManifest().getMainAttributes().getValue("Multi-Release"),
                    "BouncyCastle's Java 9+ classes are under META-INF/versions");
        }
        // From the jar alone (not this test's class path), initialized: a BouncyCastle signature left in the merged
        // jar would fail the load; TlsChannel's initializer creates bctls' JCA crypto.
        try (URLClassLoader loader = new URLClassLoader(new URL[] {JAR.toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            for (String name : List.of("dev.nvmeof.tls.TlsChannel", "org.bouncycastle.tls.TlsServerProtocol",
                    "org.bouncycastle.asn1.cms.ContentInfo", "org.bouncycastle.jce.provider.BouncyCastleProvider")) {
                assertEquals(loader, Class.forName(name, true, loader).getClassLoader(), name);
            }
        }
    }

    @Test
    void shouldKeepAFileNamespacesDataAcrossARestart() throws Exception {
        Path file = dir.resolve("ns1.img");
        String nqn = "nqn.2024-01.dev.nvmeof:appliance-it";
        byte[] block = new byte[4096];
        new Random(42).nextBytes(block);

        int port = ApplianceProcess.freePort();
        ApplianceProcess first = start("--listen", "127.0.0.1:" + port, "--nqn", nqn, "--file-namespace",
                file + ":1M", "--block-size", "4096", "--event-loops", "1");
        first.awaitReady();
        assertTrue(first.stdout.contains("subsystem " + nqn + ": namespace 1, 1 MiB file " + file
                + ", 4096-byte blocks"), "stdout " + first.stdout);
        try (NvmeTcpTestClient admin = NvmeTcpTestClient.open(loopback(port));
                NvmeTcpTestClient io = NvmeTcpTestClient.open(loopback(port))) {
            connectIo(io, nqn, connectAdmin(admin, nqn));
            assertTrue(write(io, 1, 5, 1, block).ok(), "write");
        }
        assertEquals(TargetMain.EXIT_OK, first.terminate(), "stderr " + first.stderr);
        assertEquals(1 << 20, Files.size(file));

        int port2 = ApplianceProcess.freePort();
        ApplianceProcess second = start("--listen", "127.0.0.1:" + port2, "--nqn", nqn, "--file-namespace",
                file + ":1M", "--block-size", "4096", "--event-loops", "1");
        second.awaitReady();
        try (NvmeTcpTestClient admin = NvmeTcpTestClient.open(loopback(port2));
                NvmeTcpTestClient io = NvmeTcpTestClient.open(loopback(port2))) {
            connectIo(io, nqn, connectAdmin(admin, nqn));
            assertArrayEquals(block, read(io, 1, 5, 1, 4096), "the block written before the restart");
            assertArrayEquals(new byte[4096], read(io, 1, 4, 1, 4096), "a block never written");
        }
        assertEquals(TargetMain.EXIT_OK, second.terminate(), "stderr " + second.stderr);
    }

    @Test
    void shouldLogOneLineRecordsToItsLogFileAndOnlyWarningsToStderr() throws Exception {
        int port = ApplianceProcess.freePort();
        ApplianceProcess app = start("--listen", "127.0.0.1:" + port, "--event-loops", "1");
        app.awaitReady();
        try (Socket garbage = new Socket(InetAddress.getLoopbackAddress(), port)) {
            garbage.getOutputStream().write(new byte[] {(byte) 0xFF, 0, 8, 0, 8, 0, 0, 0}); // no such PDU type
            app.awaitLine(app.stderr, 0, l -> l.matches("WARN dev\\.nvmeof\\.target: queue 0: fatal protocol error"
                    + " from the host: .*"), LINE_TIMEOUT);
        }
        assertEquals(TargetMain.EXIT_OK, app.terminate(), "stderr " + app.stderr);
        assertEquals(List.of("nvmeof-target: stopping", "nvmeof-target: stopped"),
                app.stderr.stream().filter(l -> !l.startsWith("WARN ")).toList(), "no INFO records on stderr");

        List<String> log = Files.readAllLines(dir.resolve("log/target.log"));
        String all = String.join("\n", log);
        assertTrue(log.stream().anyMatch(l -> l.matches("\\S+ \\S+ INFO  dev\\.nvmeof\\.target: listening on"
                + " /?127\\.0\\.0\\.1:" + port)), all);
        assertTrue(log.stream().anyMatch(l -> l.matches("\\S+ \\S+ WARN  dev\\.nvmeof\\.target: .*fatal protocol"
                + " error.*")), all);
        assertTrue(log.stream().allMatch(l -> l.matches(FILE_RECORD)), "one line per record:\n" + all);
    }

    @Test
    void shouldShowInfoRecordsOnStderrWithV() throws Exception {
        int port = ApplianceProcess.freePort();
        ApplianceProcess app = start("-v", "--listen", "127.0.0.1:" + port, "--event-loops", "1");
        app.awaitReady();
        app.awaitLine(app.stderr, 0, l -> l.matches("INFO dev\\.nvmeof\\.target: listening on /?127\\.0\\.0\\.1:"
                + port), LINE_TIMEOUT);
        assertEquals(TargetMain.EXIT_OK, app.terminate(), "stderr " + app.stderr);
        assertTrue(app.stderr.stream().allMatch(l -> l.matches("(ERROR|WARN|INFO|DEBUG) \\S+: .*")
                || l.startsWith("nvmeof-target: ")), "one line per record: " + app.stderr);
    }

    static Stream<Arguments> badArguments() {
        return Stream.of(
                Arguments.of(List.of("--bogus"), "unknown option --bogus"),
                Arguments.of(List.of("--block-size", "1000"), "--block-size: must be 512 or 4096"),
                Arguments.of(List.of("--ram-namespace", "12Q"), "--ram-namespace: not a size"),
                Arguments.of(List.of("--listen", "127.0.0.1"), "--listen: expected HOST:PORT"),
                Arguments.of(List.of("--max-io-queues"), "--max-io-queues needs a value"),
                Arguments.of(List.of("--tls-listen", "127.0.0.1:0"), "--tls-listen needs a TLS keyring"),
                Arguments.of(List.of("--dhchap-required"), "--dhchap-required needs --dhchap-keyring"));
    }

    @ParameterizedTest
    @MethodSource("badArguments")
    void shouldExitWithStatus2NamingABadArgument(List<String> args, String message) throws Exception {
        ApplianceProcess app = start(args.toArray(String[]::new));
        assertEquals(TargetMain.EXIT_USAGE, app.awaitExit());
        assertEquals(List.of(), app.stdout, "no usage text, nothing served");
        assertEquals(1, app.stderr.size(), "one line: " + app.stderr);
        assertTrue(app.stderr.get(0).contains(message), app.stderr.get(0));
    }

    @Test
    void shouldPrintUsageOnHelp() throws Exception {
        ApplianceProcess app = start("--help");
        assertEquals(TargetMain.EXIT_OK, app.awaitExit());
        assertTrue(app.stdout.get(0).startsWith("usage: java -jar nvmeof-target.jar"), "stdout " + app.stdout);
    }

    @Test
    void shouldExitWithStatus1NamingAnAddressInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            ApplianceProcess app = start("--listen", "127.0.0.1:" + port, "--event-loops", "1");
            assertEquals(TargetMain.EXIT_FAILED, app.awaitExit());
            assertFalse(app.stdout.contains("ready"), "stdout " + app.stdout);
            assertTrue(app.stderr.stream().anyMatch(l -> l.contains("cannot listen on 127.0.0.1:" + port)),
                    "stderr " + app.stderr);
        }
    }
}
