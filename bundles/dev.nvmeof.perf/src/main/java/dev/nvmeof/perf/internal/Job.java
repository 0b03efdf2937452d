package dev.nvmeof.perf.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;

import dev.nvmeof.api.BlockDevice;
import dev.nvmeof.api.IoRequest;
import dev.nvmeof.perf.PerfOptions;

/**
 * One job: a thread with its own requests, buffers and histograms, keeping {@code iodepth} requests in flight on
 * its part of the region. With {@link dev.nvmeof.perf.Completions#THREAD} completions only mark their slot done and
 * wake the thread if it sleeps; the thread reaps, records and resubmits what it reaped as one batch (one write per
 * queue). With {@link dev.nvmeof.perf.Completions#INLINE} (the measured run only) the completing thread records and
 * reissues under the job's monitor, and the host keeps a callback's submission on the queue it completed on. With
 * {@code rate_iops} the run's I/Os are issued on a schedule: the thread parks until the next one is due and issues
 * whatever is due as one batch. Nothing is allocated per I/O.
 *
 * <p>Phases: {@code PREFILL} writes the region with {@link DataPattern} (verifying runs that read), {@code RUN} is
 * the ramp and the measured window, {@code READBACK} reads and checks what a verifying run wrote.
 */
final class Job implements Runnable {
    enum Phase { PREFILL, RUN, READBACK }

    /** Longer than the host's 30 s command timeout: a request the host lost, not a slow one. */
    static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(60);
    static final long HIGHEST_LATENCY = TimeUnit.SECONDS.toNanos(60);
    private static final long PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final int REDRAWS = 16;
    /** With rate_iops, a schedule behind by up to this is made up as fio does (as slots free); past it, dropped. */
    private static final long BACKLOG_NANOS = TimeUnit.SECONDS.toNanos(1);

    final int index;
    private final BlockDevice device;
    private final PerfOptions options;
    private final Window window;
    private final int lbaSize;
    private final int blocksPerUnit;
    private final long firstLba;
    private final long units;
    private final Slot[] slots;
    private final int[] free;
    /** The requests of one submission batch. */
    private final IoRequest[] batch;
    private int freeCount;
    /** Per unit, with verify: the generation last written there, -generation while written, 0 when unknown. */
    private final int[] committed;
    final Histogram readLatency = new Histogram(1, HIGHEST_LATENCY, 3);
    final Histogram writeLatency = new Histogram(1, HIGHEST_LATENCY, 3);

    // Results: the owner's, read after the thread ended.
    long reads;
    long writes;
    long readErrors;
    long writeErrors;
    long verified;
    long verifyErrors;
    String firstError;
    long ranUntil;
    volatile Throwable failure;
    /** Every completion and every failure of the job: the progress line's counts. */
    final AtomicLong completedAll = new AtomicLong();
    final AtomicLong failedAll = new AtomicLong();
    final AtomicLong measuredIos = new AtomicLong();

    private final AtomicInteger completions = new AtomicInteger();
    /** The measured run completes inline: completions go to {@link #completeInline}. */
    private volatile boolean inlineActive;
    /** Under the monitor: a submission refused inline; no more are issued. */
    private Throwable inlineFailure;
    private int reaped;
    /** The job thread is parked or about to park; the first completion to clear it wakes the thread. */
    private final AtomicBoolean waiting = new AtomicBoolean();
    private volatile Thread owner;
    private long random;
    private long cursor;
    private long readSequence;
    private int generation = 1;
    private long measuredSubmitted;
    private long measureStart;
    private long end;
    /** With rate_iops: nanoseconds between two I/Os; 0 without a rate. */
    private final double intervalNanos;
    /** With rate_iops: the next I/O is due at {@code scheduleOrigin + dueOffset}. */
    private long scheduleOrigin;
    private double dueOffset;

    Job(int index, BlockDevice device, PerfOptions options, Window window, long firstLba, long units) {
        this.index = index;
        this.device = device;
        this.options = options;
        this.window = window;
        this.lbaSize = device.blockSize();
        this.blocksPerUnit = options.blockSize() / lbaSize;
        this.firstLba = firstLba;
        this.units = units;
        this.random = options.seed() * 0x9E3779B97F4A7C15L + index + 1;
        this.committed = options.verify() ? new int[Math.toIntExact(units)] : null;
        int depth = options.ioDepth();
        this.intervalNanos = options.rateIops() == 0 ? 0 : 1e9 / options.rateIops();
        ByteBuffer pool = ByteBuffer.allocateDirect(depth * options.blockSize() + 4096).alignedSlice(4096);
        this.slots = new Slot[depth];
        this.free = new int[depth];
        this.batch = new IoRequest[depth];
        for (int i = 0; i < depth; i++) {
            ByteBuffer buffer = pool.slice(i * options.blockSize(), options.blockSize())
                    .order(ByteOrder.LITTLE_ENDIAN);
            DataPattern.fill(buffer, options.blockSize(), lbaSize, firstLba, 0);
            slots[i] = new Slot(i, buffer, this);
            free[freeCount++] = i;
        }
    }

    boolean prefills() {
        return options.verify() && options.readPercent() > 0;
    }

    @Override
    public void run() {
        boolean prepared = false;
        boolean ran = false;
        try {
            if (prefills()) {
                drive(Phase.PREFILL);
            }
            window.prepared.countDown();
            prepared = true;
            window.go.await();
            drive(Phase.RUN);
            ranUntil = System.nanoTime();
            window.ran.countDown();
            ran = true;
            window.measured.await();
            if (options.verify() && options.readPercent() < 100 && !window.stop) {
                drive(Phase.READBACK);
            }
        } catch (InterruptedException e) {
            failure = e;
        } catch (Throwable t) { // a job thread must not die silently: the run reports it
            failure = t;
        } finally {
            if (!prepared) {
                window.prepared.countDown();
            }
            if (!ran) {
                window.ran.countDown();
            }
            window.finished.countDown();
        }
    }

    /** Called by a completing thread. */
    void signal(Slot s) {
        if (inlineActive) {
            completeInline(s);
            return;
        }
        completions.incrementAndGet();
        if (waiting.get() && waiting.compareAndSet(true, false)) { // one unpark per sleep, not one per completion
            LockSupport.unpark(owner);
        }
    }

    /**
     * In the completing thread, under the job's monitor (uncontended but for the job thread's first batch, and
     * safe when a job's requests complete on several threads): records the slot and, while the run goes on,
     * issues its next I/O there. A refused submission ends the job's run with that failure.
     */
    private void completeInline(Slot s) {
        IoRequest next = null;
        int taken = -1;
        boolean ended;
        synchronized (this) {
            completed(Phase.RUN, s);
            s.state = Slot.FREE;
            free[freeCount++] = s.index;
            completedAll.lazySet(completedAll.get() + 1);
            long now = s.doneAt; // the clock read once per I/O: it is read (in vDSO) on every completion anyway
            if (inlineFailure == null && more(Phase.RUN, now)) {
                next = prepare(Phase.RUN, now);
                taken = free[freeCount]; // the slot prepare took
            }
            ended = next == null && freeCount == slots.length;
        }
        if (next != null) {
            try {
                device.submit(next);
            } catch (RuntimeException | Error e) {
                synchronized (this) {
                    inlineFailure = e;
                    slots[taken].state = Slot.FREE; // the request was refused: its slot is free again
                    free[freeCount++] = taken;
                    ended = freeCount == slots.length;
                }
            }
        }
        if (ended) {
            LockSupport.unpark(owner);
        }
    }

    /**
     * The measured run with {@link dev.nvmeof.perf.Completions#INLINE}: the thread issues the first batch, then
     * waits.
     */
    private void driveInline() {
        begin();
        int prepared = 0;
        synchronized (this) {
            for (long now; freeCount > 0 && more(Phase.RUN, now = System.nanoTime()); ) {
                batch[prepared++] = prepare(Phase.RUN, now);
            }
            inlineActive = true;
        }
        if (prepared > 0) {
            device.submit(batch, 0, prepared);
        }
        long seen = completedAll.get();
        long lastCompletion = System.nanoTime();
        while (true) {
            synchronized (this) {
                if (freeCount == slots.length) {
                    inlineActive = false;
                    if (inlineFailure != null) {
                        throw new IllegalStateException("job " + index + ": submitting failed", inlineFailure);
                    }
                    return;
                }
            }
            long now = System.nanoTime();
            long done = completedAll.get();
            if (done != seen) {
                seen = done;
                lastCompletion = now;
            } else if (now - lastCompletion > STALL_NANOS) {
                throw stalled();
            }
            LockSupport.parkNanos(this, PARK_NANOS);
        }
    }

    void drive(Phase phase) {
        if (phase == Phase.RUN && options.completesInline()) {
            driveInline();
            return;
        }
        begin();
        long lastCompletion = System.nanoTime();
        scheduleOrigin = lastCompletion;
        dueOffset = 0;
        while (true) {
            if (reap(phase) > 0) {
                lastCompletion = System.nanoTime();
            }
            boolean more = true;
            int prepared = 0;
            for (long now; freeCount > 0 && (more = more(phase, now = System.nanoTime())) && due(phase); ) {
                batch[prepared++] = prepare(phase, now);
            }
            if (prepared > 0) {
                device.submit(batch, 0, prepared); // one write per queue for all of them
            }
            if (!more && freeCount == slots.length) {
                return;
            }
            if (completions.get() == reaped) {
                if (System.nanoTime() - lastCompletion > STALL_NANOS) {
                    throw stalled();
                }
                waiting.set(true);
                if (completions.get() == reaped) {
                    LockSupport.parkNanos(this, parkNanos(phase));
                }
                waiting.set(false);
            }
        }
    }

    /** A phase starts on the calling thread: its cursor, counts and window. */
    private void begin() {
        owner = Thread.currentThread();
        cursor = 0;
        measuredSubmitted = 0;
        measureStart = window.measureStart;
        end = window.end;
    }

    /** Requests in flight and none completed for {@link #STALL_NANOS}: one the host lost, not a slow one. */
    private IllegalStateException stalled() {
        return new IllegalStateException("job " + index + ": " + (slots.length - freeCount)
                + " I/Os in flight and none completed for " + STALL_NANOS / 1_000_000_000 + " s");
    }

    /** Whether the phase issues another I/O; {@code now} is the caller's clock reading. */
    private boolean more(Phase phase, long now) {
        switch (phase) {
            case PREFILL:
                return cursor < units;
            case READBACK:
                while (cursor < units && committed[(int) cursor] <= 0) {
                    cursor++;
                }
                return cursor < units;
            default:
                return !window.stop && now - end < 0
                        && (options.ioCount() == 0 || measuredSubmitted < options.ioCount());
        }
    }

    /**
     * With rate_iops, in the run: whether the schedule's next I/O is due; taking it moves the schedule on by one
     * interval. Whatever is due goes out in one batch, so a short stall (the thread descheduled, a GC pause) is made
     * up and the offered load holds; a schedule more than a second behind drops the excess rather than bursting it.
     */
    private boolean due(Phase phase) {
        if (phase != Phase.RUN || intervalNanos == 0) {
            return true;
        }
        long now = System.nanoTime();
        long late = now - (scheduleOrigin + (long) dueOffset);
        if (late < 0) {
            return false;
        }
        if (late > BACKLOG_NANOS) {
            dueOffset = now - scheduleOrigin - BACKLOG_NANOS;
        }
        dueOffset += intervalNanos;
        return true;
    }

    /** Until a completion wakes us, or with a rate and a free slot, the next I/O falls due: no sleep per I/O. */
    private long parkNanos(Phase phase) {
        if (phase != Phase.RUN || intervalNanos == 0 || freeCount == 0) {
            return PARK_NANOS;
        }
        long untilDue = scheduleOrigin + (long) dueOffset - System.nanoTime();
        return Math.max(1, Math.min(PARK_NANOS, untilDue));
    }

    /** Takes a free slot and readies its request (submitted with the rest of the batch). */
    private IoRequest prepare(Phase phase, long now) {
        Slot s = slots[free[--freeCount]];
        boolean read;
        long unit;
        if (phase == Phase.RUN) {
            int share = options.readPercent();
            read = share == 100 || share > 0 && nextRandom(100) < share;
            unit = nextUnit();
            for (int i = 0; committed != null && !read && committed[(int) unit] < 0; i++) {
                if (i == REDRAWS) {
                    read = true; // every draw hit a write in flight: two writes at once leave an unknown winner
                    break;
                }
                unit = nextUnit();
            }
            s.measured = now - measureStart >= 0;
            if (s.measured) {
                measuredSubmitted++;
            }
        } else {
            read = phase == Phase.READBACK;
            unit = cursor++;
            s.measured = false;
        }
        long lba = firstLba + unit * blocksPerUnit;
        s.unit = unit;
        s.lba = lba;
        s.read = read;
        s.generation = 0;
        ByteBuffer buffer = s.buffer.clear();
        if (committed != null) {
            int known = committed[(int) unit];
            if (!read) {
                generation = phase == Phase.PREFILL ? 1 : DataPattern.next(generation);
                s.generation = generation;
                committed[(int) unit] = -generation;
                DataPattern.fill(buffer, buffer.capacity(), lbaSize, lba, generation);
            } else if (known > 0 && (phase == Phase.READBACK || ++readSequence % options.verifyEvery() == 0)) {
                s.generation = known;
                DataPattern.clear(buffer, buffer.capacity(), lbaSize);
            }
        }
        s.state = Slot.BUSY;
        s.submittedAt = now;
        return read ? s.request.read(lba, buffer) : s.request.write(lba, buffer, false);
    }

    private long nextUnit() {
        return options.rw().random() ? nextRandom(units) : cursor++ % units;
    }

    private int reap(Phase phase) {
        if (completions.get() == reaped) {
            return 0;
        }
        int n = 0;
        for (Slot s : slots) {
            if (s.state == Slot.DONE) {
                completed(phase, s);
                s.state = Slot.FREE;
                free[freeCount++] = s.index;
                n++;
            }
        }
        reaped += n;
        completedAll.lazySet(completedAll.get() + n);
        return n;
    }

    private void completed(Phase phase, Slot s) {
        boolean ok = s.request.succeeded();
        if (committed != null && !s.read) {
            committed[(int) s.unit] = ok ? s.generation : 0;
        }
        if (!ok) {
            if (s.read) {
                readErrors++;
            } else {
                writeErrors++;
            }
            failedAll.lazySet(failedAll.get() + 1);
            if (firstError == null) { // allocates, once
                firstError = (s.read ? "read" : "write") + " of LBA " + s.lba + " failed: "
                        + s.request.failure().getMessage();
            }
            return;
        }
        if (phase == Phase.RUN && s.doneAt - measureStart >= 0 && s.doneAt - end < 0
                && (options.ioCount() == 0 || s.measured)) {
            long latency = Math.min(Math.max(1, s.doneAt - s.submittedAt), HIGHEST_LATENCY);
            if (s.read) {
                reads++;
                readLatency.recordValue(latency);
            } else {
                writes++;
                writeLatency.recordValue(latency);
            }
            measuredIos.lazySet(reads + writes);
        }
        if (s.read && s.generation != 0) {
            verified++;
            int wrong = DataPattern.check(s.buffer, s.buffer.capacity(), lbaSize, s.lba, s.generation);
            if (wrong >= 0) {
                verifyErrors++;
                if (firstError == null) {
                    firstError = DataPattern.describe(s.buffer, wrong, lbaSize, s.lba, s.generation);
                }
            }
        }
    }

    /** xorshift64*: uniform in {@code [0, bound)}, no allocation. */
    private long nextRandom(long bound) {
        random ^= random >>> 12;
        random ^= random << 25;
        random ^= random >>> 27;
        return Long.remainderUnsigned(random * 0x2545F4914F6CDD1DL, bound);
    }
}
