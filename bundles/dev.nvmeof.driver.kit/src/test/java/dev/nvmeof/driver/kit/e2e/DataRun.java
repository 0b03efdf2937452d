package dev.nvmeof.driver.kit.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.nvmeof.api.BlockDevice;

/**
 * An 8 MiB random pattern written from LBA 0 and read back in 256 KiB chunks, each chunk its own request and future,
 * so a test can put a fault between (or under) any of them and then check what the caller saw and what the
 * namespace holds.
 */
final class DataRun {
    static final int BYTES = 8 << 20;
    static final int CHUNK = 256 << 10;
    static final int CHUNKS = BYTES / CHUNK;
    static final int HALF = CHUNKS / 2;

    private final BlockDevice device;
    private final ByteBuffer pattern = ByteBuffer.allocateDirect(BYTES);
    private final ByteBuffer back = ByteBuffer.allocateDirect(BYTES);

    DataRun(BlockDevice device, long seed) {
        this.device = device;
        byte[] bytes = new byte[BYTES];
        new Random(seed).nextBytes(bytes);
        pattern.put(0, bytes);
    }

    /** Starts the writes of chunks {@code [from, to)}. */
    List<CompletableFuture<Void>> write(int from, int to) {
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (int i = from; i < to; i++) {
            writes.add(device.write(lba(i), pattern.slice(i * CHUNK, CHUNK), false));
        }
        return writes;
    }

    /** Starts the reads of chunks {@code [from, to)} into the read-back buffer. */
    List<CompletableFuture<Void>> read(int from, int to) {
        List<CompletableFuture<Void>> reads = new ArrayList<>();
        for (int i = from; i < to; i++) {
            reads.add(device.read(lba(i), back.slice(i * CHUNK, CHUNK)));
        }
        return reads;
    }

    private long lba(int chunk) {
        return (long) chunk * CHUNK / device.blockSize();
    }

    /** Every future completes normally within {@code timeout} (all together): the caller saw no error. */
    static void succeed(List<CompletableFuture<Void>> futures, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int i = 0; i < futures.size(); i++) {
            try {
                futures.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                fail("request " + i + " of " + futures.size() + " failed: " + e.getCause(), e.getCause());
            } catch (TimeoutException e) {
                fail("request " + i + " of " + futures.size() + " not done within " + timeout);
            }
        }
    }

    /** Writes and reads back the whole pattern, each step within {@code timeout}: no caller error. */
    void writeAll(Duration timeout) throws InterruptedException {
        succeed(write(0, CHUNKS), timeout);
    }

    /** Reads back all 8 MiB and compares them with the pattern, byte for byte. */
    void assertIntact(Duration timeout) throws InterruptedException {
        succeed(read(0, CHUNKS), timeout);
        assertReadBack();
    }

    /** The read-back buffer holds the pattern (after reads of every chunk). */
    void assertReadBack() {
        byte[] expected = new byte[BYTES];
        byte[] actual = new byte[BYTES];
        pattern.get(0, expected);
        back.get(0, actual);
        assertArrayEquals(expected, actual, "the 8 MiB read back differ from what was written");
    }
}
