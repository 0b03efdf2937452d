package dev.nvmeof.protocol;

/**
 * Monotonic time in nanoseconds, injected wherever deadlines are kept (keep-alive, connect steps, command timeouts)
 * so tests can drive time by hand. Compare deadlines as {@code deadline - now < 0}, never with {@code <}.
 */
@FunctionalInterface
public interface NanoClock {
    /** The JVM's monotonic clock. */
    NanoClock SYSTEM = System::nanoTime;

    long nanoTime();
}
