package dev.nvmeof.host.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.nvmeof.api.BlockDevice;
import dev.nvmeof.api.ControllerState;
import dev.nvmeof.api.NvmeController;
import dev.nvmeof.api.NvmeException;
import dev.nvmeof.api.NvmeStatusException;

/**
 * {@code nvme disconnect} is prompt even while a reconnect attempt waits on a silent target (it accepts the TCP
 * connection and never answers the ICReq): disconnect returns within 2 s (a liveness bound), the controller is DEAD
 * and the write held during the outage fails with Host Aborted.
 */
@Timeout(60)
class LoopbackDisconnectTest {

    @Test
    void shouldDisconnectPromptlyWhileAReconnectAttemptWaitsOnASilentTarget() throws Exception {
        try (Loopback loopback = Loopback.ram(8 << 20)) {
            NvmeController controller = loopback.host.connect(loopback.options(",reconnect_delay=1"));
            BlockDevice device = controller.namespaces().get(0).device();
            int port = loopback.port();
            loopback.target.close(); // the connections drop: recovery, reconnects every second
            try (ServerSocket silent = new ServerSocket()) {
                silent.setReuseAddress(true);
                silent.bind(new InetSocketAddress("127.0.0.1", port));
                CompletableFuture<Void> held = device.write(0, ByteBuffer.allocateDirect(4096), false);
                try (Socket attempt = CompletableFuture.supplyAsync(() -> accept(silent)).get(30, TimeUnit.SECONDS)) {
                    // The attempt's connection is up and waits for an ICResp that never comes.
                    CompletableFuture.runAsync(() -> disconnect(controller)).get(2, TimeUnit.SECONDS);
                    assertEquals(ControllerState.DEAD, controller.state());
                    ExecutionException failed = assertThrows(ExecutionException.class,
                            () -> held.get(2, TimeUnit.SECONDS));
                    NvmeStatusException status = assertInstanceOf(NvmeStatusException.class, failed.getCause());
                    assertEquals(0x371, status.status().typeAndCode(), "Host Aborted: " + status);
                }
            }
        }
    }

    private static Socket accept(ServerSocket server) {
        try {
            return server.accept();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void disconnect(NvmeController controller) {
        try {
            controller.disconnect();
        } catch (NvmeException e) {
            throw new IllegalStateException(e);
        }
    }
}
