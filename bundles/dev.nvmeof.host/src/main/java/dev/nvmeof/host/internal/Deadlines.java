package dev.nvmeof.host.internal;

import java.util.concurrent.TimeUnit;

/**
 * The one place that says when a deadline counts as reached, so every timer of the host core agrees.
 *
 * <p>A deadline is <em>reached</em> at its own instant: {@code deadline - now <= 0}. That is the block layer's rule
 * for command timeouts ({@code blk_mq_req_expired} in {@code block/blk-mq.c} uses
 * {@code time_after_eq(now, deadline)}) and what the style guide's tests mean by "{@code advance(kato - 1)} expects
 * nothing, {@code advance(1)} expects the Keep Alive". Comparing the difference rather than the two values keeps it
 * right when {@link System#nanoTime()} wraps.
 */
final class Deadlines {
    private Deadlines() {
    }

    /** True once {@code now} has reached {@code deadline}: one nanosecond before it, false; at it, true. */
    static boolean reached(long deadline, long now) {
        return deadline - now <= 0;
    }

    /**
     * Seconds of a fabrics option as nanoseconds. The kernel parses these options as {@code int}, so a larger value
     * is refused here rather than silently saturated (a deadline further than 2^63 ns away would break the
     * wrap-safe comparison).
     */
    static long secondsToNanos(long seconds, String option) {
        if (seconds > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(option + " too large: " + seconds + " s");
        }
        return TimeUnit.SECONDS.toNanos(seconds);
    }
}
