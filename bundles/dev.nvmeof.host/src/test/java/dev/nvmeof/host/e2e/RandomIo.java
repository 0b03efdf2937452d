package dev.nvmeof.host.e2e;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.nvmeof.api.BlockDevice;
import dev.nvmeof.api.IoRequest;

/**
 * Random reads and writes against a block device, verified by content against a shadow copy of the whole device.
 * {@code threads} submitting threads own {@code depth} reusable {@link IoRequest}s each, so {@code threads * depth}
 * are in flight; no two in flight overlap (their order on the wire would be undefined), which a shared table of
 * in-flight ranges ensures. A write updates the shadow when it is acknowledged; a read is compared with the shadow
 * when it completes. Half the transfers fit in the capsule ({@code inCapsuleBlocks} or fewer), half do not (writes
 * then go by R2T/H2CData).
 */
final class RandomIo {
    /** The most blocks per I/O. */
    static final int MAX_BLOCKS = 256;

    private final BlockDevice device;
    private final byte[] shadow;
    private final int blockSize;
    private final long blocks;
    private final int inCapsuleBlocks;
    private final long[][] inFlight;
    private final AtomicInteger issued = new AtomicInteger();
    final AtomicLong inCapsuleWrites = new AtomicLong();
    final AtomicLong r2tWrites = new AtomicLong();
    final AtomicLong reads = new AtomicLong();
    final AtomicLong bytes = new AtomicLong();
    private final List<String> failures = new ArrayList<>();

    RandomIo(BlockDevice device, byte[] shadow, int inCapsuleBlocks, int slots) {
        this.device = device;
        this.shadow = shadow;
        this.blockSize = device.blockSize();
        this.blocks = device.sizeBytes() / blockSize;
        this.inCapsuleBlocks = inCapsuleBlocks;
        this.inFlight = new long[slots][];
    }

    /** One request slot: a reusable request, its buffer, and what it is doing. */
    private static final class Slot {
        final int index;
        final IoRequest request = new IoRequest();
        final ByteBuffer buffer;
        final BlockingQueue<Slot> done;
        long lba;
        int length;
        boolean write;

        Slot(int index, int blockSize, BlockingQueue<Slot> done) {
            this.index = index;
            this.buffer = ByteBuffer.allocateDirect(MAX_BLOCKS * blockSize);
            this.done = done;
            request.callback(r -> this.done.add(this));
        }
    }

    /**
     * Runs {@code total} I/Os on {@code threads} threads of {@code depth} each (slots = threads * depth) and returns
     * the failures (empty when every I/O succeeded and every read matched).
     */
    List<String> run(int total, int threads, int depth, long seed) throws InterruptedException {
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int first = t * depth;
            long threadSeed = seed + t;
            Thread thread = new Thread(() -> work(total, first, depth, threadSeed), "random-io-" + t);
            workers.add(thread);
            thread.start();
        }
        for (Thread thread : workers) {
            thread.join(TimeUnit.SECONDS.toMillis(120));
            if (thread.isAlive()) {
                fail(thread.getName() + " still running after 120 s");
            }
        }
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }

    private void work(int total, int first, int depth, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        BlockingQueue<Slot> done = new ArrayBlockingQueue<>(depth);
        int outstanding = 0;
        for (int i = 0; i < depth; i++) {
            if (issued.getAndIncrement() < total) {
                start(new Slot(first + i, blockSize, done), random);
                outstanding++;
            }
        }
        try {
            while (outstanding > 0) {
                Slot slot = done.poll(30, TimeUnit.SECONDS);
                if (slot == null) {
                    fail(Thread.currentThread().getName() + ": no completion within 30 s, " + outstanding
                            + " outstanding");
                    return;
                }
                finish(slot);
                if (issued.getAndIncrement() < total) {
                    start(slot, random);
                } else {
                    outstanding--;
                }
            }
        } catch (InterruptedException e) {
            fail("interrupted");
        }
    }

    private void start(Slot slot, SplittableRandom random) {
        boolean small = random.nextBoolean();
        int n = small ? 1 + random.nextInt(inCapsuleBlocks) : inCapsuleBlocks + 1 + random.nextInt(
                MAX_BLOCKS - inCapsuleBlocks);
        slot.write = random.nextBoolean();
        slot.length = n * blockSize;
        slot.lba = reserve(slot.index, n, random);
        slot.buffer.clear().limit(slot.length);
        if (slot.write) {
            for (int i = 0; i + 8 <= slot.length; i += 8) {
                slot.buffer.putLong(i, random.nextLong());
            }
            (small ? inCapsuleWrites : r2tWrites).incrementAndGet();
            slot.request.write(slot.lba, slot.buffer, false);
        } else {
            reads.incrementAndGet();
            slot.request.read(slot.lba, slot.buffer);
        }
        device.submit(slot.request);
    }

    private void finish(Slot slot) {
        int offset = (int) (slot.lba * blockSize);
        if (!slot.request.succeeded()) {
            fail((slot.write ? "write" : "read") + " of " + slot.length + " bytes at LBA " + slot.lba + " failed: "
                    + slot.request.failure());
        } else if (slot.write) {
            slot.buffer.get(0, shadow, offset, slot.length);
        } else {
            int mismatch = slot.buffer.mismatch(ByteBuffer.wrap(shadow, offset, slot.length));
            if (mismatch >= 0) {
                fail("read of " + slot.length + " bytes at LBA " + slot.lba + " differs at byte " + mismatch);
            }
        }
        bytes.addAndGet(slot.length);
        release(slot.index);
    }

    /** A random start for {@code n} blocks overlapping nothing in flight, recorded for {@code index}. */
    private long reserve(int index, int n, SplittableRandom random) {
        synchronized (inFlight) {
            for (;;) {
                long lba = random.nextLong(blocks - n + 1);
                if (free(lba, n)) {
                    inFlight[index] = new long[] {lba, lba + n};
                    return lba;
                }
            }
        }
    }

    private boolean free(long lba, int n) {
        for (long[] range : inFlight) {
            if (range != null && lba < range[1] && range[0] < lba + n) {
                return false;
            }
        }
        return true;
    }

    private void release(int index) {
        synchronized (inFlight) {
            inFlight[index] = null;
        }
    }

    private void fail(String failure) {
        synchronized (failures) {
            if (failures.size() < 20) {
                failures.add(failure);
            }
        }
    }
}
