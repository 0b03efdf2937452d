package dev.nvmeof.protocol;

import java.nio.ByteBuffer;

/**
 * Static readers and writers of a 16-byte SGL descriptor, the form DPTR takes in every Fabrics command (NVMe Base 2.0,
 * "Scatter Gather List (SGL)", "Generic SGL Descriptor Format"; NVMe/TCP Transport Specification 1.0, "SGL
 * Descriptors" for the ones a TCP host may use).
 *
 * <pre>
 *  byte   0                                   8                 12         15
 *       +-----------------------------------+-----------------+--------+--------+
 *       | Address / Offset (8)              | Length (4)      | rsvd(3)| SGL ID |
 *       +-----------------------------------+-----------------+--------+--------+
 *                                              SGL Identifier: type 7:4, subtype 3:0
 * </pre>
 *
 * Over TCP a host writes one of three descriptors, byte for byte as the Linux host does ({@code nvme_tcp_set_sg_*}):
 * <ul>
 * <li>in-capsule data: Data Block, subtype Offset (01h), address = offset of the data
 * in the capsule's data part (ICDOFF), length = data length;</li>
 * <li>data moved by the transport (R2T/H2CData for writes, C2HData for reads): Transport SGL Data Block, subtype Ah
 * (5Ah), address 0, length = data length;</li>
 * <li>no data: the same transport descriptor with length 0.</li>
 * </ul>
 *
 * <p>The buffer must be little-endian; {@code index} is absolute (for a command, see
 * {@link SubmissionQueueEntryFlyweight#dptrIndex()}). Nothing here allocates.
 */
public final class SglDescriptor {

    public static final int LENGTH = 16;

    public static final int ADDRESS_OFFSET = 0;
    public static final int LENGTH_OFFSET = 8;
    public static final int IDENTIFIER_OFFSET = 15;

    /** Descriptor types, the high nibble of the identifier ("SGL Descriptor Type"). */
    public static final int TYPE_DATA_BLOCK = 0x0;
    public static final int TYPE_BIT_BUCKET = 0x1;
    public static final int TYPE_SEGMENT = 0x2;
    public static final int TYPE_LAST_SEGMENT = 0x3;
    public static final int TYPE_KEYED_DATA_BLOCK = 0x4;
    public static final int TYPE_TRANSPORT_DATA_BLOCK = 0x5;

    /** Descriptor subtypes, the low nibble ("SGL Descriptor Sub Type"). */
    public static final int SUBTYPE_ADDRESS = 0x0;
    public static final int SUBTYPE_OFFSET = 0x1;
    /** The transport-specific subtype the TCP binding uses with the transport data block. */
    public static final int SUBTYPE_TRANSPORT_SPECIFIC = 0xA;

    /** Data Block, Offset: in-capsule data. */
    public static final int IDENTIFIER_IN_CAPSULE = (TYPE_DATA_BLOCK << 4) | SUBTYPE_OFFSET;
    /** Transport SGL Data Block, transport-specific subtype: data moved by PDUs, or no data at all. */
    public static final int IDENTIFIER_TRANSPORT = (TYPE_TRANSPORT_DATA_BLOCK << 4) | SUBTYPE_TRANSPORT_SPECIFIC;

    private SglDescriptor() {
    }

    /** Writes an in-capsule data block descriptor: {@code length} bytes at {@code offsetInCapsule}. */
    public static void writeInCapsule(ByteBuffer buffer, int index, long offsetInCapsule, int length) {
        write(buffer, index, offsetInCapsule, length, IDENTIFIER_IN_CAPSULE);
    }

    /** Writes a transport data block descriptor: the transport moves {@code length} bytes. */
    public static void writeTransportDataBlock(ByteBuffer buffer, int index, int length) {
        write(buffer, index, 0L, length, IDENTIFIER_TRANSPORT);
    }

    /** Writes the descriptor of a command without data: address 0, length 0, identifier 5Ah. */
    public static void writeNull(ByteBuffer buffer, int index) {
        write(buffer, index, 0L, 0, IDENTIFIER_TRANSPORT);
    }

    /** Writes any descriptor; the three reserved bytes are zeroed. */
    public static void write(ByteBuffer buffer, int index, long address, int length, int identifier) {
        StructFlyweight.checkWithinLimit(buffer, index, LENGTH);
        buffer.putLong(index + ADDRESS_OFFSET, address);
        // Length and the reserved bytes 12..14 in one go; the identifier follows in byte 15.
        buffer.putLong(index + LENGTH_OFFSET, length & 0xFFFF_FFFFL);
        buffer.put(index + IDENTIFIER_OFFSET, (byte) identifier);
    }

    public static long address(ByteBuffer buffer, int index) {
        return buffer.getLong(index + ADDRESS_OFFSET);
    }

    /** Length in bytes, unsigned 32 bits. */
    public static long length(ByteBuffer buffer, int index) {
        return buffer.getInt(index + LENGTH_OFFSET) & 0xFFFF_FFFFL;
    }

    public static int identifier(ByteBuffer buffer, int index) {
        return buffer.get(index + IDENTIFIER_OFFSET) & 0xFF;
    }

    public static int type(ByteBuffer buffer, int index) {
        return identifier(buffer, index) >>> 4;
    }

    public static int subtype(ByteBuffer buffer, int index) {
        return identifier(buffer, index) & 0x0F;
    }

    /** Whether the descriptor names in-capsule data. */
    public static boolean isInCapsule(ByteBuffer buffer, int index) {
        return identifier(buffer, index) == IDENTIFIER_IN_CAPSULE;
    }

    /** Whether the descriptor names data the transport moves (including "no data"). */
    public static boolean isTransportDataBlock(ByteBuffer buffer, int index) {
        return identifier(buffer, index) == IDENTIFIER_TRANSPORT;
    }
}
