package dev.nvmeof.protocol.tcp;

/**
 * Fatal Error Status (FES) of H2CTermReq and C2HTermReq PDUs (TCP Transport Specification 1.0, section 3.6.2.4).
 * For {@link #INVALID_PDU_HEADER_FIELD} the Fatal Error Information (FEI) is the byte offset of the field in error;
 * for the others it is reserved (zero).
 */
public enum FatalErrorStatus {
    INVALID_PDU_HEADER_FIELD(0x01),
    PDU_SEQUENCE_ERROR(0x02),
    HEADER_DIGEST_ERROR(0x03),
    /** C2HData or H2CData outside the command's buffer or the R2T's range. */
    DATA_TRANSFER_OUT_OF_RANGE(0x04),
    /** H2CTermReq: R2T Limit Exceeded; C2HTermReq: Data Transfer Limit Exceeded (the same code, by direction). */
    DATA_TRANSFER_LIMIT_EXCEEDED(0x05),
    UNSUPPORTED_PARAMETER(0x06);

    private static final FatalErrorStatus[] BY_CODE = new FatalErrorStatus[7];

    static {
        for (FatalErrorStatus status : values()) {
            BY_CODE[status.code] = status;
        }
    }

    private final int code;

    FatalErrorStatus(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** @return the status for a FES value, or {@code null} when the value is reserved. */
    public static FatalErrorStatus of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
