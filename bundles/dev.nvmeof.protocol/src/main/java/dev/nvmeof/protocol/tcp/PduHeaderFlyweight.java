package dev.nvmeof.protocol.tcp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The PDU common header (TCP Transport Specification 1.0, section 3.6.1), shared by every PDU flyweight.
 *
 * <pre>
 *  0        1        2        3        4                                   8
 *  +--------+--------+--------+--------+--------+--------+--------+--------+
 *  |PDU-Type| FLAGS  |  HLEN  |  PDO   |          PLEN (LE, u32)           |
 *  +--------+--------+--------+--------+--------+--------+--------+--------+
 * </pre>
 *
 * HLEN is the header length without the header digest; PDO is the offset of the data from the start of the PDU
 * (0 when there is none); PLEN is the length of the whole PDU including digests and padding.
 *
 * <p>A flyweight is a reusable view: {@code wrap} it over a little-endian buffer at an offset; it reads and writes
 * with absolute indexes and never moves the buffer's position. It must not be kept after the callback that lent it.
 */
public abstract class PduHeaderFlyweight {
    public static final int TYPE_OFFSET = 0;
    public static final int FLAGS_OFFSET = 1;
    public static final int HLEN_OFFSET = 2;
    public static final int PDO_OFFSET = 3;
    public static final int PLEN_OFFSET = 4;
    public static final int COMMON_HEADER_LENGTH = 8;
    /** Length of a header or data digest (CRC32C). */
    public static final int DIGEST_LENGTH = 4;

    protected ByteBuffer buffer;
    protected int offset;

    /** Points this view at a PDU that starts at {@code offset}; the buffer must be little-endian. */
    protected void wrapAt(ByteBuffer buffer, int offset) {
        if (buffer.order() != ByteOrder.LITTLE_ENDIAN) {
            throw new IllegalArgumentException("NVMe/TCP PDUs are little-endian; set the buffer's order");
        }
        this.buffer = buffer;
        this.offset = offset;
    }

    public ByteBuffer buffer() {
        return buffer;
    }

    public int offset() {
        return offset;
    }

    public int typeCode() {
        return buffer.get(offset + TYPE_OFFSET) & 0xff;
    }

    public int flags() {
        return buffer.get(offset + FLAGS_OFFSET) & 0xff;
    }

    public boolean hasFlag(int flag) {
        return (flags() & flag) != 0;
    }

    public int hlen() {
        return buffer.get(offset + HLEN_OFFSET) & 0xff;
    }

    public int pdo() {
        return buffer.get(offset + PDO_OFFSET) & 0xff;
    }

    /** PLEN as an int; a value at or above 2^31 reads negative (the decoder rejects those before anyone sees them). */
    public int plen() {
        return buffer.getInt(offset + PLEN_OFFSET);
    }

    /** Writes the common header. */
    public void commonHeader(PduType type, int flags, int pdo, int plen) {
        buffer.put(offset + TYPE_OFFSET, (byte) type.code());
        buffer.put(offset + FLAGS_OFFSET, (byte) flags);
        buffer.put(offset + HLEN_OFFSET, (byte) type.headerLength());
        buffer.put(offset + PDO_OFFSET, (byte) pdo);
        buffer.putInt(offset + PLEN_OFFSET, plen);
    }

    /** Header length including the header digest when the HDGSTF flag is set. */
    public int headerLengthWithDigest() {
        return hlen() + (hasFlag(PduFlags.HDGSTF) ? DIGEST_LENGTH : 0);
    }

    /**
     * Length of the PDU data, without padding and data digest: 0 when PLEN ends at the header (with its digest),
     * else {@code PLEN - PDO} less the data digest.
     */
    public int dataLength() {
        int plen = plen();
        if (plen == headerLengthWithDigest()) {
            return 0;
        }
        return plen - pdo() - (hasFlag(PduFlags.DDGSTF) ? DIGEST_LENGTH : 0);
    }

    protected int u8(int field) {
        return buffer.get(offset + field) & 0xff;
    }

    protected void u8(int field, int value) {
        buffer.put(offset + field, (byte) value);
    }

    protected int u16(int field) {
        return buffer.getShort(offset + field) & 0xffff;
    }

    protected void u16(int field, int value) {
        buffer.putShort(offset + field, (short) value);
    }

    protected int u32(int field) {
        return buffer.getInt(offset + field);
    }

    protected void u32(int field, int value) {
        buffer.putInt(offset + field, value);
    }
}
