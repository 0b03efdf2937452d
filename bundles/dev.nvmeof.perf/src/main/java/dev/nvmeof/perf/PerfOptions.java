package dev.nvmeof.perf;

import java.time.Duration;

/**
 * One run, in fio's terms and with its defaults. Every job (thread) owns an equal, disjoint part of the region
 * (the first {@code sizeBytes} of the device, all of it when 0) and keeps {@code ioDepth} requests in flight.
 *
 * @param rw          the access pattern and direction
 * @param readPercent for a mix, the reads' share in percent (fio's {@code rwmixread}); else 100 or 0
 * @param blockSize   bytes per I/O, a multiple of the device's block size (fio's {@code bs})
 * @param ioDepth     requests in flight per job (fio's {@code iodepth})
 * @param jobs        threads, each with its own requests and buffers (fio's {@code numjobs})
 * @param runtime     the measured window, after the ramp (fio's {@code runtime})
 * @param ioCount     when above 0, each job stops after this many measured I/Os (fio's {@code number_ios}), or
 *                    at the end of {@code runtime} if that comes first
 * @param rampTime    I/O before the window opens, not counted (fio's {@code ramp_time})
 * @param sizeBytes   the region, from LBA 0; 0 for the whole device (fio's {@code size})
 * @param verify      stamp every write with a pattern keyed by LBA and generation and check a sample of reads;
 *                    when the run reads, the region is written with the pattern first
 * @param verifyEvery with {@code verify}, one read in this many is checked
 * @param seed        of the random offsets and of the read/write choice
 * @param rateIops    when above 0, each job issues I/Os on a schedule at this rate (fio's {@code rate_iops}, per
 *                    job): a fixed offered load, at most {@code ioDepth} in flight; 0 for as fast as it completes
 * @param completions where the measured run's completions are handled and the next I/O issued; with a
 *                    {@code rateIops} always {@link Completions#THREAD} (the schedule is the job thread's)
 */
public record PerfOptions(Rw rw, int readPercent, int blockSize, int ioDepth, int jobs, Duration runtime,
        long ioCount, Duration rampTime, long sizeBytes, boolean verify, int verifyEvery, long seed, long rateIops,
        Completions completions) {

    public static final int MAX_IO_DEPTH = 1024;
    public static final int MAX_JOBS = 64;
    public static final int MAX_BLOCK_SIZE = 16 << 20;
    /** All jobs' buffers together. */
    public static final long MAX_BUFFER_BYTES = 1L << 30;
    public static final Duration MAX_RUNTIME = Duration.ofDays(1);
    /** Per job; past this the schedule's interval (1 ns) could not be kept anyway. */
    public static final long MAX_RATE_IOPS = 100_000_000L;

    public PerfOptions {
        if (rw == null || runtime == null || rampTime == null || completions == null) {
            throw new IllegalArgumentException("rw, runtime, ramp_time and completions are required");
        }
        check(readPercent >= 0 && readPercent <= 100, "rwmixread " + readPercent + " is not 0..100");
        check(rw.mixed() || readPercent == rw.defaultReadPercent(), "rwmixread applies to rw and randrw, not "
                + rw.fioName());
        check(blockSize > 0 && blockSize <= MAX_BLOCK_SIZE, "bs " + blockSize + " is not 1.." + MAX_BLOCK_SIZE);
        check(ioDepth >= 1 && ioDepth <= MAX_IO_DEPTH, "iodepth " + ioDepth + " is not 1.." + MAX_IO_DEPTH);
        check(jobs >= 1 && jobs <= MAX_JOBS, "numjobs " + jobs + " is not 1.." + MAX_JOBS);
        check((long) blockSize * ioDepth * jobs <= MAX_BUFFER_BYTES, "bs x iodepth x numjobs is "
                + (long) blockSize * ioDepth * jobs + " bytes of buffers, more than " + MAX_BUFFER_BYTES);
        check(!runtime.isNegative() && runtime.compareTo(MAX_RUNTIME) <= 0, "runtime " + runtime
                + " is not 0..1 day");
        check(!rampTime.isNegative() && rampTime.compareTo(MAX_RUNTIME) <= 0, "ramp_time " + rampTime
                + " is not 0..1 day");
        check(ioCount >= 0, "number_ios " + ioCount + " is negative");
        check(sizeBytes >= 0, "size " + sizeBytes + " is negative");
        check(verifyEvery >= 1, "verify interval " + verifyEvery + " is below 1");
        check(rateIops >= 0 && rateIops <= MAX_RATE_IOPS, "rate_iops " + rateIops + " is not 0.." + MAX_RATE_IOPS);
    }

    /** The options of version 1.1: completions {@link Completions#INLINE}. */
    public PerfOptions(Rw rw, int readPercent, int blockSize, int ioDepth, int jobs, Duration runtime, long ioCount,
            Duration rampTime, long sizeBytes, boolean verify, int verifyEvery, long seed, long rateIops) {
        this(rw, readPercent, blockSize, ioDepth, jobs, runtime, ioCount, rampTime, sizeBytes, verify, verifyEvery,
                seed, rateIops, Completions.INLINE);
    }

    /** The options of version 1.0, without a rate limit. */
    public PerfOptions(Rw rw, int readPercent, int blockSize, int ioDepth, int jobs, Duration runtime, long ioCount,
            Duration rampTime, long sizeBytes, boolean verify, int verifyEvery, long seed) {
        this(rw, readPercent, blockSize, ioDepth, jobs, runtime, ioCount, rampTime, sizeBytes, verify, verifyEvery,
                seed, 0);
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /**
     * fio's defaults: 4 KiB random reads, iodepth 1, one job, 10 s, no ramp, the whole device, no verify; completions
     * inline.
     */
    public static PerfOptions defaults() {
        return new PerfOptions(Rw.RANDREAD, 100, 4096, 1, 1, Duration.ofSeconds(10), 0, Duration.ZERO, 0, false,
                16, 0x5EEDL, 0, Completions.INLINE);
    }

    /** Sets the pattern and its default read share ({@link Rw#defaultReadPercent()}). */
    public PerfOptions withRw(Rw value) {
        return new PerfOptions(value, value.defaultReadPercent(), blockSize, ioDepth, jobs, runtime, ioCount,
                rampTime, sizeBytes, verify, verifyEvery, seed, rateIops, completions);
    }

    /** The reads' share of a mix; refused for a pattern that is not one. */
    public PerfOptions withReadPercent(int value) {
        check(rw.mixed(), "rwmixread applies to rw and randrw, not " + rw.fioName());
        return new PerfOptions(rw, value, blockSize, ioDepth, jobs, runtime, ioCount, rampTime, sizeBytes, verify,
                verifyEvery, seed, rateIops, completions);
    }

    public PerfOptions withBlockSize(int value) {
        return new PerfOptions(rw, readPercent, value, ioDepth, jobs, runtime, ioCount, rampTime, sizeBytes, verify,
                verifyEvery, seed, rateIops, completions);
    }

    public PerfOptions withIoDepth(int value) {
        return new PerfOptions(rw, readPercent, blockSize, value, jobs, runtime, ioCount, rampTime, sizeBytes, verify,
                verifyEvery, seed, rateIops, completions);
    }

    public PerfOptions withJobs(int value) {
        return new PerfOptions(rw, readPercent, blockSize, ioDepth, value, runtime, ioCount, rampTime, sizeBytes,
                verify, verifyEvery, seed, rateIops, completions);
    }

    public PerfOptions withRuntime(Duration value) {
        return new PerfOptions(rw, readPercent, blockSize, ioDepth, jobs, value, ioCount, rampTime, sizeBytes, verify,
                verifyEvery, seed, rateIops, completions);
    }

    /** Each job's measured I/O count; with it alone (runtime 0), the run ends only by count. */
    public PerfOptions withIoCount(long value) {
        return new PerfOptions(rw, readPercent, blockSize, ioDepth, jobs, runtime, value, rampTime, sizeBytes, verify,
                verifyEvery, seed, rateIops, completions);
    }

    public PerfOptions withRampTime(Duration value) {
        return new PerfOptions(rw, readPercent, blockSize, ioDepth, jobs, runtime, ioCount, value, sizeBytes, verify,
                verifyEvery, seed, rateIops, completions);
    }

    public PerfOptions withSize(long bytes) {
        return new PerfOptions(rw, readPercent, blockSize, ioDepth, jobs, runtime, ioCount, rampTime, bytes, verify,
                verifyEvery, seed, rateIops, completions);
    }

    public PerfOptions withVerify(boolean value) {
        return new PerfOptions(rw, readPercent, blockSize, ioDepth, jobs, runtime, ioCount, rampTime, sizeBytes, value,
                verifyEvery, seed, rateIops, completions);
    }

    public PerfOptions withVerifyEvery(int value) {
        return new PerfOptions(rw, readPercent, blockSize, ioDepth, jobs, runtime, ioCount, rampTime, sizeBytes, verify,
                value, seed, rateIops, completions);
    }

    public PerfOptions withSeed(long value) {
        return new PerfOptions(rw, readPercent, blockSize, ioDepth, jobs, runtime, ioCount, rampTime, sizeBytes, verify,
                verifyEvery, value, rateIops, completions);
    }

    /** Each job's offered load in I/Os per second (fio's {@code rate_iops}); 0 for none. */
    public PerfOptions withRateIops(long value) {
        return new PerfOptions(rw, readPercent, blockSize, ioDepth, jobs, runtime, ioCount, rampTime, sizeBytes, verify,
                verifyEvery, seed, value, completions);
    }

    /** Where the measured run's completions are handled ({@link Completions}). */
    public PerfOptions withCompletions(Completions value) {
        return new PerfOptions(rw, readPercent, blockSize, ioDepth, jobs, runtime, ioCount, rampTime, sizeBytes, verify,
                verifyEvery, seed, rateIops, value);
    }

    /** Whether the run's completions are handled inline: asked for, and no rate whose schedule needs the thread. */
    public boolean completesInline() {
        return completions == Completions.INLINE && rateIops == 0;
    }
}
