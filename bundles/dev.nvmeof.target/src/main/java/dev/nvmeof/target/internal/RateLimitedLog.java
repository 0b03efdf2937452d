package dev.nvmeof.target.internal;

import java.util.concurrent.TimeUnit;

/**
 * A record a host can make the target repeat at its own pace (refused connections, failing command handlers): logged
 * the first time, then at most once per interval with how many happened since, so a hostile host cannot flood the log.
 */
final class RateLimitedLog {
    static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Engine engine;
    private final System.Logger.Level level;
    private long count;
    private long suppressed;
    private long lastLoggedNanos;
    private boolean logged;

    RateLimitedLog(Engine engine, System.Logger.Level level) {
        this.engine = engine;
        this.level = level;
    }

    /** Counts one occurrence and logs it unless the last record is younger than the interval. */
    synchronized void record(String message, Throwable cause) {
        count++;
        long now = engine.clock().nanoTime();
        if (logged && now - lastLoggedNanos - INTERVAL_NANOS < 0) {
            suppressed++;
            return;
        }
        String text = suppressed == 0 ? message : message + " (and " + suppressed + " more like it since the last report)";
        suppressed = 0;
        lastLoggedNanos = now;
        logged = true;
        engine.log(level, text, cause);
    }

    synchronized long count() {
        return count;
    }
}
