package dev.nvmeof.target;

import java.time.Duration;
import java.util.Objects;

import dev.nvmeof.protocol.NanoClock;

/**
 * How the target runs: event loop threads, the clock its deadlines use, how long a new connection may take to send
 * its ICReq and Connect, who is told about durable writes, and the caps that keep one host from taking the target
 * down for every other host (nvmet has none; these are ours).
 *
 * @param eventLoops               NIO event loop threads; connections are spread over them (default: CPU count)
 * @param handshakeTimeout         a connection that has not sent its ICReq, or its Connect after that, within this
 *                                 time is closed (default 10 s, like the host's ICResp deadline)
 * @param maxConnections           open TCP connections in total; more are closed at accept (default 4096)
 * @param maxConnectionsPerAddress open TCP connections from one remote IP address; more are closed at accept
 *                                 (default 1024)
 * @param maxControllers           controllers per subsystem; an admin Connect beyond it is refused with Connect
 *                                 Controller Busy (default 1024)
 * @param maxTransferSize          the most data one I/O command moves (Identify MDTS, with 4 KiB pages): a power of
 *                                 two from 8 KiB to 256 MiB (default 1 MiB). Data moves in PDUs of at most 128 KiB
 *                                 and R2Ts of at most 128 KiB each, so memory per connection does not grow with it
 */
public record TargetOptions(int eventLoops, NanoClock clock, Duration handshakeTimeout, DurabilityObserver durability,
        int maxConnections, int maxConnectionsPerAddress, int maxControllers, int maxTransferSize) {
    public static final int DEFAULT_MAX_CONNECTIONS = 4096;
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 1024;
    public static final int DEFAULT_MAX_CONTROLLERS = 1024;
    public static final int DEFAULT_MAX_TRANSFER_SIZE = 1 << 20;
    public static final int MIN_TRANSFER_SIZE = 8 << 10;
    public static final int MAX_TRANSFER_SIZE = 256 << 20;
    /** Controller IDs 1..0xFFEF are valid (0xFFF0 and above are reserved, 0xFFFF asks for a dynamic one). */
    public static final int MAX_CNTLID = 0xFFEF;

    public TargetOptions {
        if (eventLoops < 1) {
            throw new IllegalArgumentException("eventLoops must be at least 1, was " + eventLoops);
        }
        Objects.requireNonNull(clock, "clock");
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("handshakeTimeout must be positive");
        }
        durability = durability == null ? DurabilityObserver.NONE : durability;
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1, was " + maxConnections);
        }
        if (maxConnectionsPerAddress < 1) {
            throw new IllegalArgumentException("maxConnectionsPerAddress must be at least 1, was "
                    + maxConnectionsPerAddress);
        }
        if (maxControllers < 1 || maxControllers > MAX_CNTLID) {
            throw new IllegalArgumentException("maxControllers must be 1.." + MAX_CNTLID + ", was " + maxControllers);
        }
        if (Integer.bitCount(maxTransferSize) != 1 || maxTransferSize < MIN_TRANSFER_SIZE
                || maxTransferSize > MAX_TRANSFER_SIZE) {
            throw new IllegalArgumentException("maxTransferSize must be a power of two from 8 KiB to 256 MiB, was "
                    + maxTransferSize);
        }
    }

    /** Identify MDTS for {@link #maxTransferSize}: a power of two in units of the 4 KiB page. */
    public int mdts() {
        return Integer.numberOfTrailingZeros(maxTransferSize) - 12;
    }

    /** The options before the caps existed; the caps take their defaults. */
    public TargetOptions(int eventLoops, NanoClock clock, Duration handshakeTimeout, DurabilityObserver durability) {
        this(eventLoops, clock, handshakeTimeout, durability, DEFAULT_MAX_CONNECTIONS,
                DEFAULT_MAX_CONNECTIONS_PER_ADDRESS, DEFAULT_MAX_CONTROLLERS, DEFAULT_MAX_TRANSFER_SIZE);
    }

    public static TargetOptions defaults() {
        return new TargetOptions(Runtime.getRuntime().availableProcessors(), NanoClock.SYSTEM, Duration.ofSeconds(10),
                DurabilityObserver.NONE);
    }

    public TargetOptions withEventLoops(int n) {
        return new TargetOptions(n, clock, handshakeTimeout, durability, maxConnections, maxConnectionsPerAddress,
                maxControllers, maxTransferSize);
    }

    public TargetOptions withClock(NanoClock c) {
        return new TargetOptions(eventLoops, c, handshakeTimeout, durability, maxConnections, maxConnectionsPerAddress,
                maxControllers, maxTransferSize);
    }

    public TargetOptions withHandshakeTimeout(Duration d) {
        return new TargetOptions(eventLoops, clock, d, durability, maxConnections, maxConnectionsPerAddress,
                maxControllers, maxTransferSize);
    }

    public TargetOptions withDurability(DurabilityObserver observer) {
        return new TargetOptions(eventLoops, clock, handshakeTimeout, observer, maxConnections,
                maxConnectionsPerAddress, maxControllers, maxTransferSize);
    }

    public TargetOptions withMaxConnections(int max) {
        return new TargetOptions(eventLoops, clock, handshakeTimeout, durability, max, maxConnectionsPerAddress,
                maxControllers, maxTransferSize);
    }

    public TargetOptions withMaxConnectionsPerAddress(int max) {
        return new TargetOptions(eventLoops, clock, handshakeTimeout, durability, maxConnections, max,
                maxControllers, maxTransferSize);
    }

    public TargetOptions withMaxTransferSize(int bytes) {
        return new TargetOptions(eventLoops, clock, handshakeTimeout, durability, maxConnections,
                maxConnectionsPerAddress, maxControllers, bytes);
    }

    public TargetOptions withMaxControllers(int max) {
        return new TargetOptions(eventLoops, clock, handshakeTimeout, durability, maxConnections,
                maxConnectionsPerAddress, max, maxTransferSize);
    }
}
