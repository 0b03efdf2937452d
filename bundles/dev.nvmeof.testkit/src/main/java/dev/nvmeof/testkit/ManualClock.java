package dev.nvmeof.testkit;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import dev.nvmeof.protocol.NanoClock;

/**
 * A clock that moves only when a test says so. Starts near the top of the long range so every test also crosses
 * the wrap of {@code nanoTime}: deadlines must be compared as differences.
 */
public final class ManualClock implements NanoClock {
    public static final long START = Long.MAX_VALUE - 3_000_000_000L;

    private final AtomicLong now = new AtomicLong(START);

    @Override
    public long nanoTime() {
        return now.get();
    }

    /** Moves time on by {@code nanos} and returns the new now. */
    public long advance(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("time only moves forward: " + nanos);
        }
        return now.addAndGet(nanos);
    }

    public long advance(Duration d) {
        return advance(d.toNanos());
    }
}
