package dev.nvmeof.protocol.tcp;

import java.nio.ByteBuffer;

/**
 * H2CTermReq and C2HTermReq, Terminate Connection Request (TCP Transport Specification 1.0, sections 3.6.2.4 and
 * 3.6.2.5): sent before closing a connection on a fatal transport error. Never digested; the data is the header of
 * the PDU in error (at most 128 bytes).
 *
 * <pre>
 *  0                 8                 10                                14          24            PLEN
 *  +-----------------+-----------------+---------------------------------+-----------+-------------+
 *  | common header   |   FES (u16)     |          FEI (u32)              | reserved  | PDU in error|
 *  | type 02h/03h,   |                 |                                 |           | (0..128 B)  |
 *  | HLEN 24, PDO 0  |                 |                                 |           |             |
 *  +-----------------+-----------------+---------------------------------+-----------+-------------+
 * </pre>
 */
public final class TermReqPdu extends PduHeaderFlyweight {
    public static final int HEADER_LENGTH = 24;
    public static final int FES_OFFSET = 8;
    public static final int FEI_OFFSET = 10;
    public static final int DATA_OFFSET = 24;
    /** The most of the offending PDU a TermReq quotes. */
    public static final int MAX_DATA_LENGTH = 128;
    /** PLEN of the largest TermReq. */
    public static final int MAX_LENGTH = HEADER_LENGTH + MAX_DATA_LENGTH;

    public TermReqPdu wrap(ByteBuffer buffer, int offset) {
        wrapAt(buffer, offset);
        return this;
    }

    public int fesCode() {
        return u16(FES_OFFSET);
    }

    /** @return the status, or {@code null} for a reserved code. */
    public FatalErrorStatus fes() {
        return FatalErrorStatus.of(fesCode());
    }

    public int fei() {
        return u32(FEI_OFFSET);
    }

    /** Length of the quoted PDU header that follows the TermReq header. */
    public int errorDataLength() {
        return plen() - HEADER_LENGTH;
    }

    public void fields(int fes, int fei) {
        u16(FES_OFFSET, fes);
        u32(FEI_OFFSET, fei);
    }
}
