package dev.nvmeof.driver.kit.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.nvmeof.api.BlockDevice;
import dev.nvmeof.api.IoRequest;
import dev.nvmeof.api.NvmeController;
import dev.nvmeof.api.NvmeHost;

/**
 * Over {@code tcp_offload}, callers' code never runs on the NIC engine's thread: code chained to a device's future
 * runs on a host callback thread, so the idiomatic {@code write(...).thenRun(() -> read(...).join())} on one queue
 * gets its data at once (it stayed pending for good, and closing the host then hung); an {@code IoRequest} callback
 * runs on its queue's interrupt handler thread, so one that blocks stalls only its queue while the NIC serves the
 * others. 10 s bounds are liveness bounds.
 */
@Timeout(60)
class OffloadCallbackTest {
    @TempDir
    Path state;
    private final OffloadLab lab = new OffloadLab();

    @AfterEach
    void stop() throws Exception {
        lab.close();
    }

    @Test
    void shouldCompleteAReadJoinedInsideACallbackOfAWriteOnTheSameQueue() throws Exception {
        OffloadLab.Target target = lab.target("127.0.0.1", 8 << 20);
        lab.vortex("127.0.0.3/24");
        NvmeController controller = lab.host(state).connect(target.options(",nr_io_queues=1"));
        BlockDevice device = controller.namespaces().get(0).device();
        byte[] first = new byte[4096];
        new Random(3).nextBytes(first);
        device.write(0, ByteBuffer.wrap(first), false).get(10, TimeUnit.SECONDS);

        ByteBuffer back = ByteBuffer.allocate(4096);
        AtomicReference<String> ranOn = new AtomicReference<>();
        CompletableFuture<Void> chained = device.write(64, ByteBuffer.allocateDirect(1 << 20), false).thenRun(() -> {
            ranOn.set(Thread.currentThread().getName());
            device.read(0, back).join();
        });
        chained.get(10, TimeUnit.SECONDS);
        assertArrayEquals(first, back.array());
        assertFalse(ranOn.get().startsWith("nic-"), "chained code ran on the NIC engine thread " + ranOn.get());
    }

    @Test
    void shouldKeepTheNicServingOtherQueuesWhileAnIoRequestCallbackBlocks() throws Exception {
        OffloadLab.Target target = lab.target("127.0.0.1", 8 << 20);
        lab.acme("127.0.0.2/24");
        NvmeHost host = lab.host(state);
        BlockDevice first = host.connect(target.options(",nr_io_queues=1")).namespaces().get(0).device();
        BlockDevice second = host.connect(target.options(",nr_io_queues=1,duplicate_connect")).namespaces().get(0)
                .device(); // another controller: other queue pairs on the same NIC engine
        CountDownLatch inCallback = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<String> ranOn = new AtomicReference<>();
        IoRequest blocking = new IoRequest().read(0, ByteBuffer.allocateDirect(4096));
        blocking.callback(r -> {
            ranOn.set(Thread.currentThread().getName());
            inCallback.countDown();
            try {
                release.await(30, TimeUnit.SECONDS); // a caller's callback that blocks (it must not)
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            first.submit(blocking);
            assertTrue(inCallback.await(10, TimeUnit.SECONDS));
            second.read(0, ByteBuffer.allocateDirect(4096)).get(10, TimeUnit.SECONDS); // the NIC is not stuck
            assertTrue(ranOn.get().startsWith("irq/"), "the completion ran on the queue's interrupt handler, "
                    + "not the NIC engine: " + ranOn.get());
        } finally {
            release.countDown();
        }
    }
}
