package dev.nvmeof.protocol.auth;

import java.util.Objects;

/**
 * A DH-HMAC-CHAP transaction failed: a malformed or unexpected message, an unusable hash or group, or a response that
 * did not verify. Carries the {@link DhchapFailureReason} to put in the AUTH_Failure message, and whether the peer
 * reported it (it arrived in an AUTH_Failure message) or this side found it. The message says what was wrong in
 * terms of fields and values, never of key material.
 */
public class DhchapException extends Exception {

    private static final long serialVersionUID = 1L;

    private final DhchapFailureReason reason;
    private final boolean reportedByPeer;

    public DhchapException(DhchapFailureReason reason, String message) {
        this(reason, message, false);
    }

    public DhchapException(DhchapFailureReason reason, String message, boolean reportedByPeer) {
        super(Objects.requireNonNull(reason, "reason").explanation() + ": " + message);
        this.reason = reason;
        this.reportedByPeer = reportedByPeer;
    }

    /** The reason code explanation an AUTH_Failure message carries for this failure. */
    public DhchapFailureReason reason() {
        return reason;
    }

    /** Whether the peer sent this failure in an AUTH_Failure1 or AUTH_Failure2 message. */
    public boolean isReportedByPeer() {
        return reportedByPeer;
    }

    static DhchapException payload(String message) {
        return new DhchapException(DhchapFailureReason.INCORRECT_PAYLOAD, message);
    }

    static DhchapException protocolMessage(String message) {
        return new DhchapException(DhchapFailureReason.INCORRECT_PROTOCOL_MESSAGE, message);
    }
}
