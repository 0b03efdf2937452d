package dev.nvmeof.target;

import java.time.Duration;
import java.util.Objects;

import dev.nvmeof.protocol.NanoClock;

/**
 * How the target runs: event loop threads, the clock its deadlines use, how long a new connection may take to send
 * its ICReq and Connect, and who is told about durable writes.
 *
 * @param eventLoops       NIO event loop threads; connections are spread over them (default: CPU count)
 * @param handshakeTimeout a connection that has not sent its ICReq, or its Connect after that, within this time is
 *                         closed (default 10 s, like the host's ICResp deadline)
 */
public record TargetOptions(int eventLoops, NanoClock clock, Duration handshakeTimeout, DurabilityObserver durability) {

    public TargetOptions {
        if (eventLoops < 1) {
            throw new IllegalArgumentException("eventLoops must be at least 1, was " + eventLoops);
        }
        Objects.requireNonNull(clock, "clock");
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("handshakeTimeout must be positive");
        }
        durability = durability == null ? DurabilityObserver.NONE : durability;
    }

    public static TargetOptions defaults() {
        return new TargetOptions(Runtime.getRuntime().availableProcessors(), NanoClock.SYSTEM, Duration.ofSeconds(10),
                DurabilityObserver.NONE);
    }

    public TargetOptions withEventLoops(int n) {
        return new TargetOptions(n, clock, handshakeTimeout, durability);
    }

    public TargetOptions withClock(NanoClock c) {
        return new TargetOptions(eventLoops, c, handshakeTimeout, durability);
    }

    public TargetOptions withHandshakeTimeout(Duration d) {
        return new TargetOptions(eventLoops, clock, d, durability);
    }

    public TargetOptions withDurability(DurabilityObserver observer) {
        return new TargetOptions(eventLoops, clock, handshakeTimeout, observer);
    }
}
