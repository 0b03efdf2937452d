package dev.nvmeof.protocol.tcp;

import java.nio.ByteBuffer;

/**
 * CapsuleResp, Response Capsule (TCP Transport Specification 1.0, section 3.6.2.7): a 16-byte CQE.
 *
 * <pre>
 *  0                 8                         24        28
 *  +-----------------+-------------------------+---------+
 *  | common header   |        CQE (16 B)       |  HDGST  |
 *  | type 05h,HLEN 24|                         |  (opt.) |
 *  +-----------------+-------------------------+---------+
 * </pre>
 */
public final class CapsuleRespPdu extends PduHeaderFlyweight {
    public static final int HEADER_LENGTH = 24;
    public static final int CQE_OFFSET = 8;
    public static final int CQE_LENGTH = 16;
    /** Command identifier: bytes 12..13 of the CQE. */
    public static final int CID_OFFSET = CQE_OFFSET + 12;
    /** Status word (phase bit 0, status field 15:1): bytes 14..15 of the CQE. */
    public static final int STATUS_OFFSET = CQE_OFFSET + 14;

    public CapsuleRespPdu wrap(ByteBuffer buffer, int offset) {
        wrapAt(buffer, offset);
        return this;
    }

    /** Absolute index of the CQE in {@link #buffer()}, for a CQE flyweight. */
    public int cqeIndex() {
        return offset + CQE_OFFSET;
    }

    public int cid() {
        return u16(CID_OFFSET);
    }

    public int statusWord() {
        return u16(STATUS_OFFSET);
    }
}
