package dev.nvmeof.protocol.tcp;

import java.nio.ByteBuffer;

/**
 * CapsuleCmd, Command Capsule (TCP Transport Specification 1.0, section 3.6.2.6): a 64-byte SQE, then optionally
 * in-capsule data.
 *
 * <pre>
 *  0                 8                                  72       76      PDO               PLEN-4   PLEN
 *  +-----------------+----------------------------------+--------+-------+-----------------+--------+
 *  | common header   |            SQE (64 B)            | HDGST  |  PAD  | in-capsule data | DDGST  |
 *  | type 04h,HLEN 72|                                  | (opt.) |       |     (opt.)      | (opt.) |
 *  +-----------------+----------------------------------+--------+-------+-----------------+--------+
 * </pre>
 */
public final class CapsuleCmdPdu extends PduHeaderFlyweight {
    public static final int HEADER_LENGTH = 72;
    public static final int SQE_OFFSET = 8;
    public static final int SQE_LENGTH = 64;
    /** Opcode: byte 0 of the SQE. */
    public static final int OPCODE_OFFSET = SQE_OFFSET;
    /** Command identifier: bytes 2..3 of the SQE. */
    public static final int CID_OFFSET = SQE_OFFSET + 2;

    public CapsuleCmdPdu wrap(ByteBuffer buffer, int offset) {
        wrapAt(buffer, offset);
        return this;
    }

    /** Absolute index of the SQE in {@link #buffer()}, for an SQE flyweight. */
    public int sqeIndex() {
        return offset + SQE_OFFSET;
    }

    public int opcode() {
        return u8(OPCODE_OFFSET);
    }

    public int cid() {
        return u16(CID_OFFSET);
    }
}
