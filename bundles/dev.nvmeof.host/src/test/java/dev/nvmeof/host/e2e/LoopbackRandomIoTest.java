package dev.nvmeof.host.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.nvmeof.api.BlockDevice;
import dev.nvmeof.api.NvmeController;

/**
 * Issue 5's loopback acceptance: 10,000 random reads and writes of 1 to 256 logical blocks, verified by content, 16 in
 * flight from 4 threads over 4 I/O queues, with and without header and data digests; then the whole device read back
 * against the shadow copy.
 */
class LoopbackRandomIoTest {
    private static final long SIZE = 32 << 20;
    private static final int TOTAL = 10_000;
    private static final int THREADS = 4;
    private static final int DEPTH = 4;

    private Loopback loopback;

    @BeforeEach
    void start() throws Exception {
        loopback = Loopback.ram(SIZE);
    }

    @AfterEach
    void stop() {
        loopback.close();
    }

    @ParameterizedTest(name = "options \"{0}\"")
    @ValueSource(strings = {"", ",hdr_digest,data_digest"})
    void shouldReadBackEveryWriteWhenTenThousandRandomIosRun(String digests) throws Exception {
        NvmeController controller = loopback.host.connect(loopback.options(",nr_io_queues=4" + digests));
        assertEquals(!digests.isEmpty(), controller.options().hdrDigest() && controller.options().dataDigest());
        BlockDevice device = controller.namespaces().get(0).device();
        // What fits in the capsule: IOCCSZ (16-byte units) less the 64-byte command.
        int inCapsuleBlocks = (controller.identify().ioccsz() * 16 - 64) / device.blockSize();
        assertTrue(inCapsuleBlocks >= 1 && inCapsuleBlocks < RandomIo.MAX_BLOCKS, "in-capsule " + inCapsuleBlocks);
        byte[] shadow = new byte[(int) SIZE]; // a new RAM namespace reads as zeroes
        RandomIo io = new RandomIo(device, shadow, inCapsuleBlocks, THREADS * DEPTH);

        long start = System.nanoTime();
        List<String> failures = io.run(TOTAL, THREADS, DEPTH, 42);
        double seconds = (System.nanoTime() - start) / 1e9;

        System.out.printf("random I/O%s: %d I/Os (%d reads, %d in-capsule writes, %d R2T writes, %.1f MiB) "
                + "in %.2f s = %.0f IOPS, %d I/O queues, %d in flight%n", digests, TOTAL, io.reads.get(),
                io.inCapsuleWrites.get(), io.r2tWrites.get(), io.bytes.get() / 1048576.0, seconds, TOTAL / seconds,
                controller.ioQueueCount(), THREADS * DEPTH);
        assertEquals(List.of(), failures);
        assertEquals(TOTAL, io.reads.get() + io.inCapsuleWrites.get() + io.r2tWrites.get());
        assertTrue(io.inCapsuleWrites.get() > TOTAL / 10 && io.r2tWrites.get() > TOTAL / 10,
                "both kinds of writes: " + io.inCapsuleWrites + " in-capsule, " + io.r2tWrites + " R2T");
        assertTrue(seconds < 60, "took " + seconds + " s");

        // Everything the device holds now is what was acknowledged, block for block.
        ByteBuffer chunk = ByteBuffer.allocateDirect(RandomIo.MAX_BLOCKS * device.blockSize());
        for (int offset = 0; offset < SIZE; offset += chunk.capacity()) {
            chunk.clear();
            device.read(offset / device.blockSize(), chunk).get(10, TimeUnit.SECONDS);
            assertEquals(-1, chunk.mismatch(ByteBuffer.wrap(shadow, offset, chunk.capacity())),
                    "bytes from " + offset);
        }
    }
}
