package dev.nvmeof.protocol.tcp;

import java.io.IOException;

/**
 * Input that ends the connection: the peer sent a PDU the receiver must not process. Carries what goes into the
 * TermReq the receiver sends before it closes: the {@link FatalErrorStatus} and the Fatal Error Information (for an
 * invalid header field, the byte offset of that field in the PDU header).
 *
 * <p>Some errors must not be answered with a TermReq (a TermReq whose own length is invalid): then
 * {@link #shouldSendTermReq()} is false and the connection just closes.
 */
public final class FatalPduException extends IOException {
    private static final long serialVersionUID = 1L;

    private final FatalErrorStatus status;
    private final int errorInformation;
    private final int pduTypeCode;
    private final boolean sendTermReq;

    private FatalPduException(FatalErrorStatus status, int errorInformation, int pduTypeCode, boolean sendTermReq,
            String message) {
        super(message + " [fes=" + status + ", fei=" + errorInformation + ", pdu-type=0x"
                + Integer.toHexString(pduTypeCode) + "]");
        this.status = status;
        this.errorInformation = errorInformation;
        this.pduTypeCode = pduTypeCode;
        this.sendTermReq = sendTermReq;
    }

    /** An invalid header field: FEI is the field's byte offset within the PDU header. */
    public static FatalPduException invalidField(int pduTypeCode, int fieldOffset, String message) {
        return new FatalPduException(FatalErrorStatus.INVALID_PDU_HEADER_FIELD, fieldOffset, pduTypeCode, true, message);
    }

    /** Any other fatal status; FEI is reserved and zero. */
    public static FatalPduException of(FatalErrorStatus status, int pduTypeCode, String message) {
        return new FatalPduException(status, 0, pduTypeCode, true, message);
    }

    /** An unsupported ICReq/ICResp parameter: FEI is the field's byte offset. */
    public static FatalPduException unsupported(int pduTypeCode, int fieldOffset, String message) {
        return new FatalPduException(FatalErrorStatus.UNSUPPORTED_PARAMETER, fieldOffset, pduTypeCode, true, message);
    }

    /** A malformed TermReq: the connection closes without a TermReq of its own (section 7.4.7 of NVMe-oF 1.1). */
    public static FatalPduException closeWithoutTermReq(int pduTypeCode, int fieldOffset, String message) {
        return new FatalPduException(FatalErrorStatus.INVALID_PDU_HEADER_FIELD, fieldOffset, pduTypeCode, false,
                message);
    }

    /** The FES to put into the TermReq. */
    public FatalErrorStatus status() {
        return status;
    }

    /** The FEI to put into the TermReq: for an invalid header field, the offset of that field. */
    public int errorInformation() {
        return errorInformation;
    }

    /** The PDU-Type byte of the PDU in error. */
    public int pduTypeCode() {
        return pduTypeCode;
    }

    /** False when the connection must close without sending a TermReq. */
    public boolean shouldSendTermReq() {
        return sendTermReq;
    }
}
