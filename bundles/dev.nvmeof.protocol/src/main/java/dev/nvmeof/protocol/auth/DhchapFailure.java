package dev.nvmeof.protocol.auth;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * AUTH_Failure1 (controller to host) or AUTH_Failure2 (host to controller) (NVMe Base 2.0, "AUTH_Failure1 and
 * AUTH_Failure2 messages"; Linux {@code nvmf_auth_dhchap_failure_data}). The explanation code is kept raw, so a code
 * from a newer specification survives; {@link #reason()} names the known ones.
 *
 * <pre>
 *  byte 0-5 header (AUTH_Type 00h, AUTH_Id F1h Failure1 / F0h Failure2)   6 reason code (01h)   7 explanation
 * </pre>
 *
 * @param fromController true for AUTH_Failure1, false for AUTH_Failure2
 */
public record DhchapFailure(boolean fromController, int transactionId, int reasonCode, int explanationCode)
        implements DhchapMessage {

    public static final int RESCODE_OFFSET = 6;
    public static final int RESCODE_EXPLANATION_OFFSET = 7;
    public static final int LENGTH = 8;

    /** A failure with reason code 01h and {@code reason}'s explanation. */
    public static DhchapFailure of(boolean fromController, int transactionId, DhchapFailureReason reason) {
        return new DhchapFailure(fromController, transactionId, DhchapFailureReason.REASON_CODE_AUTHENTICATION_FAILURE,
                reason.code());
    }

    /** The explanation, empty for a code the specification does not define. */
    public Optional<DhchapFailureReason> reason() {
        return DhchapFailureReason.of(explanationCode);
    }

    /** "Authentication failed (01h)", or "unknown explanation 2Ah". */
    public String explanation() {
        return reason().map(r -> String.format("%s (%02Xh)", r.explanation(), r.code()))
                .orElse(String.format("unknown explanation %02Xh", explanationCode));
    }

    /** The failure as the exception the receiving side reports. */
    public DhchapException toException() {
        return new DhchapException(reason().orElse(DhchapFailureReason.FAILED),
                (fromController ? "the controller" : "the host") + " sent " + messageName() + " with "
                        + explanation(), true);
    }

    @Override
    public byte[] encode() {
        ByteBuffer buffer = MessageBytes.start(LENGTH, AUTH_TYPE_COMMON,
                fromController ? AUTH_ID_FAILURE1 : AUTH_ID_FAILURE2, transactionId);
        buffer.put(RESCODE_OFFSET, (byte) reasonCode);
        buffer.put(RESCODE_EXPLANATION_OFFSET, (byte) explanationCode);
        return buffer.array();
    }

    static DhchapFailure decode(ByteBuffer buffer) throws DhchapException {
        MessageBytes.requireLength(buffer, LENGTH, "AUTH_Failure");
        boolean fromController = MessageBytes.u8(buffer, AUTH_ID_OFFSET) == AUTH_ID_FAILURE1;
        return new DhchapFailure(fromController, MessageBytes.transactionId(buffer),
                MessageBytes.u8(buffer, RESCODE_OFFSET), MessageBytes.u8(buffer, RESCODE_EXPLANATION_OFFSET));
    }

    @Override
    public String messageName() {
        return fromController ? "AUTH_Failure1" : "AUTH_Failure2";
    }
}
