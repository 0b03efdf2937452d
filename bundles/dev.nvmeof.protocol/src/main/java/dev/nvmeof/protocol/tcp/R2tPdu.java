package dev.nvmeof.protocol.tcp;

import java.nio.ByteBuffer;

/**
 * R2T, Ready to Transfer (TCP Transport Specification 1.0, section 3.6.2.10): the controller asks for a range of a
 * write command's data, to be sent in H2CData PDUs carrying the same TTAG.
 *
 * <pre>
 *  0                 8        10       12                16                20       24      28
 *  +-----------------+--------+--------+-----------------+-----------------+--------+-------+
 *  | common header   | CCCID  |  TTAG  |   R2TO (u32)    |   R2TL (u32)    |reserved| HDGST |
 *  | type 09h,HLEN 24|        |        |                 |                 |        | (opt.)|
 *  +-----------------+--------+--------+-----------------+-----------------+--------+-------+
 * </pre>
 */
public final class R2tPdu extends PduHeaderFlyweight {
    public static final int HEADER_LENGTH = 24;
    public static final int CCCID_OFFSET = 8;
    public static final int TTAG_OFFSET = 10;
    public static final int R2TO_OFFSET = 12;
    public static final int R2TL_OFFSET = 16;

    public R2tPdu wrap(ByteBuffer buffer, int offset) {
        wrapAt(buffer, offset);
        return this;
    }

    public int cccid() {
        return u16(CCCID_OFFSET);
    }

    public int ttag() {
        return u16(TTAG_OFFSET);
    }

    /** R2TO: offset of the requested range within the command's data. */
    public int r2to() {
        return u32(R2TO_OFFSET);
    }

    /** R2TL: length of the requested range. */
    public int r2tl() {
        return u32(R2TL_OFFSET);
    }

    public void fields(int cccid, int ttag, int r2to, int r2tl) {
        u16(CCCID_OFFSET, cccid);
        u16(TTAG_OFFSET, ttag);
        u32(R2TO_OFFSET, r2to);
        u32(R2TL_OFFSET, r2tl);
        u32(R2TL_OFFSET + 4, 0);
    }
}
