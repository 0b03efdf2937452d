package dev.nvmeof.testkit.driver;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Completions counted per millisecond over the last {@code millis} milliseconds, for the rate around a moment: the
 * IOPS before a driver swap, and when they came back (benchmark f's "time to 90 % of the IOPS"). Times are the
 * caller's ({@link System#nanoTime()} in a load, any clock in a test); a bucket older than the history reads as 0.
 * Thread-safe: completions come from every queue's thread.
 */
public final class CompletionHistory {
    private static final long MILLI = TimeUnit.MILLISECONDS.toNanos(1);

    private final long origin;
    private final long[] bucketMilli;
    private final int[] bucketCount;

    /**
     * @param origin the clock's reading that starts millisecond 0 (no completion is recorded before it)
     * @param millis how far back the history reaches
     */
    public CompletionHistory(long origin, int millis) {
        if (millis < 1) {
            throw new IllegalArgumentException("history of " + millis + " ms");
        }
        this.origin = origin;
        this.bucketMilli = new long[millis];
        this.bucketCount = new int[millis];
        Arrays.fill(bucketMilli, -1);
    }

    /** One completion at {@code nanos}. */
    public synchronized void record(long nanos) {
        long milli = milli(nanos);
        int at = (int) (milli % bucketMilli.length);
        if (bucketMilli[at] != milli) {
            bucketMilli[at] = milli;
            bucketCount[at] = 0;
        }
        bucketCount[at]++;
    }

    /** Completions in the milliseconds from {@code fromNanos}'s up to, not including, {@code toNanos}'s. */
    public synchronized long count(long fromNanos, long toNanos) {
        long sum = 0;
        for (long milli = milli(fromNanos), end = milli(toNanos); milli < end; milli++) {
            sum += countAt(milli);
        }
        return sum;
    }

    /** Completions per second over {@code [fromNanos, toNanos)}, to the millisecond. */
    public double perSecond(long fromNanos, long toNanos) {
        long millis = milli(toNanos) - milli(fromNanos);
        return millis <= 0 ? 0 : count(fromNanos, toNanos) * 1000.0 / millis;
    }

    /**
     * The end of the first window of {@code windowMillis} whole milliseconds, starting at {@code fromNanos}'s and
     * sliding by one, that holds at least {@code perSecond} completions per second; -1 when no window that ends by
     * {@code untilNanos} does.
     */
    public synchronized long firstWindowAtRate(long fromNanos, long untilNanos, int windowMillis, double perSecond) {
        double wanted = perSecond * windowMillis / 1000.0;
        long first = milli(fromNanos);
        long last = milli(untilNanos);
        long inWindow = 0;
        for (long milli = first; milli < last; milli++) {
            inWindow += countAt(milli);
            if (milli - first >= windowMillis) {
                inWindow -= countAt(milli - windowMillis);
            }
            if (milli - first + 1 >= windowMillis && inWindow >= wanted) {
                return origin + (milli + 1) * MILLI;
            }
        }
        return -1;
    }

    private long milli(long nanos) {
        return Math.max(0, Math.floorDiv(nanos - origin, MILLI));
    }

    private int countAt(long milli) {
        int at = (int) (milli % bucketMilli.length);
        return bucketMilli[at] == milli ? bucketCount[at] : 0;
    }
}
