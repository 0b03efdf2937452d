package dev.nvmeof.benchmarks.cpu;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.LockSupport;

import dev.nvmeof.api.BlockDevice;
import dev.nvmeof.api.IoRequest;

/**
 * The load: random reads at a fixed offered rate, open loop, from one long-lived thread ({@code bench-load}, a host
 * thread by {@link dev.nvmeof.api.CpuAccounting}'s classes). It submits on a schedule ({@code 1/rate} apart; after a
 * sleep it submits every read that fell due, so it wakes at most once per read and usually less often), with at most
 * {@code depth} reads in flight; it never waits for a completion to submit the next read.
 *
 * <p>Completions do not wake this thread: a completion callback (on whatever thread the transport completes on) only
 * marks its slot done; the load thread reaps done slots when it wakes for the next submission. So the load adds no
 * cross-thread hand-off to the I/O path beyond what the transport itself does. A read counts when it completed
 * successfully (reaped), not when it was submitted; each round ends by waiting for every read in flight.
 *
 * <p>Every {@code sampleEvery}-th read is verified against {@link Rig.Pattern}: its buffer is zeroed before it is
 * submitted and checked word by word after it completed. The CPU time of zeroing and checking (this thread's CPU
 * clock around them) is reported, so it can be taken out of the host figure.
 */
final class PacedReads implements AutoCloseable {
    /** A read offered more than this much behind schedule (all slots busy) is skipped, not submitted late. */
    private static final long MAX_LAG_NANOS = 2_000_000;
    private static final int FREE = 0;
    private static final int BUSY = 1;
    private static final int DONE = 2;

    private final int depth;
    private final Slot[] slots;
    private final int[] free;
    private final Thread thread;
    private final LinkedBlockingQueue<Job> jobs = new LinkedBlockingQueue<>();
    private final ThreadMXBean threadBean = ManagementFactory.getThreadMXBean();
    private int freeCount;
    private long random = 0x2545F4914F6CDD1DL;
    private long sequence;

    /** What one run of the load did. */
    record Result(long completions, long failures, long bytes, long submitted, long skipped, long verified,
            long verifyFailures, long verifyCpuNanos, long elapsedNanos) {
    }

    /** A run: read {@code ioSize} bytes at random aligned offsets of {@code device} at {@code rate} per second. */
    private record Job(BlockDevice device, long namespaceBytes, int ioSize, double rate, long durationNanos,
            int sampleEvery, CompletableFuture<Result> result) {
    }

    PacedReads(int depth, int maxIoSize) {
        this.depth = depth;
        this.slots = new Slot[depth];
        this.free = new int[depth];
        for (int i = 0; i < depth; i++) {
            slots[i] = new Slot(i, ByteBuffer.allocateDirect(maxIoSize).order(ByteOrder.LITTLE_ENDIAN));
            free[freeCount++] = i;
        }
        thread = new Thread(this::serve, "bench-load");
        thread.setDaemon(true);
        thread.start();
    }

    /** Runs the load for {@code durationNanos} on the load thread and waits for it (and for its reads in flight). */
    Result run(BlockDevice device, long namespaceBytes, int ioSize, double rate, long durationNanos, int sampleEvery)
            throws Exception {
        CompletableFuture<Result> result = new CompletableFuture<>();
        jobs.add(new Job(device, namespaceBytes, ioSize, rate, durationNanos, sampleEvery, result));
        return result.get();
    }

    private void serve() {
        while (true) {
            Job job;
            try {
                job = jobs.take();
            } catch (InterruptedException e) {
                return;
            }
            if (job.device == null) {
                return;
            }
            try {
                job.result.complete(load(job));
            } catch (Throwable t) {
                job.result.completeExceptionally(t);
            }
        }
    }

    private Result load(Job job) {
        Counters c = new Counters();
        long interval = Math.max(1, Math.round(1e9 / job.rate));
        long blocksPerIo = job.ioSize / Rig.BLOCK;
        long positions = job.namespaceBytes / job.ioSize;
        long start = System.nanoTime();
        long end = start + job.durationNanos;
        long due = start;
        while (true) {
            long now = System.nanoTime();
            if (now - end >= 0) {
                break;
            }
            reap(job, c);
            while (due - now <= 0) {
                if (freeCount == 0) {
                    if (now - due > MAX_LAG_NANOS) {
                        long behind = (now - due - MAX_LAG_NANOS) / interval + 1;
                        c.skipped += behind;
                        due += behind * interval;
                    }
                    break;
                }
                submit(job, c, nextPosition(positions) * blocksPerIo);
                due += interval;
            }
            long wait = due - System.nanoTime();
            LockSupport.parkNanos(freeCount == 0 ? Math.min(Math.max(wait, 0), 20_000) + 1 : Math.max(wait, 1));
        }
        long drainDeadline = System.nanoTime() + 30_000_000_000L;
        while (freeCount < depth) {
            reap(job, c);
            if (freeCount < depth) {
                if (System.nanoTime() - drainDeadline > 0) {
                    throw new IllegalStateException((depth - freeCount) + " reads still in flight after 30 s");
                }
                LockSupport.parkNanos(20_000);
            }
        }
        return new Result(c.completions, c.failures, c.bytes, c.submitted, c.skipped, c.verified, c.verifyFailures,
                c.verifyCpuNanos, System.nanoTime() - start);
    }

    private void submit(Job job, Counters c, long lba) {
        Slot slot = slots[free[--freeCount]];
        ByteBuffer b = slot.buffer;
        b.clear().limit(job.ioSize);
        slot.sampled = job.sampleEvery > 0 && sequence++ % job.sampleEvery == 0;
        if (slot.sampled) {
            long cpu = threadBean.getCurrentThreadCpuTime();
            for (int i = 0; i < job.ioSize; i += 8) {
                b.putLong(i, 0L);
            }
            c.verifyCpuNanos += threadBean.getCurrentThreadCpuTime() - cpu;
        }
        slot.lba = lba;
        slot.state = BUSY;
        c.submitted++;
        job.device.submit(slot.request.read(lba, b));
    }

    private void reap(Job job, Counters c) {
        for (Slot slot : slots) {
            if (slot.state != DONE) {
                continue;
            }
            if (!slot.request.succeeded()) {
                c.failures++;
            } else {
                c.completions++;
                c.bytes += job.ioSize;
                if (slot.sampled) {
                    long cpu = threadBean.getCurrentThreadCpuTime();
                    if (Rig.Pattern.check(slot.buffer, slot.lba * Rig.BLOCK, job.ioSize) >= 0) {
                        c.verifyFailures++;
                    }
                    c.verified++;
                    c.verifyCpuNanos += threadBean.getCurrentThreadCpuTime() - cpu;
                }
            }
            slot.state = FREE;
            free[freeCount++] = slot.index;
        }
    }

    /** xorshift64*: a uniform position in {@code [0, positions)}, no allocation. */
    private long nextPosition(long positions) {
        random ^= random >>> 12;
        random ^= random << 25;
        random ^= random >>> 27;
        return Long.remainderUnsigned(random * 0x2545F4914F6CDD1DL, positions);
    }

    @Override
    public void close() throws InterruptedException {
        jobs.add(new Job(null, 0, 0, 0, 0, 0, null));
        thread.join(5_000);
    }

    private static final class Counters {
        long completions;
        long failures;
        long bytes;
        long submitted;
        long skipped;
        long verified;
        long verifyFailures;
        long verifyCpuNanos;
    }

    /** One reusable read: its request, its buffer, and its state (the callback's only write). */
    private static final class Slot implements IoRequest.Callback {
        final int index;
        final ByteBuffer buffer;
        final IoRequest request = new IoRequest();
        volatile int state = FREE;
        long lba;
        boolean sampled;

        Slot(int index, ByteBuffer buffer) {
            this.index = index;
            this.buffer = buffer;
            request.callback(this);
        }

        @Override
        public void completed(IoRequest r) {
            state = DONE;
        }
    }
}
