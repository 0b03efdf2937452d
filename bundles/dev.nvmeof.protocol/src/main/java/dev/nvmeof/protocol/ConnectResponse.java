package dev.nvmeof.protocol;

/**
 * Decoders and encoders of the Connect response's DW0 (NVMe over Fabrics 1.1, "Connect Response"; AUTHREQ from
 * NVMe Base 2.0 / TP 8006). Bit positions checked against the Linux host ({@code nvmf_connect_admin_queue}) and target
 * ({@code IPO_IATTR_CONNECT_DATA}).
 *
 * <pre>
 *  success:                                 Connect Invalid Parameters (SCT 1h, SC 82h):
 *   31:19   18     17    16    15:0           31:24   23:16   15:0
 *  +------+------+-----+-----+--------+     +------+-------+------+
 *  | rsvd | ASCR | ATR |rsvd | CNTLID |     | rsvd | IATTR | IPO  |
 *  +------+------+-----+-----+--------+     +------+-------+------+
 * </pre>
 *
 * IATTR bit 0 says where IPO points: 0 = a byte offset in the Connect SQE, 1 = a byte offset in the Connect data.
 */
public final class ConnectResponse {

    public static final int CNTLID_MASK = 0xFFFF;
    /** Authentication Transaction Required. */
    public static final int AUTHREQ_ATR = 1 << 17;
    /** Secure channel concatenation required. */
    public static final int AUTHREQ_ASCR = 1 << 18;
    public static final int IPO_MASK = 0xFFFF;
    public static final int IATTR_SHIFT = 16;
    public static final int IATTR_IN_CONNECT_DATA = 1;

    private ConnectResponse() {
    }

    /** The controller ID the subsystem gave this association. */
    public static int cntlid(int dw0) {
        return dw0 & CNTLID_MASK;
    }

    public static boolean isAuthenticationRequired(int dw0) {
        return (dw0 & AUTHREQ_ATR) != 0;
    }

    public static boolean isSecureConcatenationRequired(int dw0) {
        return (dw0 & AUTHREQ_ASCR) != 0;
    }

    /** Invalid Parameter Offset, when the status is Connect Invalid Parameters. */
    public static int invalidParameterOffset(int dw0) {
        return dw0 & IPO_MASK;
    }

    /** Invalid Attributes, 8 bits. */
    public static int invalidAttributes(int dw0) {
        return (dw0 >>> IATTR_SHIFT) & 0xFF;
    }

    /** Whether IPO is an offset into the Connect data (else into the SQE). */
    public static boolean isInvalidParameterInData(int dw0) {
        return (invalidAttributes(dw0) & IATTR_IN_CONNECT_DATA) != 0;
    }

    public static int successDw0(int cntlid, boolean authenticationRequired) {
        return (cntlid & CNTLID_MASK) | (authenticationRequired ? AUTHREQ_ATR : 0);
    }

    /** DW0 for Connect Invalid Parameters pointing at byte {@code offset} of the SQE or of the data. */
    public static int invalidParametersDw0(boolean inConnectData, int offset) {
        return (offset & IPO_MASK) | (inConnectData ? IATTR_IN_CONNECT_DATA << IATTR_SHIFT : 0);
    }
}
