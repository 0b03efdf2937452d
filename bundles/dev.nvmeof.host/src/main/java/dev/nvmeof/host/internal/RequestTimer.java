package dev.nvmeof.host.internal;

import java.util.Objects;
import java.util.function.IntConsumer;

import dev.nvmeof.protocol.NanoClock;

/**
 * Per-command timeouts of one queue, indexed by tag: I/O 30 s and admin 60 s by default (the kernel's
 * {@code io_timeout} and {@code admin_timeout}, ARCHITECTURE.md "Defaults"). What happens on expiry is the caller's
 * business (error recovery on a LIVE controller, Host Aborted 0x371 otherwise, as {@code nvme_tcp_timeout} does);
 * this class only keeps the deadlines.
 *
 * <p><b>When a command has timed out.</b> A tag armed at {@code t} with {@code timeout} expires when
 * {@code now - t >= timeout}: at {@code t + timeout - 1} it has not, at {@code t + timeout} it has. That is the block
 * layer's {@code time_after_eq} in {@code blk_mq_req_expired}; see {@link Deadlines#reached(long, long)}.
 *
 * <p><b>Paused while the queue is not live.</b> The issue asks that "the timer runs only while a request is on a
 * live queue": a command must not time out because the connection under it is being torn down and rebuilt. So
 * {@link #pause(long)} freezes every armed deadline and {@link #resume(long)} shifts each by exactly the time spent
 * paused: a command with 10 s left when paused still has 10 s left when resumed. A paused timer reports nothing. A tag
 * armed while paused starts counting at the resume. Pausing a paused timer, or resuming a running one, does nothing.
 *
 * <p><b>Cost.</b> {@link #arm(int, long)} and {@link #disarm(int)} write two array slots and allocate nothing.
 * {@link #expired(long, IntConsumer)} scans the tags (queue sizes are at most 1024), but only when the earliest
 * deadline it knows of has been reached, so the owner's work loop may call it on every turn.
 *
 * <p><b>Threads.</b> Not thread-safe: owned, like the queue's tags, by the queue's owner thread.
 */
public final class RequestTimer {
    /** Further than any deadline can be (timeouts are int seconds, far below 2^62 ns), still wrap-safe. */
    private static final long FAR = Long.MAX_VALUE >> 1;

    private static final long MAX_TIMEOUT = Deadlines.secondsToNanos(Integer.MAX_VALUE, "timeout");

    private final NanoClock clock;
    private final long[] deadlines;
    private final boolean[] armed;
    private int armedCount;
    private boolean paused;
    private long pausedAt;
    /** No armed deadline is earlier than this (it may be earlier than all of them: disarm does not raise it). */
    private long earliest;

    /** @param size the queue size: tags {@code 0 .. size-1} */
    public RequestTimer(NanoClock clock, int size) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (size < 1) {
            throw new IllegalArgumentException("size must be positive: " + size);
        }
        this.deadlines = new long[size];
        this.armed = new boolean[size];
    }

    /**
     * Starts the timeout of {@code tag} now (by the injected clock), replacing any earlier one.
     *
     * @param timeoutNanos positive, at most {@link Integer#MAX_VALUE} seconds (the kernel's timeouts are int seconds)
     */
    public void arm(int tag, long timeoutNanos) {
        if (timeoutNanos <= 0 || timeoutNanos > MAX_TIMEOUT) {
            throw new IllegalArgumentException("timeout must be positive: " + timeoutNanos);
        }
        // While paused, count from the pause: resume() adds the paused time, so the count starts at the resume.
        long deadline = (paused ? pausedAt : clock.nanoTime()) + timeoutNanos;
        if (!armed[tag]) {
            armed[tag] = true;
            if (armedCount++ == 0) {
                earliest = deadline;
            }
        }
        deadlines[tag] = deadline;
        if (deadline - earliest < 0) {
            earliest = deadline;
        }
    }

    /** Stops the timeout of {@code tag}; nothing happens if it was not armed. */
    public void disarm(int tag) {
        if (armed[tag]) {
            armed[tag] = false;
            armedCount--;
        }
    }

    public boolean isArmed(int tag) {
        return armed[tag];
    }

    public int armedCount() {
        return armedCount;
    }

    public boolean isPaused() {
        return paused;
    }

    /**
     * Calls {@code onExpired} with every armed tag whose deadline {@code now} has reached, disarming it first (so
     * the callback may re-arm it, and it is reported once). Nothing while paused.
     *
     * @return how many tags expired
     */
    public int expired(long now, IntConsumer onExpired) {
        if (paused || armedCount == 0 || !Deadlines.reached(earliest, now)) {
            return 0;
        }
        // Rebuild the lower bound during the scan. Tags the callback arms (re-arms, or others) lower it through
        // arm(), so it stays a bound on every armed deadline whatever the callback does.
        earliest = now + FAR;
        int count = 0;
        for (int tag = 0; tag < deadlines.length; tag++) {
            if (!armed[tag]) {
                continue;
            }
            long deadline = deadlines[tag];
            if (Deadlines.reached(deadline, now)) {
                armed[tag] = false;
                armedCount--;
                count++;
                onExpired.accept(tag);
            } else if (deadline - earliest < 0) {
                earliest = deadline;
            }
        }
        return count;
    }

    /** Freezes every deadline at {@code now}; see the class comment. */
    public void pause(long now) {
        if (!paused) {
            paused = true;
            pausedAt = now;
        }
    }

    /** Continues every deadline from {@code now} with the time it had left at the pause. */
    public void resume(long now) {
        if (!paused) {
            return;
        }
        paused = false;
        long shift = now - pausedAt;
        for (int tag = 0; tag < deadlines.length; tag++) {
            if (armed[tag]) {
                deadlines[tag] += shift;
            }
        }
        earliest += shift;
    }

    /** Time {@code tag} has left at {@code now} (negative once past), or while paused, what it had at the pause. */
    public long remaining(int tag, long now) {
        if (!armed[tag]) {
            throw new IllegalStateException("tag " + tag + " is not armed");
        }
        return deadlines[tag] - (paused ? pausedAt : now);
    }
}
