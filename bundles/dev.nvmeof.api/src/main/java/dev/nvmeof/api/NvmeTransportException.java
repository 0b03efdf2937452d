package dev.nvmeof.api;

import dev.nvmeof.protocol.tcp.FatalErrorStatus;
import dev.nvmeof.protocol.tcp.QueueFailure;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The connection is dead: a fatal transport error (NVMe/TCP Transport Specification 1.0, section 3.6.2.4: a bad
 * header digest, a malformed PDU, an unknown CID, a C2HTermReq from the controller), the socket closed, the target
 * was unreachable, or the driver below reported an error. Every command on the connection is affected, not one.
 *
 * <p>{@link #reconnectable()} says whether connecting again may succeed (a dropped connection, an unreachable
 * target) or not (the controller was deleted, the peer speaks a protocol version we do not).
 */
@ProviderType
public class NvmeTransportException extends NvmeException {

    private static final long serialVersionUID = 1L;

    private static final int PATH_WITHDRAWN = 1;
    private static final int NO_PATH = 2;

    private final FatalErrorStatus fatalErrorStatus;
    private final boolean reconnectable;
    private final int path;

    protected NvmeTransportException(String message, FatalErrorStatus fatalErrorStatus, boolean reconnectable,
            Throwable cause) {
        this(message, fatalErrorStatus, reconnectable, 0, cause);
    }

    private NvmeTransportException(String message, FatalErrorStatus fatalErrorStatus, boolean reconnectable, int path,
            Throwable cause) {
        super(message, cause);
        this.fatalErrorStatus = fatalErrorStatus;
        this.reconnectable = reconnectable;
        this.path = path;
    }

    /**
     * The path was taken away on purpose while the target is fine (an offload device's driver left: its service
     * was unregistered, its bundle stopped or updated): recovery reconnects at once, through whatever path is left,
     * instead of waiting {@code reconnect_delay} as after a real path failure.
     *
     * @since 1.4
     */
    public static NvmeTransportException pathWithdrawn(String detail) {
        return new Withdrawn("path withdrawn: " + detail);
    }

    /**
     * Without a stack trace: it is made on the thread of a departing driver's bundle, and a backtrace holds the
     * classes of every frame, so it would keep that bundle's class loader alive for as long as the controller
     * remembers its last failure. The message says all there is to say.
     */
    private static final class Withdrawn extends NvmeTransportException {
        private static final long serialVersionUID = 1L;

        Withdrawn(String message) {
            super(message, null, true, PATH_WITHDRAWN, null);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    /**
     * The transport has no path for the connection at all (no offload device claims it); another transport may
     * (the {@code offload_fallback} option).
     *
     * @since 1.4
     */
    public static NvmeTransportException noPath(String detail) {
        return new NvmeTransportException(detail, null, true, NO_PATH, null);
    }

    /**
     * The general factory.
     *
     * @param message what happened, for a user
     * @param fatalErrorStatus the Fatal Error Status sent or received in a TermReq PDU, or null when there was none
     * @param reconnectable whether a reconnect may succeed
     * @param cause the underlying error, or null
     */
    public static NvmeTransportException of(String message, FatalErrorStatus fatalErrorStatus, boolean reconnectable,
            Throwable cause) {
        return new NvmeTransportException(message, fatalErrorStatus, reconnectable, cause);
    }

    /** We found a fatal protocol error in what the controller sent (and answer it with an H2CTermReq). */
    public static NvmeTransportException protocolError(FatalErrorStatus status, String detail) {
        return of("fatal transport error " + status + ": " + detail, status, true, null);
    }

    /** The controller ended the connection with a C2HTermReq; its status is null when the code is reserved. */
    public static NvmeTransportException terminatedByController(FatalErrorStatus status, String detail) {
        return of("the controller terminated the connection ("
                + (status == null ? "reserved status" : status.toString()) + "): " + detail, status, true, null);
    }

    /** The connection was closed or failed underneath (socket closed, reset, a driver's error report). */
    public static NvmeTransportException connectionLost(String detail, Throwable cause) {
        return of("connection lost: " + detail, null, true, cause);
    }

    /** No connection could be made to {@code address} (e.g. {@code 127.0.0.1:4420}). */
    public static NvmeTransportException unreachable(String address, Throwable cause) {
        return of("cannot connect to " + address + (cause == null || cause.getMessage() == null ? ""
                : ": " + cause.getMessage()), null, true, cause);
    }

    /**
     * The exception for a connection that a {@link QueueFailure} ended (the protocol engine's classification),
     * keeping its Fatal Error Status; {@code where} names the connection for a user (e.g. the target's address).
     */
    public static NvmeTransportException of(QueueFailure failure, String where) {
        String detail = where + ": " + failure.getMessage();
        switch (failure.kind()) {
            case PROTOCOL_ERROR:
            case TERMINATED_BY_CONTROLLER:
                return of(detail, failure.fes(), true, failure);
            case NEGOTIATION_FAILED:
                return of(detail, failure.fes(), false, failure);
            default:
                return connectionLost(detail, failure.getCause() != null ? failure.getCause() : failure);
        }
    }

    /** The Fatal Error Status of the TermReq that ended the connection, or null when there was none. */
    public FatalErrorStatus fatalErrorStatus() {
        return fatalErrorStatus;
    }

    /** Whether connecting again may succeed. */
    public boolean reconnectable() {
        return reconnectable;
    }

    /**
     * Whether the path was withdrawn on purpose ({@link #pathWithdrawn(String)}), so reconnecting at once may succeed.
     *
     * @since 1.4
     */
    public boolean pathWithdrawn() {
        return path == PATH_WITHDRAWN;
    }

    /**
     * Whether the transport found no path for the connection ({@link #noPath(String)}).
     *
     * @since 1.4
     */
    public boolean noPath() {
        return path == NO_PATH;
    }
}
