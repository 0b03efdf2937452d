package dev.nvmeof.host.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.nvmeof.api.BlockDevice;
import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.ControllerState;
import dev.nvmeof.api.IoRequest;
import dev.nvmeof.api.NvmeController;
import dev.nvmeof.api.NvmeNamespace;
import dev.nvmeof.api.QueueCounts;
import dev.nvmeof.protocol.IdentifyController;

/** Connect, Identify, the namespace as a block device, disconnect: host + tcp transport + our target, loopback. */
class LoopbackConnectTest {
    private static final long SIZE = 16 << 20;
    private Loopback loopback;

    @BeforeEach
    void start() throws Exception {
        loopback = Loopback.ram(SIZE);
    }

    @AfterEach
    void stop() {
        loopback.close();
    }

    @Test
    void shouldConnectIdentifyAndServeTheNamespaceWhenConnectedOverTcp() throws Exception {
        LogWatch targetLog = LogWatch.on("dev.nvmeof.target", Level.INFO);
        NvmeController controller = loopback.host.connect(loopback.options(""));

        assertEquals(ControllerState.LIVE, controller.state());
        assertEquals("nvme0", controller.name());
        assertEquals(Loopback.NQN, controller.subsystemNqn());
        assertTrue(controller.ioQueueCount() >= 1, "I/O queues: " + controller.ioQueueCount());
        assertTrue(controller.cntlid() >= 0);
        IdentifyController identify = controller.identify();
        assertNotNull(identify);
        assertEquals(Loopback.NQN, identify.subnqn());
        assertTrue(identify.ioccsz() > 4, "IOCCSZ " + identify.ioccsz());
        assertEquals(1, loopback.target.controllerCount());

        assertEquals(1, controller.namespaces().size());
        NvmeNamespace namespace = controller.namespaces().get(0);
        assertEquals("nvme0n1", namespace.name());
        assertEquals(1, namespace.nsid());
        assertEquals(SIZE / Loopback.BLOCK, namespace.blocks());
        BlockDevice device = namespace.device();
        assertEquals(SIZE, device.sizeBytes());
        assertEquals(Loopback.BLOCK, device.blockSize());

        byte[] data = new byte[64 * Loopback.BLOCK];
        new Random(5).nextBytes(data);
        device.write(100, ByteBuffer.wrap(data), false).get(10, TimeUnit.SECONDS);
        ByteBuffer back = ByteBuffer.allocateDirect(data.length);
        device.read(100, back).get(10, TimeUnit.SECONDS);
        byte[] read = new byte[data.length];
        back.get(read); // the host fills position..limit and leaves both as they were
        assertArrayEquals(data, read);

        controller.disconnect();
        assertEquals(ControllerState.DEAD, controller.state());
        assertTrue(loopback.host.controllers().isEmpty());
        try (targetLog) {
            targetLog.await("torn down", 1, Duration.ofSeconds(10));
        }
        loopback.target.checkDeadlines().get(10, TimeUnit.SECONDS); // the loop that logged it has finished
        assertEquals(0, loopback.target.controllerCount());
    }

    @Test
    void shouldServeReadWriteAndPollQueuesFromTheEventLoopOverTcp() throws Exception {
        NvmeController controller = loopback.host.connect(loopback.options(
                ",nr_io_queues=1,nr_write_queues=1,nr_poll_queues=1"));

        assertEquals(new QueueCounts(1, 1, 1), controller.queueCounts());
        assertEquals(4, loopback.target.connectionCount(), "admin, default, read, poll");
        BlockDevice device = controller.namespaces().get(0).device();
        byte[] data = new byte[8 * Loopback.BLOCK];
        new Random(9).nextBytes(data);
        device.write(8, ByteBuffer.wrap(data), false).get(10, TimeUnit.SECONDS);
        CompletableFuture<Void> done = new CompletableFuture<>();
        ByteBuffer back = ByteBuffer.allocateDirect(data.length);
        IoRequest read = new IoRequest().polled(true).callback(r -> done.complete(null));

        device.submit(read.read(8, back));

        // tcp cannot poll: the event loop completes polled requests itself and poll() has nothing to reap.
        done.get(10, TimeUnit.SECONDS);
        assertTrue(read.succeeded());
        assertEquals(0, device.poll());
        byte[] got = new byte[data.length];
        back.get(got);
        assertArrayEquals(data, got);
    }

    @Test
    void shouldConnectADiscoveryControllerWithoutScanningNamespaces() throws Exception {
        NvmeController controller = loopback.host.connect(ConnectOptions.parse("transport=tcp,traddr=127.0.0.1,"
                + "trsvcid=" + loopback.port() + ",nqn=" + ConnectOptions.DISCOVERY_NQN));

        assertEquals(ControllerState.LIVE, controller.state());
        assertEquals(0, controller.ioQueueCount());
        assertTrue(controller.namespaces().isEmpty());
        assertEquals(ConnectOptions.DISCOVERY_NQN, controller.identify().subnqn());
        controller.disconnect();
        assertEquals(ControllerState.DEAD, controller.state());
    }
}
