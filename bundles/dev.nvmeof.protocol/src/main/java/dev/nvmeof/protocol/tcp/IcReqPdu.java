package dev.nvmeof.protocol.tcp;

import java.nio.ByteBuffer;

/**
 * ICReq, Initialize Connection Request (TCP Transport Specification 1.0, section 3.6.2.2): the first PDU a host
 * sends. 128 bytes, never digested.
 *
 * <pre>
 *  0                 8        10       11       12                 16            128
 *  +-----------------+--------+--------+--------+------------------+-------------+
 *  | common header   |  PFV   |  HPDA  |  DGST  | MAXR2T (0s based)|  reserved   |
 *  | type 00h, HLEN  | (u16)  |        |        |      (u32)       |             |
 *  | 128, PLEN 128   |        |        |        |                  |             |
 *  +-----------------+--------+--------+--------+------------------+-------------+
 * </pre>
 * HPDA: alignment the host wants for data in C2H PDUs, in dwords, 0s based. DGST bit 0: header digest,
 * bit 1: data digest.
 */
public final class IcReqPdu extends PduHeaderFlyweight {
    public static final int LENGTH = 128;
    public static final int PFV_OFFSET = 8;
    public static final int HPDA_OFFSET = 10;
    public static final int DGST_OFFSET = 11;
    public static final int MAXR2T_OFFSET = 12;
    /** DGST bit: header digest enable. */
    public static final int HDGST_ENABLE = 0x01;
    /** DGST bit: data digest enable. */
    public static final int DDGST_ENABLE = 0x02;

    public IcReqPdu wrap(ByteBuffer buffer, int offset) {
        wrapAt(buffer, offset);
        return this;
    }

    public int pfv() {
        return u16(PFV_OFFSET);
    }

    public int hpda() {
        return u8(HPDA_OFFSET);
    }

    public int dgst() {
        return u8(DGST_OFFSET);
    }

    public boolean headerDigest() {
        return (dgst() & HDGST_ENABLE) != 0;
    }

    public boolean dataDigest() {
        return (dgst() & DDGST_ENABLE) != 0;
    }

    /** MAXR2T: the most outstanding R2Ts per command, 0s based. */
    public int maxR2t() {
        return u32(MAXR2T_OFFSET);
    }

    public void fields(int pfv, int hpda, int dgst, int maxR2t) {
        u16(PFV_OFFSET, pfv);
        u8(HPDA_OFFSET, hpda);
        u8(DGST_OFFSET, dgst);
        u32(MAXR2T_OFFSET, maxR2t);
    }
}
