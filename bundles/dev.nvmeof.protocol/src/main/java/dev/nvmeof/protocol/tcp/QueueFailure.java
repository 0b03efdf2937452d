package dev.nvmeof.protocol.tcp;

import java.io.IOException;

/**
 * Why a host-side NVMe/TCP connection cannot go on, classified once for every transport that drives a
 * {@link HostQueueEngine}: a fatal error found in what the controller sent (answered with an H2CTermReq where the
 * rules allow one), the controller's own C2HTermReq, parameters the controller granted that the host did not ask
 * for, or the connection failing underneath. Carries the Fatal Error Status and Information where a TermReq had one.
 */
public final class QueueFailure extends IOException {
    private static final long serialVersionUID = 1L;

    /** What ended the connection. */
    public enum Kind {
        /** The host found a fatal error in a PDU from the controller (NVMe/TCP 1.0, 3.6.2.4). */
        PROTOCOL_ERROR,
        /** The controller sent a C2HTermReq. */
        TERMINATED_BY_CONTROLLER,
        /** ICResp granted other digests than asked: connecting again the same way cannot succeed. */
        NEGOTIATION_FAILED,
        /** The socket failed, was reset or closed. */
        CONNECTION_LOST
    }

    private final Kind kind;
    private final transient FatalErrorStatus fes;
    private final int fei;

    private QueueFailure(Kind kind, FatalErrorStatus fes, int fei, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.fes = fes;
        this.fei = fei;
    }

    public static QueueFailure protocolError(int qid, FatalErrorStatus fes, int fei, String detail) {
        return new QueueFailure(Kind.PROTOCOL_ERROR, fes, fei, "queue " + qid + ": fatal transport error " + fes
                + ": " + detail, null);
    }

    public static QueueFailure terminatedByController(int qid, FatalErrorStatus fes, int fei) {
        return new QueueFailure(Kind.TERMINATED_BY_CONTROLLER, fes, fei, "queue " + qid
                + ": the controller terminated the connection (" + (fes == null ? "reserved status" : fes)
                + ", FEI " + fei + ")", null);
    }

    public static QueueFailure negotiationFailed(int qid, String detail) {
        return new QueueFailure(Kind.NEGOTIATION_FAILED, FatalErrorStatus.UNSUPPORTED_PARAMETER, 0, "queue " + qid
                + ": " + detail, null);
    }

    public static QueueFailure connectionLost(int qid, String detail, Throwable cause) {
        return new QueueFailure(Kind.CONNECTION_LOST, null, 0, "queue " + qid + ": " + detail, cause);
    }

    public Kind kind() {
        return kind;
    }

    /** The Fatal Error Status sent or received in a TermReq, or null when there was none. */
    public FatalErrorStatus fes() {
        return fes;
    }

    /** The Fatal Error Information that went with {@link #fes()}. */
    public int fei() {
        return fei;
    }

    /** Whether connecting again may succeed. */
    public boolean reconnectable() {
        return kind != Kind.NEGOTIATION_FAILED;
    }
}
