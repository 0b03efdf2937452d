package dev.nvmeof.host.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.nvmeof.api.BlockDevice;
import dev.nvmeof.api.ControllerState;
import dev.nvmeof.api.NvmeController;

/**
 * Callers' code chained to a device's futures runs on a host thread, not on the event loop: the idiomatic
 * {@code write(...).thenRun(() -> read(...).join())} on one I/O queue gets its data (it hung the loop before), a
 * chained callback that throws harms nothing, and disconnect returns. 10 s bounds are liveness bounds.
 */
@Timeout(60)
class LoopbackCallbackTest {

    @Test
    void shouldCompleteAReadJoinedInsideACallbackOfAWriteOnTheSameQueue() throws Exception {
        try (Loopback loopback = Loopback.ram(8 << 20)) {
            NvmeController controller = loopback.host.connect(loopback.options(",nr_io_queues=1"));
            BlockDevice device = controller.namespaces().get(0).device();
            byte[] first = new byte[4096];
            new Random(1).nextBytes(first);
            device.write(0, ByteBuffer.wrap(first), false).get(10, TimeUnit.SECONDS);

            // A 1 MiB write takes long enough for thenRun to be chained before it completes, so the chained code
            // runs where the completion is delivered.
            ByteBuffer back = ByteBuffer.allocate(4096);
            AtomicReference<String> ranOn = new AtomicReference<>();
            CompletableFuture<Void> chained = device.write(64, ByteBuffer.allocateDirect(1 << 20), false)
                    .thenRun(() -> {
                        ranOn.set(Thread.currentThread().getName());
                        device.read(0, back).join();
                    });
            chained.get(10, TimeUnit.SECONDS);
            assertArrayEquals(first, back.array());
            assertFalse(ranOn.get().startsWith("nvme-tcp-"), "chained code ran on the event loop " + ranOn.get());

            CompletableFuture<Void> throwing = device.write(64, ByteBuffer.allocate(4096), false).thenRun(() -> {
                throw new IllegalStateException("a caller's bug");
            });
            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> throwing.get(10, TimeUnit.SECONDS));
            assertTrue(failed.getCause() instanceof IllegalStateException, failed.toString());
            device.read(0, ByteBuffer.allocate(4096)).get(10, TimeUnit.SECONDS);

            CompletableFuture.runAsync(() -> {
                try {
                    controller.disconnect();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).get(10, TimeUnit.SECONDS);
            assertEquals(ControllerState.DEAD, controller.state());
        }
    }
}
