package dev.nvmeof.testkit.driver;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32C;

import dev.nvmeof.api.BlockDevice;

/**
 * Mixed verified I/O at a fixed queue depth, for measuring what a caller sees while the path changes underneath (a
 * driver swapped, a failover): {@link VerifiedWorkload} is the write-heavy one with many writer threads. Here each of {@code depth} slots owns its own blocks (slot {@code k} the
 * blocks {@code k, k + depth, ...}), so a block never has two commands in flight and every read has one right
 * answer: the last acknowledged write. Each block carries its LBA, a generation and a CRC-32C; the record of
 * acknowledged generations is what {@link #verifyAll} reads back. Every completion stamps the time, so the longest
 * gap between two completions in a window is the I/O pause a caller saw, and the rate before it and after it are
 * known to the millisecond for the last {@value #HISTORY_MILLIS} ms ({@link CompletionHistory}).
 */
public final class MixedVerifiedLoad {
    private static final int HEADER = 16;
    static final int HISTORY_MILLIS = 10_000;

    private final BlockDevice device;
    private final int depth;
    private final int blocksPerSlot;
    private final int blockBytes;
    private final int blockLbas;
    private final long[] acked;
    private final long[] generation;
    private volatile boolean running = true;
    private final CountDownLatch stopped;
    private final AtomicLong completions = new AtomicLong();
    private final CompletionHistory history = new CompletionHistory(System.nanoTime(), HISTORY_MILLIS);
    // The pause window, under this monitor.
    private long lastCompletion = System.nanoTime();
    private long longestGap;
    private long longestGapEnd = lastCompletion;
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private final CompletableFuture<String> failed = new CompletableFuture<>();
    private volatile CountDownLatch progress = new CountDownLatch(0);

    /**
     * @param depth         commands in flight (one per slot)
     * @param blocksPerSlot blocks each slot owns; the region is {@code depth * blocksPerSlot} blocks from LBA 0
     * @param blockBytes    bytes per command, a multiple of the device's block size
     */
    public MixedVerifiedLoad(BlockDevice device, int depth, int blocksPerSlot, int blockBytes) {
        this.device = device;
        this.depth = depth;
        this.blocksPerSlot = blocksPerSlot;
        this.blockBytes = blockBytes;
        this.blockLbas = blockBytes / device.blockSize();
        this.acked = new long[depth * blocksPerSlot];
        this.generation = new long[depth * blocksPerSlot];
        this.stopped = new CountDownLatch(depth);
    }

    /** Starts every slot's chain of commands. */
    public MixedVerifiedLoad start() {
        for (int slot = 0; slot < depth; slot++) {
            int first = slot;
            // From a pool thread: a device that completes at once keeps its slot looping until stop().
            CompletableFuture.runAsync(() -> next(first, 0));
        }
        return this;
    }

    /**
     * Runs slot {@code slot} from {@code step}: a command per step, the next one issued when it completes. Commands
     * that complete at once are handled in this loop (no recursion however fast the device).
     */
    private void next(int slot, long step) {
        for (long at = step; ; at++) {
            if (!running || firstError.get() != null) {
                stopped.countDown();
                return;
            }
            int block = slot + depth * (int) (at % blocksPerSlot);
            boolean read = at % 3 == 2 && acked[block] != 0;
            ByteBuffer buffer = ByteBuffer.allocate(blockBytes);
            long gen = read ? 0 : ++generation[block];
            CompletableFuture<Void> io;
            try {
                if (read) {
                    io = device.read((long) block * blockLbas, buffer);
                } else {
                    fill(buffer, block, gen);
                    io = device.write((long) block * blockLbas, buffer, false);
                }
            } catch (RuntimeException e) {
                io = CompletableFuture.failedFuture(e);
            }
            if (!io.isDone()) {
                long following = at + 1;
                io.whenComplete((ignored, failure) -> {
                    finished(block, read, buffer, gen, failure);
                    next(slot, following);
                });
                return;
            }
            Throwable failure = null;
            try {
                io.join();
            } catch (RuntimeException e) {
                failure = e.getCause() != null ? e.getCause() : e;
            }
            finished(block, read, buffer, gen, failure);
        }
    }

    private void finished(int block, boolean read, ByteBuffer buffer, long gen, Throwable failure) {
        stamp();
        if (failure != null) {
            error((read ? "read" : "write") + " of block " + block + " failed: " + failure);
        } else if (read) {
            String wrong = check(buffer, block, acked[block]);
            if (wrong != null) {
                error(wrong);
            }
        } else {
            acked[block] = gen;
        }
    }

    private void error(String what) {
        if (firstError.compareAndSet(null, what)) {
            failed.complete(what);
        }
    }

    private void stamp() {
        long now = System.nanoTime();
        synchronized (this) {
            if (now - lastCompletion > longestGap) {
                longestGap = now - lastCompletion;
                longestGapEnd = now;
            }
            lastCompletion = now;
        }
        history.record(now);
        completions.incrementAndGet();
        progress.countDown();
    }

    private void fill(ByteBuffer buffer, int block, long gen) {
        buffer.putLong(0, block).putLong(8, gen);
        for (int at = HEADER; at + 8 <= blockBytes - 8; at += 8) {
            buffer.putLong(at, gen * 0x9E3779B97F4A7C15L ^ ((long) block << 32 | at));
        }
        CRC32C crc = new CRC32C();
        crc.update(buffer.array(), 0, blockBytes - 8);
        buffer.putLong(blockBytes - 8, crc.getValue());
    }

    /** Null when {@code buffer} holds block {@code block} at generation {@code gen}, else what is wrong. */
    private String check(ByteBuffer buffer, int block, long gen) {
        CRC32C crc = new CRC32C();
        crc.update(buffer.array(), 0, blockBytes - 8);
        if (buffer.getLong(blockBytes - 8) != crc.getValue()) {
            return "block " + block + ": checksum mismatch (torn or foreign data)";
        }
        if (buffer.getLong(0) != block) {
            return "block " + block + ": holds block " + buffer.getLong(0) + "'s data (misdirected write)";
        }
        if (buffer.getLong(8) != gen) {
            return "block " + block + ": generation " + buffer.getLong(8) + ", the last acknowledged write was "
                    + gen + " (a lost or stale write)";
        }
        return null;
    }

    public long completions() {
        return completions.get();
    }

    /** Starts a new pause window: the longest gap from now on. */
    public synchronized void resetLongestGap() {
        lastCompletion = System.nanoTime();
        longestGap = 0;
        longestGapEnd = lastCompletion;
    }

    /** The longest time without a completion since {@link #resetLongestGap()}, up to now. */
    public synchronized long longestGapNanos() {
        return Math.max(longestGap, System.nanoTime() - lastCompletion);
    }

    /** Completions per second between two {@link System#nanoTime()} readings of the last few seconds. */
    public double perSecond(long fromNanos, long toNanos) {
        return history.perSecond(fromNanos, toNanos);
    }

    /** When the longest gap since {@link #resetLongestGap()} ended ({@link System#nanoTime()}): the pause's end. */
    public synchronized long longestGapEndNanos() {
        return longestGapEnd;
    }

    /**
     * When I/O came back after {@code fromNanos} (a pause's end): the end ({@link System#nanoTime()}) of the first
     * {@code windowMillis} window from then with at least {@code perSecond} completions per second, or -1 when none
     * has yet.
     */
    public long recoveredAt(long fromNanos, double perSecond, int windowMillis) {
        return history.firstWindowAtRate(fromNanos, System.nanoTime(), windowMillis, perSecond);
    }

    /** Waits (bounded) until {@code more} completions happened after this call. */
    public boolean awaitProgress(int more, long timeout, TimeUnit unit) throws InterruptedException {
        CountDownLatch latch = new CountDownLatch(more);
        progress = latch;
        return latch.await(timeout, unit);
    }

    /** Completes with the first error a caller saw or a read found. */
    public CompletableFuture<String> failure() {
        return failed;
    }

    /** The first error a caller saw or a read found, or null. */
    public String firstError() {
        return firstError.get();
    }

    /** Lets every slot finish its command and stop; true when all did within the bound. */
    public boolean stop(long timeout, TimeUnit unit) throws InterruptedException {
        running = false;
        return stopped.await(timeout, unit);
    }

    /** Reads every block back and returns what differs from the record of acknowledged writes (empty: all good). */
    public List<String> verifyAll(long timeout, TimeUnit unit) throws Exception {
        List<String> wrong = new ArrayList<>();
        for (int block = 0; block < acked.length; block++) {
            if (acked[block] == 0) {
                continue;
            }
            ByteBuffer buffer = ByteBuffer.allocate(blockBytes);
            device.read((long) block * blockLbas, buffer).get(timeout, unit);
            String problem = check(buffer, block, acked[block]);
            if (problem != null) {
                wrong.add(problem);
            }
        }
        return Collections.unmodifiableList(wrong);
    }
}
