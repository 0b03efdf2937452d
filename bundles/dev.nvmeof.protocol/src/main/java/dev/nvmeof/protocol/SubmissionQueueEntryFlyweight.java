package dev.nvmeof.protocol;

import java.nio.ByteBuffer;

/**
 * View of a 64-byte Submission Queue Entry, the command part of a command capsule (NVMe Base 2.0, "Submission Queue
 * Entry", "Common Command Format"; NVMe over Fabrics 1.1, "Fabrics Command" for the Fabrics layout).
 *
 * <pre>
 *  byte   0        1        2        3
 *       +--------+--------+-----------------+
 *    0  | OPC    | FLAGS  | CID             |  CDW0: OPC 7:0, FUSE 9:8, PSDT 15:14, CID 31:16
 *       +--------+--------+-----------------+
 *    4  | NSID (FCTYPE in byte 4 for Fabrics commands)  |
 *    8  | CDW2                                          |
 *   12  | CDW3                                          |
 *   16  | MPTR (8)                                      |
 *   24  | DPTR (16): one SGL descriptor, see SglDescriptor |
 *   40  | CDW10 | 44 CDW11 | 48 CDW12 | 52 CDW13 | 56 CDW14 | 60 CDW15 |
 *       +-----------------------------------------------+
 * </pre>
 *
 * <p>All fields are little-endian; the buffer passed to {@link #wrap} must be in
 * {@link java.nio.ByteOrder#LITTLE_ENDIAN} order. Accessors are absolute and allocation-free; one instance is meant to
 * be re-wrapped per command and not kept past the callback.
 */
public final class SubmissionQueueEntryFlyweight extends StructFlyweight<SubmissionQueueEntryFlyweight> {

    public static final int LENGTH = 64;

    public static final int OPCODE_OFFSET = 0;
    public static final int FLAGS_OFFSET = 1;
    public static final int CID_OFFSET = 2;
    public static final int NSID_OFFSET = 4;
    /** Fabrics commands (opcode 7Fh) put the Fabrics Command Type where NSID would be. */
    public static final int FCTYPE_OFFSET = 4;
    public static final int CDW2_OFFSET = 8;
    public static final int CDW3_OFFSET = 12;
    public static final int MPTR_OFFSET = 16;
    public static final int DPTR_OFFSET = 24;
    public static final int DPTR_LENGTH = SglDescriptor.LENGTH;
    public static final int CDW10_OFFSET = 40;
    public static final int CDW11_OFFSET = 44;
    public static final int CDW12_OFFSET = 48;
    public static final int CDW13_OFFSET = 52;
    public static final int CDW14_OFFSET = 56;
    public static final int CDW15_OFFSET = 60;

    /** FUSE, bits 1:0 of the flags byte (CDW0 9:8). */
    public static final int FUSE_MASK = 0x03;
    public static final int FUSE_NORMAL = 0;
    public static final int FUSE_FIRST = 1;
    public static final int FUSE_SECOND = 2;
    /** PSDT, bits 7:6 of the flags byte (CDW0 15:14). */
    public static final int PSDT_SHIFT = 6;
    public static final int PSDT_MASK = 0x03;
    public static final int PSDT_PRP = 0;
    /**
     * SGLs for the data; MPTR, if used, is the address of a contiguous metadata buffer. Fabrics uses only this value:
     * the Linux target fails any command whose PSDT is not 01b with Invalid Field in Command.
     */
    public static final int PSDT_SGL_METADATA_BUFFER = 1;
    public static final int PSDT_SGL_METADATA_SEGMENT = 2;

    /**
     * Points this view at the 64 bytes at {@code offset} of {@code buffer}.
     *
     * @return this
     * @throws IllegalArgumentException if the buffer is not little-endian or too short
     */
    public SubmissionQueueEntryFlyweight wrap(ByteBuffer buffer, int offset) {
        return wrapAt(buffer, offset, LENGTH);
    }

    /** Zeroes all 64 bytes. */
    public SubmissionQueueEntryFlyweight clear() {
        return zero(0, LENGTH);
    }

    public int opcode() {
        return u8(OPCODE_OFFSET);
    }

    public SubmissionQueueEntryFlyweight opcode(int opcode) {
        return u8(OPCODE_OFFSET, opcode);
    }

    /** The whole flags byte (FUSE 1:0, PSDT 7:6). */
    public int flags() {
        return u8(FLAGS_OFFSET);
    }

    public SubmissionQueueEntryFlyweight flags(int flags) {
        return u8(FLAGS_OFFSET, flags);
    }

    public int fuse() {
        return flags() & FUSE_MASK;
    }

    public SubmissionQueueEntryFlyweight fuse(int fuse) {
        return flags((flags() & ~FUSE_MASK) | (fuse & FUSE_MASK));
    }

    public int psdt() {
        return (flags() >>> PSDT_SHIFT) & PSDT_MASK;
    }

    public SubmissionQueueEntryFlyweight psdt(int psdt) {
        return flags((flags() & ~(PSDT_MASK << PSDT_SHIFT)) | ((psdt & PSDT_MASK) << PSDT_SHIFT));
    }

    /** Command Identifier, unsigned 16 bits. */
    public int cid() {
        return u16(CID_OFFSET);
    }

    public SubmissionQueueEntryFlyweight cid(int cid) {
        return u16(CID_OFFSET, cid);
    }

    /** Namespace Identifier, the raw 32 bits (FFFFFFFFh is "all namespaces"). */
    public int nsid() {
        return u32(NSID_OFFSET);
    }

    public SubmissionQueueEntryFlyweight nsid(int nsid) {
        return u32(NSID_OFFSET, nsid);
    }

    /** Fabrics Command Type (only meaningful when the opcode is 7Fh). */
    public int fctype() {
        return u8(FCTYPE_OFFSET);
    }

    public SubmissionQueueEntryFlyweight fctype(int fctype) {
        return u8(FCTYPE_OFFSET, fctype);
    }

    public int cdw2() {
        return u32(CDW2_OFFSET);
    }

    public SubmissionQueueEntryFlyweight cdw2(int value) {
        return u32(CDW2_OFFSET, value);
    }

    public int cdw3() {
        return u32(CDW3_OFFSET);
    }

    public SubmissionQueueEntryFlyweight cdw3(int value) {
        return u32(CDW3_OFFSET, value);
    }

    public long mptr() {
        return u64(MPTR_OFFSET);
    }

    public SubmissionQueueEntryFlyweight mptr(long value) {
        return u64(MPTR_OFFSET, value);
    }

    /** Absolute index of DPTR in {@link #buffer()}, for the {@link SglDescriptor} readers and writers. */
    public int dptrIndex() {
        return offset() + DPTR_OFFSET;
    }

    /** Writes an in-capsule data block descriptor (01h) into DPTR. */
    public SubmissionQueueEntryFlyweight sglInCapsule(long offsetInCapsule, int length) {
        SglDescriptor.writeInCapsule(buffer(), dptrIndex(), offsetInCapsule, length);
        return this;
    }

    /** Writes a transport SGL data block descriptor (5Ah) into DPTR: the transport moves {@code length} bytes. */
    public SubmissionQueueEntryFlyweight sglTransportDataBlock(int length) {
        SglDescriptor.writeTransportDataBlock(buffer(), dptrIndex(), length);
        return this;
    }

    /** Writes the descriptor of a command that moves no data into DPTR, as the Linux host does. */
    public SubmissionQueueEntryFlyweight sglNull() {
        SglDescriptor.writeNull(buffer(), dptrIndex());
        return this;
    }

    /**
     * Command Dword {@code n}, 10 to 15.
     *
     * @throws IndexOutOfBoundsException for any other {@code n}
     */
    public int cdw(int n) {
        return u32(cdwField(n));
    }

    public SubmissionQueueEntryFlyweight cdw(int n, int value) {
        return u32(cdwField(n), value);
    }

    private static int cdwField(int n) {
        if (n < 10 || n > 15) {
            throw new IndexOutOfBoundsException("CDW" + n);
        }
        return CDW10_OFFSET + (n - 10) * Integer.BYTES;
    }

    public int cdw10() {
        return u32(CDW10_OFFSET);
    }

    public SubmissionQueueEntryFlyweight cdw10(int value) {
        return u32(CDW10_OFFSET, value);
    }

    public int cdw11() {
        return u32(CDW11_OFFSET);
    }

    public SubmissionQueueEntryFlyweight cdw11(int value) {
        return u32(CDW11_OFFSET, value);
    }

    public int cdw12() {
        return u32(CDW12_OFFSET);
    }

    public SubmissionQueueEntryFlyweight cdw12(int value) {
        return u32(CDW12_OFFSET, value);
    }

    public int cdw13() {
        return u32(CDW13_OFFSET);
    }

    public SubmissionQueueEntryFlyweight cdw13(int value) {
        return u32(CDW13_OFFSET, value);
    }

    public int cdw14() {
        return u32(CDW14_OFFSET);
    }

    public SubmissionQueueEntryFlyweight cdw14(int value) {
        return u32(CDW14_OFFSET, value);
    }

    public int cdw15() {
        return u32(CDW15_OFFSET);
    }

    public SubmissionQueueEntryFlyweight cdw15(int value) {
        return u32(CDW15_OFFSET, value);
    }
}
