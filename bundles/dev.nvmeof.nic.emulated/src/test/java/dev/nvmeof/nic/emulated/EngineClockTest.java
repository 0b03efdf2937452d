package dev.nvmeof.nic.emulated;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.nvmeof.testkit.ManualClock;

/**
 * The engine keeps its deadlines on the injected clock: a queue pair whose target accepts the connection and never
 * answers the ICReq is still connecting at the connect timeout less 1 ns and fails just past it.
 */
@Timeout(60)
class EngineClockTest {

    @Test
    void shouldFailAQueuePairWithNoIcRespJustPastTheConnectTimeoutOnTheEnginesClock() throws Exception {
        ManualClock clock = new ManualClock();
        Duration timeout = Duration.ofSeconds(10);
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                NicFunction nic = NicFunction.start(new NicCapabilities(0x1AC3, 0x0100, "CLK-1", 25_000, 8,
                        128 << 10, 32, false), 1, 1, clock)) {
            nic.netDevice().addAddress("p1p1", "127.0.0.2/24");
            CompletableFuture<QueuePair> pending = nic.createQueuePair("p1p1",
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), silent.getLocalPort()),
                    new QueuePairOptions(0, 32, false, false, 8192, timeout, -1), new QueuePairListener() {
                        @Override
                        public void completionsAvailable(QueuePair queuePair) {
                        }

                        @Override
                        public void queueFailed(QueuePair queuePair, IOException cause) {
                        }
                    });
            Socket accepted = silent.accept(); // connected: the ICReq now waits for an answer that never comes

            clock.advance(timeout.minusNanos(1));
            nic.checkDeadlines().get(10, TimeUnit.SECONDS);
            assertFalse(pending.isDone(), "still connecting at the timeout less 1 ns");
            clock.advance(2);
            nic.checkDeadlines().get(10, TimeUnit.SECONDS);
            ExecutionException failed = assertThrows(ExecutionException.class, () -> pending.get(10, TimeUnit.SECONDS));
            IOException cause = assertInstanceOf(IOException.class, failed.getCause());
            assertTrue(cause.getMessage().contains("within " + timeout), cause.getMessage());
            accepted.close();
        }
    }
}
