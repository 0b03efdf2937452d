package dev.nvmeof.api;

import java.util.Objects;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Why a controller went into error recovery ({@link ControllerState#RESETTING}) or was given up
 * ({@link ControllerState#DEAD}): a {@link Reason} to act on, and the error itself with a message a user
 * understands. {@link NvmeController#lastFailure()} keeps the last one; {@link ControllerEvent#failure()} carries it.
 *
 * @since 1.2
 */
@ProviderType
public final class ControllerFailure {

    /** The kind of failure. */
    public enum Reason {
        /**
         * The connection failed underneath: a fatal transport error or TermReq, the socket closed or reset, the
         * offload driver reported a queue error or its device went away. Starts error recovery.
         */
        TRANSPORT_ERROR,
        /** An admin or I/O command missed its deadline. Starts error recovery. */
        COMMAND_TIMEOUT,
        /** The Keep Alive command failed or did not complete within {@code keep_alive_tmo}. Starts error recovery. */
        KEEP_ALIVE_LOST,
        /** {@code ctrl_loss_tmo} passed without a successful reconnect: the controller is DEAD. */
        CONTROLLER_LOSS_TIMEOUT,
        /** The first connect failed (nothing reconnects it): the controller is DEAD. */
        CONNECT_FAILED,
        /**
         * The user asked for a reset ({@link NvmeController#reset()}, {@code nvme reset}): the association is torn
         * down and connected again at once, through the preferred transport.
         *
         * @since 1.4
         */
        RESET,
        /**
         * A reconnect failed in-band authentication (the host's secret is wrong or missing now): the same secret
         * cannot succeed later, so recovery stops at once instead of retrying until {@code ctrl_loss_tmo}, as Linux
         * does for a rejected key: the controller is DEAD.
         *
         * @since 1.7
         */
        RECONNECT_REFUSED
    }

    private final Reason reason;
    private final NvmeException exception;

    private ControllerFailure(Reason reason, NvmeException exception) {
        this.reason = Objects.requireNonNull(reason, "reason");
        this.exception = Objects.requireNonNull(exception, "exception");
    }

    /** @param exception the error, whose message is {@link #message()} */
    public static ControllerFailure of(Reason reason, NvmeException exception) {
        return new ControllerFailure(reason, exception);
    }

    public Reason reason() {
        return reason;
    }

    /** What happened, for a user, e.g. {@code connection lost: queue 1 to 127.0.0.1:4420: Connection reset}. */
    public String message() {
        return exception.getMessage();
    }

    /**
     * The error: an {@link NvmeTransportException} for the recovery reasons and for
     * {@link Reason#CONTROLLER_LOSS_TIMEOUT} (its cause the last reconnect attempt's error, if any) and
     * {@link Reason#RECONNECT_REFUSED} (its cause the refusal); for
     * {@link Reason#CONNECT_FAILED} whatever the connect threw.
     */
    public NvmeException exception() {
        return exception;
    }

    /** {@code TRANSPORT_ERROR: connection lost: ...}. */
    @Override
    public String toString() {
        return reason + ": " + message();
    }
}
