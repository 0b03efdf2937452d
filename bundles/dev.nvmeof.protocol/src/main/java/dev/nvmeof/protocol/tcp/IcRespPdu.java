package dev.nvmeof.protocol.tcp;

import java.nio.ByteBuffer;

/**
 * ICResp, Initialize Connection Response (TCP Transport Specification 1.0, section 3.6.2.3): the controller's answer
 * to ICReq. 128 bytes, never digested.
 *
 * <pre>
 *  0                 8        10       11       12                 16            128
 *  +-----------------+--------+--------+--------+------------------+-------------+
 *  | common header   |  PFV   |  CPDA  |  DGST  |    MAXH2CDATA    |  reserved   |
 *  | type 01h        | (u16)  |        |        |      (u32)       |             |
 *  +-----------------+--------+--------+--------+------------------+-------------+
 * </pre>
 * CPDA: alignment the controller wants for data in H2C PDUs, in dwords, 0s based. MAXH2CDATA: the most data one
 * H2CData PDU may carry, at least 4096 and a multiple of 4.
 */
public final class IcRespPdu extends PduHeaderFlyweight {
    public static final int LENGTH = 128;
    public static final int PFV_OFFSET = 8;
    public static final int CPDA_OFFSET = 10;
    public static final int DGST_OFFSET = 11;
    public static final int MAXH2CDATA_OFFSET = 12;
    /** The smallest MAXH2CDATA a controller may advertise. */
    public static final int MIN_MAXH2CDATA = 4096;

    public IcRespPdu wrap(ByteBuffer buffer, int offset) {
        wrapAt(buffer, offset);
        return this;
    }

    public int pfv() {
        return u16(PFV_OFFSET);
    }

    public int cpda() {
        return u8(CPDA_OFFSET);
    }

    public int dgst() {
        return u8(DGST_OFFSET);
    }

    public boolean headerDigest() {
        return (dgst() & IcReqPdu.HDGST_ENABLE) != 0;
    }

    public boolean dataDigest() {
        return (dgst() & IcReqPdu.DDGST_ENABLE) != 0;
    }

    /** MAXH2CDATA as an int; values at or above 2^31 read negative. */
    public int maxH2cData() {
        return u32(MAXH2CDATA_OFFSET);
    }

    public void fields(int pfv, int cpda, int dgst, int maxH2cData) {
        u16(PFV_OFFSET, pfv);
        u8(CPDA_OFFSET, cpda);
        u8(DGST_OFFSET, dgst);
        u32(MAXH2CDATA_OFFSET, maxH2cData);
    }
}
