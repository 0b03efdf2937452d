package dev.nvmeof.target;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import dev.nvmeof.protocol.NanoClock;

/** A clock that moves only when a test says so; read by the target's event loops. */
final class ManualClock implements NanoClock {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Override
    public long nanoTime() {
        return now.get();
    }

    void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }
}
