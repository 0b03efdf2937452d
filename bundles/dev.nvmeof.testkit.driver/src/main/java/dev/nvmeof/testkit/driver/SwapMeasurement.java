package dev.nvmeof.testkit.driver;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark f's figures for changes of path under a running {@link MixedVerifiedLoad} (a driver swapped, a
 * failover): per change, the pause (the longest gap between two completions until I/O flows again) and the time from
 * the change until a {@value #RECOVERY_WINDOW_MILLIS} ms window after that pause runs at 90 % of the IOPS of the
 * 200 ms before it. After each change it waits for {@value #SETTLE_SECONDS} s of I/O at the earlier rate, long enough
 * to see the rate come back and for the next change's "before" to be steady. One thread at a time.
 */
public final class SwapMeasurement {
    public static final double SETTLE_SECONDS = 0.4;
    public static final int RECOVERY_WINDOW_MILLIS = 10;
    private static final long RATE_WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    /** The change of path being measured. */
    @FunctionalInterface
    public interface Change {
        void run() throws Exception;
    }

    /**
     * One change: its pause, its time back to 90 % ({@link Long#MAX_VALUE} when not back within the settling I/O)
     * and the rate before it.
     */
    public record Measured(long pauseMillis, long recoveryMillis, double perSecondBefore) {
        public boolean back() {
            return recoveryMillis != Long.MAX_VALUE;
        }
    }

    /** Every change measured so far, sorted: quantiles of pauses and recoveries. */
    public record Figures(long[] pauses, long[] recoveries) {
        public int count() {
            return pauses.length;
        }

        public long pause(double quantile) {
            return at(pauses, quantile);
        }

        public long recovery(double quantile) {
            return at(recoveries, quantile);
        }

        public long notBack() {
            return Arrays.stream(recoveries).filter(ms -> ms == Long.MAX_VALUE).count();
        }

        /** A recovery in words: "37 ms" or "not back". */
        public static String millis(long recoveryMillis) {
            return recoveryMillis == Long.MAX_VALUE ? "not back" : recoveryMillis + " ms";
        }

        private static long at(long[] sorted, double quantile) {
            return sorted.length == 0 ? -1 : sorted[Math.min(sorted.length - 1, (int) (sorted.length * quantile))];
        }
    }

    private final MixedVerifiedLoad load;
    private final int flowing;
    private final long timeoutSeconds;
    private final List<Measured> measured = new ArrayList<>();

    /**
     * @param flowing        completions after a change that count as I/O flowing again (two queues' worth, say)
     * @param timeoutSeconds the bound on each wait
     */
    public SwapMeasurement(MixedVerifiedLoad load, int flowing, long timeoutSeconds) {
        this.load = load;
        this.flowing = flowing;
        this.timeoutSeconds = timeoutSeconds;
    }

    /** Waits for {@value #SETTLE_SECONDS} s of I/O at the rate since {@code sinceNanos}: a steady first "before". */
    public boolean warmUp(long sinceNanos) throws InterruptedException {
        return settle(load.perSecond(sinceNanos, System.nanoTime()));
    }

    /** Runs {@code change} and measures it; null when I/O did not flow again, or stopped, within the bound. */
    public Measured measure(Change change) throws Exception {
        long start = System.nanoTime();
        double before = load.perSecond(start - RATE_WINDOW_NANOS, start);
        load.resetLongestGap();
        change.run();
        if (!load.awaitProgress(flowing, timeoutSeconds, TimeUnit.SECONDS)) {
            return null;
        }
        long pause = TimeUnit.NANOSECONDS.toMillis(load.longestGapNanos());
        long pauseEnd = load.longestGapEndNanos();
        if (!settle(before)) {
            return null;
        }
        long back = load.recoveredAt(pauseEnd, 0.9 * before, RECOVERY_WINDOW_MILLIS);
        Measured m = new Measured(pause, back < 0 ? Long.MAX_VALUE : TimeUnit.NANOSECONDS.toMillis(back - start),
                before);
        measured.add(m);
        return m;
    }

    public Figures figures() {
        long[] pauses = measured.stream().mapToLong(Measured::pauseMillis).sorted().toArray();
        long[] recoveries = measured.stream().mapToLong(Measured::recoveryMillis).sorted().toArray();
        return new Figures(pauses, recoveries);
    }

    private boolean settle(double perSecond) throws InterruptedException {
        int completions = (int) Math.max(flowing, perSecond * SETTLE_SECONDS);
        return load.awaitProgress(completions, timeoutSeconds, TimeUnit.SECONDS);
    }
}
