package dev.nvmeof.host.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

import dev.nvmeof.protocol.NanoClock;

/**
 * The host core's timing: the clock every deadline is kept on, the command timeouts and connect deadlines
 * (ARCHITECTURE "Defaults"), and how the connect sequence waits between two CSTS polls.
 *
 * @param clock           monotonic time for every deadline
 * @param ioTimeout       I/O command timeout (30 s)
 * @param adminTimeout    admin command timeout, also the deadline of each connect step (60 s)
 * @param icRespTimeout   the transport's connection + ICResp deadline (10 s)
 * @param shutdownTimeout how long disconnect waits for CSTS.SHST after CC.SHN (5 s, Linux's minimum)
 * @param pollInterval    between two CSTS reads while waiting for RDY or SHST (100 ms, as Linux's msleep)
 * @param pause           waits between CSTS polls: {@link LockSupport#parkNanos(long)} in production; tests pass
 *                        one that advances their manual clock, so the wait loop runs deterministically
 * @param waitTick        how long a connecting thread blocks on a command before it checks the attempt's deadlines
 *                        itself (real time; only bounds how late a missed deadline is noticed)
 */
public record HostSettings(NanoClock clock, Duration ioTimeout, Duration adminTimeout, Duration icRespTimeout,
        Duration shutdownTimeout, Duration pollInterval, LongConsumer pause, Duration waitTick) {

    public HostSettings {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(ioTimeout, "ioTimeout");
        Objects.requireNonNull(adminTimeout, "adminTimeout");
        Objects.requireNonNull(icRespTimeout, "icRespTimeout");
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(pause, "pause");
        Objects.requireNonNull(waitTick, "waitTick");
    }

    /** The defaults on the system clock. */
    public static HostSettings defaults() {
        return defaults(NanoClock.SYSTEM, LockSupport::parkNanos);
    }

    /** The default durations on {@code clock}, pausing with {@code pause}. */
    public static HostSettings defaults(NanoClock clock, LongConsumer pause) {
        return new HostSettings(clock, Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(10),
                Duration.ofSeconds(5), Duration.ofMillis(100), pause, Duration.ofMillis(10));
    }
}
