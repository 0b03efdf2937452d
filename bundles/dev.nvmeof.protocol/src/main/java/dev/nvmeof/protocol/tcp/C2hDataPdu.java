package dev.nvmeof.protocol.tcp;

import java.nio.ByteBuffer;

/**
 * C2HData, Controller To Host Data (TCP Transport Specification 1.0, section 3.6.2.9): read data for a command; with
 * LAST_PDU and SUCCESS it also completes the command (only when the host disabled SQ flow control).
 *
 * <pre>
 *  0                 8        10       12                16                20       24      28    PDO       PLEN
 *  +-----------------+--------+--------+-----------------+-----------------+--------+-------+-----+----------+-------+
 *  | common header   | CCCID  |reserved|   DATAO (u32)   |   DATAL (u32)   |reserved| HDGST | PAD |   data   | DDGST |
 *  | type 07h,HLEN 24|        |        |                 |                 |        | (opt.)|     |          | (opt.)|
 *  +-----------------+--------+--------+-----------------+-----------------+--------+-------+-----+----------+-------+
 * </pre>
 */
public final class C2hDataPdu extends PduHeaderFlyweight {
    public static final int HEADER_LENGTH = 24;
    public static final int CCCID_OFFSET = 8;
    public static final int DATAO_OFFSET = 12;
    public static final int DATAL_OFFSET = 16;

    public C2hDataPdu wrap(ByteBuffer buffer, int offset) {
        wrapAt(buffer, offset);
        return this;
    }

    public int cccid() {
        return u16(CCCID_OFFSET);
    }

    /** DATAO: offset of this data within the command's data. */
    public int datao() {
        return u32(DATAO_OFFSET);
    }

    public int datal() {
        return u32(DATAL_OFFSET);
    }

    public void fields(int cccid, int datao, int datal) {
        u16(CCCID_OFFSET, cccid);
        u16(CCCID_OFFSET + 2, 0);
        u32(DATAO_OFFSET, datao);
        u32(DATAL_OFFSET, datal);
        u32(DATAL_OFFSET + 4, 0);
    }
}
