package dev.nvmeof.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Kernel-host mode: servers of the test on 127.0.0.1 (ephemeral ports) are reached from the guest at 10.0.2.100:4420
 * and :8009 through QEMU's guestfwd, one socat per guest connection. One guest for the class; the control channel's
 * own behaviour (timeouts, exit status, output framing) is checked here too.
 */
@Tag("interop")
@ExtendWith(InteropExtension.class)
class KernelHostHarnessTest {
    private static final Duration SHORT = Duration.ofSeconds(30);

    private static ServerSocket nvmeServer;
    private static ServerSocket discoveryServer;
    private static ExecutorService executor;
    private static QemuGuest guest;

    @BeforeAll
    static void bootGuestWithForwardsToOurServers() throws IOException {
        nvmeServer = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        discoveryServer = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        executor = Executors.newCachedThreadPool();
        guest = QemuGuest.builder().name("kernel-host")
                .kernelHost(nvmeServer.getLocalPort())
                .forwardToHost(QemuGuest.DISCOVERY_PORT, discoveryServer.getLocalPort())
                .start();
    }

    @AfterAll
    static void stopGuestAndServers() throws IOException {
        try {
            if (guest != null) {
                guest.close();
            }
        } finally {
            executor.shutdownNow();
            nvmeServer.close();
            discoveryServer.close();
        }
    }

    @Test
    void shouldDeliverEachGuestConnectionWhenTheGuestConnectsTwiceInSequence() throws Exception {
        for (String greeting : List.of("hello-1", "hello-2")) {
            CompletableFuture<String> received = acceptLines(nvmeServer, 1).thenApply(lines -> lines.get(0));

            guest.execOk("echo " + greeting + " | nc " + QemuGuest.HOST_ALIAS + " " + QemuGuest.NVME_TCP_PORT, SHORT);

            assertEquals(greeting, received.get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void shouldCarryTwoConnectionsAtOnceWhenTheGuestOpensThemConcurrently() throws Exception {
        // The server answers neither connection before both are open: with a single-connection forward the
        // second would never arrive (the kernel host's I/O queue connect would hang the same way).
        CompletableFuture<List<String>> received = acceptLines(nvmeServer, 2);

        String command = "(echo first | nc %1$s %2$d) & (echo second | nc %1$s %2$d) & wait"
                .formatted(QemuGuest.HOST_ALIAS, QemuGuest.NVME_TCP_PORT);
        guest.execOk(command, SHORT);

        List<String> lines = new ArrayList<>(received.get(30, TimeUnit.SECONDS));
        lines.sort(null);
        assertEquals(List.of("first", "second"), lines);
    }

    @Test
    void shouldReachTheSecondServerWhenTheGuestConnectsToTheDiscoveryPort() throws Exception {
        CompletableFuture<String> received = acceptLines(discoveryServer, 1).thenApply(lines -> lines.get(0));

        guest.execOk("echo discovery | nc " + QemuGuest.HOST_ALIAS + " " + QemuGuest.DISCOVERY_PORT, SHORT);

        assertEquals("discovery", received.get(30, TimeUnit.SECONDS));
    }

    @Test
    void shouldReturnStatusAndOutputWhenACommandFails() {
        QemuGuest.ExecResult result = guest.exec("echo out; echo err >&2; printf 'no newline'; exit 3", SHORT);

        assertEquals(3, result.exitStatus());
        assertEquals("out\nerr\nno newline\n", result.output());
        assertEquals("", guest.execOk("true", SHORT));
        assertThrows(GuestCommandException.class, () -> guest.execOk("false", SHORT));
    }

    @Test
    void shouldThrowOnTimeoutWithTheGuestKernelLogAndStayUsableWhenACommandHangs() {
        String marker = "harness-marker-" + System.nanoTime();
        guest.execOk("echo " + marker + " > /dev/kmsg", SHORT);

        GuestCommandException timeout = assertThrows(GuestCommandException.class,
                () -> guest.exec("echo started; sleep 60", Duration.ofSeconds(2)));
        assertTrue(timeout.getMessage().contains("timed out"), timeout.getMessage());
        assertTrue(timeout.getMessage().contains("--- guest kernel log"), timeout.getMessage());
        assertTrue(timeout.getMessage().contains(marker), timeout.getMessage());

        // The guest kills the command a second after the timeout; its late end marker is skipped.
        assertEquals("after\n", guest.execOk("echo after", SHORT));
    }

    @Test
    void shouldRefuseARequestLineThatLostCharactersAndRunNothingOfIt() {
        // As when ttyS1 drops characters: the length says 40, 30 arrived; then one with no frame at all.
        assertEquals(QemuGuest.BAD_MARKER, guest.sendRawLine("@@ 40 9001 5 echo ran > /tmp/damaged", SHORT));
        assertEquals(QemuGuest.BAD_MARKER, guest.sendRawLine("9002 5 echo ran > /tmp/damaged", SHORT));

        assertEquals("absent\n", guest.execOk("test -e /tmp/damaged && echo present || echo absent", SHORT));
    }

    @Test
    void shouldHaveTheKernelHostLoadedWhenTheGuestIsReady() {
        String devices = guest.execOk("ls /dev/nvme-fabrics; cat /etc/nvme/hostnqn", SHORT);

        assertTrue(devices.contains("/dev/nvme-fabrics") && devices.contains("nqn."), devices);
    }

    /** Accepts {@code count} connections, reads one line from each (all must be open at once), then closes them. */
    private static CompletableFuture<List<String>> acceptLines(ServerSocket server, int count) {
        return CompletableFuture.supplyAsync(() -> {
            List<Socket> sockets = new ArrayList<>();
            try {
                server.setSoTimeout(30_000);
                for (int i = 0; i < count; i++) {
                    Socket socket = server.accept();
                    socket.setSoTimeout(30_000);
                    sockets.add(socket);
                }
                List<String> lines = new ArrayList<>();
                for (Socket socket : sockets) {
                    lines.add(new BufferedReader(new InputStreamReader(socket.getInputStream(),
                            StandardCharsets.US_ASCII)).readLine());
                }
                return lines;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } finally {
                for (Socket socket : sockets) {
                    try {
                        socket.close();
                    } catch (IOException e) {
                        // closing: nothing left to do
                    }
                }
            }
        }, executor);
    }
}
