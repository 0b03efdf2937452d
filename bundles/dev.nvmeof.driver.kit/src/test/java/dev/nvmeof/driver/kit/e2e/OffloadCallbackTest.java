package dev.nvmeof.driver.kit.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.nvmeof.api.BlockDevice;
import dev.nvmeof.api.NvmeController;

/**
 * Over {@code tcp_offload}, code chained to a device's future runs on a host thread, not on the NIC engine's: the
 * idiomatic {@code write(...).thenRun(() -> read(...).join())} on one queue gets its data at once (it stayed pending
 * for good, and closing the host then hung), and the lab's host closes. 10 s bounds are liveness bounds.
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
}
