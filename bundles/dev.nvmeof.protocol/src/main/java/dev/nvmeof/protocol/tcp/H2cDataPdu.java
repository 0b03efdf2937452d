package dev.nvmeof.protocol.tcp;

import java.nio.ByteBuffer;

/**
 * H2CData, Host To Controller Data (TCP Transport Specification 1.0, section 3.6.2.8): data the controller asked for
 * with an R2T.
 *
 * <pre>
 *  0                 8        10       12                16                20       24      28    PDO       PLEN
 *  +-----------------+--------+--------+-----------------+-----------------+--------+-------+-----+----------+-------+
 *  | common header   | CCCID  |  TTAG  |   DATAO (u32)   |   DATAL (u32)   |reserved| HDGST | PAD |   data   | DDGST |
 *  | type 06h,HLEN 24|        |        |                 |                 |        | (opt.)|     |          | (opt.)|
 *  +-----------------+--------+--------+-----------------+-----------------+--------+-------+-----+----------+-------+
 * </pre>
 */
public final class H2cDataPdu extends PduHeaderFlyweight {
    public static final int HEADER_LENGTH = 24;
    public static final int CCCID_OFFSET = 8;
    public static final int TTAG_OFFSET = 10;
    public static final int DATAO_OFFSET = 12;
    public static final int DATAL_OFFSET = 16;

    public H2cDataPdu wrap(ByteBuffer buffer, int offset) {
        wrapAt(buffer, offset);
        return this;
    }

    public int cccid() {
        return u16(CCCID_OFFSET);
    }

    public int ttag() {
        return u16(TTAG_OFFSET);
    }

    /** DATAO: offset of this data within the command's data. */
    public int datao() {
        return u32(DATAO_OFFSET);
    }

    public int datal() {
        return u32(DATAL_OFFSET);
    }

    public void fields(int cccid, int ttag, int datao, int datal) {
        u16(CCCID_OFFSET, cccid);
        u16(TTAG_OFFSET, ttag);
        u32(DATAO_OFFSET, datao);
        u32(DATAL_OFFSET, datal);
        u32(DATAL_OFFSET + 4, 0);
    }
}
