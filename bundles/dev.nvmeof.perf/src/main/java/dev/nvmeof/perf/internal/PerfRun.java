package dev.nvmeof.perf.internal;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.HdrHistogram.Histogram;

import dev.nvmeof.api.BlockDevice;
import dev.nvmeof.api.CpuAccounting;
import dev.nvmeof.perf.PerfOptions;
import dev.nvmeof.perf.PerfProgress;
import dev.nvmeof.perf.PerfResult;

/**
 * One run: splits the region among the jobs, starts their threads ({@code perf-<device>-<n>}, host threads for
 * {@link CpuAccounting}), opens the measured window once every job is prepared, reports progress once a second,
 * takes the CPU and host-side allocation snapshots at the window's edges, and merges the jobs' figures.
 */
public final class PerfRun {
    /** With verify, each job's part of the region is at most this many I/O units (an int each). */
    static final long MAX_VERIFY_UNITS = 16L << 20;
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    /** Jobs drain their requests within {@link Job#STALL_NANOS} or fail; this is past that. */
    private static final long JOIN_NANOS = Job.STALL_NANOS + TimeUnit.SECONDS.toNanos(10);

    private final BlockDevice device;
    private final PerfOptions options;
    private final Consumer<PerfProgress> progress;
    private final Window window;
    private final Job[] jobs;
    private boolean interrupted;
    private long stoppedAt;
    /** Host-side allocation when the window opened, taken with the first CPU snapshot. */
    private Map<Long, Long> allocationStart;

    public PerfRun(BlockDevice device, PerfOptions options, Consumer<PerfProgress> progress) {
        this.device = device;
        this.options = options;
        this.progress = progress == null ? p -> { } : progress;
        if (options.runtime().isZero() && options.ioCount() == 0) {
            throw new IllegalArgumentException("runtime or number_ios must be above 0");
        }
        int lbaSize = device.blockSize();
        if (options.blockSize() % lbaSize != 0) {
            throw new IllegalArgumentException("bs " + options.blockSize() + " is not a multiple of " + device.name()
                    + "'s block size (" + lbaSize + ")");
        }
        long region = options.sizeBytes() == 0 ? device.sizeBytes() : options.sizeBytes();
        if (region > device.sizeBytes()) {
            throw new IllegalArgumentException("size " + region + " is more than " + device.name() + " has ("
                    + device.sizeBytes() + " bytes)");
        }
        long unitsPerJob = region / options.blockSize() / options.jobs();
        if (unitsPerJob < 1) {
            throw new IllegalArgumentException("size " + region + " has less than one bs (" + options.blockSize()
                    + ") per job (numjobs " + options.jobs() + ")");
        }
        if (options.verify() && unitsPerJob > MAX_VERIFY_UNITS) {
            throw new IllegalArgumentException("verify tracks at most " + MAX_VERIFY_UNITS + " I/O units per job, "
                    + "not " + unitsPerJob + ": give a smaller size");
        }
        this.window = new Window(options.jobs());
        this.jobs = new Job[options.jobs()];
        long blocksPerJob = unitsPerJob * (options.blockSize() / lbaSize);
        for (int i = 0; i < jobs.length; i++) {
            jobs[i] = new Job(i, device, options, window, i * blocksPerJob, unitsPerJob);
        }
    }

    public PerfResult run() {
        Thread[] threads = new Thread[jobs.length];
        for (int i = 0; i < jobs.length; i++) {
            threads[i] = new Thread(jobs[i], "perf-" + device.name() + "-" + i);
            threads[i].setDaemon(true);
            threads[i].start();
        }
        CpuAccounting.Snapshot cpuStart = null;
        CpuAccounting.Snapshot cpuEnd = null;
        long allocated = -1;
        long start = 0;
        try {
            awaitPrepared();
            start = System.nanoTime();
            long measureStart = start + options.rampTime().toNanos();
            long runtime = options.runtime().isZero() ? PerfOptions.MAX_RUNTIME.toNanos() : options.runtime().toNanos();
            window.measureStart = measureStart;
            window.end = measureStart + runtime;
            window.go.countDown();
            cpuStart = tickUntil(measureStart, start);
            cpuEnd = CpuAccounting.snapshot();
            allocated = HostAllocation.between(allocationStart, HostAllocation.sample());
            window.measured.countDown();
            if (!await(window.finished, JOIN_NANOS)) {
                throw new IllegalStateException(device.name() + ": the jobs did not finish");
            }
        } finally {
            window.stop = true;
            window.go.countDown();
            window.measured.countDown();
        }
        for (Job job : jobs) {
            if (job.failure != null && !(job.failure instanceof InterruptedException)) {
                throw new IllegalStateException(device.name() + ": " + job.failure.getMessage(), job.failure);
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return result(cpuEnd.minus(cpuStart), allocated);
    }

    private void awaitPrepared() {
        // A prefill ends or fails by itself: a job whose I/O stalls throws after Job.STALL_NANOS.
        while (!await(window.prepared, SECOND)) {
            if (window.stop) {
                break;
            }
        }
    }

    /**
     * Reports progress once a second until every job ran; takes the first CPU snapshot when the window opens.
     * Returns that snapshot (taken now if the window never opened).
     */
    private CpuAccounting.Snapshot tickUntil(long measureStart, long start) {
        CountDownLatch ran = window.ran;
        CpuAccounting.Snapshot cpuStart = null;
        long nextTick = start + SECOND;
        long lastCompleted = 0;
        long lastTick = start;
        while (true) {
            long now = System.nanoTime();
            if (cpuStart == null && now - measureStart >= 0) {
                cpuStart = CpuAccounting.snapshot();
                allocationStart = HostAllocation.sample();
            }
            if (now - window.end >= 0 && cpuStart != null || ran.getCount() == 0) {
                if (cpuStart == null) {
                    allocationStart = HostAllocation.sample();
                    return CpuAccounting.snapshot();
                }
                return cpuStart;
            }
            if (now - nextTick >= 0) {
                long completed = sum(0);
                double seconds = (now - lastTick) / 1e9;
                double iops = (completed - lastCompleted) / seconds;
                progress.accept(new PerfProgress((now - start) / 1e9, (window.end - start) / 1e9,
                        now - measureStart < 0, iops, iops * options.blockSize() / (1 << 20), sum(2), sum(1)));
                lastCompleted = completed;
                lastTick = now;
                nextTick += SECOND;
            }
            long wake = Math.min(nextTick, cpuStart == null ? measureStart : window.end);
            await(ran, Math.max(1, wake - System.nanoTime()));
        }
    }

    /** 0: every completion, 1: every failure, 2: measured I/Os. */
    private long sum(int which) {
        long total = 0;
        for (Job job : jobs) {
            total += (which == 0 ? job.completedAll : which == 1 ? job.failedAll : job.measuredIos).get();
        }
        return total;
    }

    /** Waits up to {@code nanos}; an interrupt stops the run (once) and the wait goes on. */
    private boolean await(CountDownLatch latch, long nanos) {
        long deadline = System.nanoTime() + nanos;
        while (true) {
            try {
                return latch.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                if (!interrupted) {
                    interrupted = true;
                    stoppedAt = System.nanoTime();
                    window.stop = true;
                }
            }
        }
    }

    private PerfResult result(CpuAccounting.Snapshot cpu, long hostAllocatedBytes) {
        Histogram reads = new Histogram(1, Job.HIGHEST_LATENCY, 3);
        Histogram writes = new Histogram(1, Job.HIGHEST_LATENCY, 3);
        long windowEnd = window.end;
        long ranUntil = Long.MIN_VALUE;
        long[] counts = new long[6];
        String firstError = null;
        for (Job job : jobs) {
            reads.add(job.readLatency);
            writes.add(job.writeLatency);
            ranUntil = Math.max(ranUntil, job.ranUntil);
            counts[0] += job.readErrors;
            counts[1] += job.writeErrors;
            counts[2] += job.verified;
            counts[3] += job.verifyErrors;
            firstError = firstError == null ? job.firstError : firstError;
        }
        windowEnd = ranUntil - windowEnd < 0 ? ranUntil : windowEnd;
        if (interrupted && stoppedAt - windowEnd < 0) {
            windowEnd = stoppedAt;
        }
        long elapsed = Math.max(0, windowEnd - window.measureStart);
        int bs = options.blockSize();
        return new PerfResult(device.name(), options, elapsed,
                new PerfResult.Direction(reads.getTotalCount(), counts[0], reads.getTotalCount() * bs, latency(reads)),
                new PerfResult.Direction(writes.getTotalCount(), counts[1], writes.getTotalCount() * bs,
                        latency(writes)),
                cpu, counts[2], counts[3], firstError, interrupted, hostAllocatedBytes);
    }

    private static PerfResult.Latency latency(Histogram h) {
        if (h.getTotalCount() == 0) {
            return new PerfResult.Latency(0, 0, 0, 0, 0);
        }
        return new PerfResult.Latency(h.getValueAtPercentile(50), h.getValueAtPercentile(99),
                h.getValueAtPercentile(99.9), h.getMaxValue(), h.getMean());
    }
}
