package dev.nvmeof.appliance.target;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import dev.nvmeof.testkit.ApplianceProcess;

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
 * across a restart, and exits 2 on a bad argument and 1 on an address in use. Loopback and ephemeral ports only.
 */
@Timeout(60) // a safety net: every wait below is bounded on its own
class TargetApplianceIT {
    static final Path JAR = Path.of(System.getProperty("nvmeof.target.jar", "target/nvmeof-target.jar"));
    private final List<ApplianceProcess> processes = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void killLeftovers() {
        for (ApplianceProcess p : processes) {
            p.close();
        }
    }

    private ApplianceProcess start(String... args) throws IOException {
        ApplianceProcess p = ApplianceProcess.start(JAR, args);
        processes.add(p);
        return p;
    }

    private static InetSocketAddress loopback(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    @Test
    void shouldServeItsListenersAndStopCleanlyOnSigterm() throws Exception {
        int io = ApplianceProcess.freePort();
        int discovery = ApplianceProcess.freePort();
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

        try (MiniHost discoveryHost = MiniHost.open(loopback(discovery)); // ICReq/ICResp on the second listener
                MiniHost admin = MiniHost.open(loopback(io))) {
            assertTrue(admin.connectAdmin("testnqn") > 0, "a controller ID");
            // SIGTERM with the hosts still connected: the target closes their connections on the way out.
            assertEquals(TargetMain.EXIT_OK, app.terminate(), "stderr " + app.stderr);
            assertTrue(admin.closedByTarget(), "the admin connection is closed");
            assertTrue(discoveryHost.closedByTarget(), "the discovery connection is closed");
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
        try (MiniHost admin = MiniHost.open(loopback(port)); MiniHost io = MiniHost.open(loopback(port))) {
            io.connectIo(nqn, admin.connectAdmin(nqn));
            assertTrue(io.write(1, 5, 1, block).ok(), "write");
        }
        assertEquals(TargetMain.EXIT_OK, first.terminate(), "stderr " + first.stderr);
        assertEquals(1 << 20, Files.size(file));

        int port2 = ApplianceProcess.freePort();
        ApplianceProcess second = start("--listen", "127.0.0.1:" + port2, "--nqn", nqn, "--file-namespace",
                file + ":1M", "--block-size", "4096", "--event-loops", "1");
        second.awaitReady();
        try (MiniHost admin = MiniHost.open(loopback(port2)); MiniHost io = MiniHost.open(loopback(port2))) {
            io.connectIo(nqn, admin.connectAdmin(nqn));
            assertArrayEquals(block, io.read(1, 5, 1, 4096), "the block written before the restart");
            assertArrayEquals(new byte[4096], io.read(1, 4, 1, 4096), "a block never written");
        }
        assertEquals(TargetMain.EXIT_OK, second.terminate(), "stderr " + second.stderr);
    }

    static Stream<Arguments> badArguments() {
        return Stream.of(
                Arguments.of(List.of("--bogus"), "unknown option --bogus"),
                Arguments.of(List.of("--block-size", "1000"), "--block-size: must be 512 or 4096"),
                Arguments.of(List.of("--ram-namespace", "12Q"), "--ram-namespace: not a size"),
                Arguments.of(List.of("--listen", "127.0.0.1"), "--listen: expected HOST:PORT"),
                Arguments.of(List.of("--max-io-queues"), "--max-io-queues needs a value"));
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
