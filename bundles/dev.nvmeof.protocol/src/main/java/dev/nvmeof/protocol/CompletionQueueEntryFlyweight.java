package dev.nvmeof.protocol;

import java.nio.ByteBuffer;

/**
 * View of a 16-byte Completion Queue Entry, the response capsule of a Fabrics transport (NVMe Base 2.0, "Completion
 * Queue Entry" and "Status Field Definition").
 *
 * <pre>
 *  byte   0                 2                 4
 *       +-----------------------------------+
 *    0  | DW0: command specific             |
 *    4  | DW1: command specific             |
 *       +-----------------+-----------------+
 *    8  | SQHD            | SQID            |
 *   12  | CID             | STATUS          |
 *       +-----------------+-----------------+
 *
 *  STATUS (16 bits at byte 14):
 *    15   14   13:12  11:9  8:1  0
 *   +----+----+------+-----+----+---+
 *   |DNR | M  | CRD  | SCT | SC | P |
 *   +----+----+------+-----+----+---+
 * </pre>
 *
 * <p>The "status word" in this package is those 16 bits including the phase tag; the bit helpers live in
 * {@link NvmeStatus} ({@link NvmeStatus#sct(int)}, {@link NvmeStatus#isDnr(int)}, ...) so that the hot path can decide on
 * an {@code int} without building an object. The buffer must be little-endian; nothing here allocates.
 */
public final class CompletionQueueEntryFlyweight extends StructFlyweight<CompletionQueueEntryFlyweight> {

    public static final int LENGTH = 16;

    public static final int DW0_OFFSET = 0;
    public static final int DW1_OFFSET = 4;
    public static final int SQHD_OFFSET = 8;
    public static final int SQID_OFFSET = 10;
    public static final int CID_OFFSET = 12;
    public static final int STATUS_OFFSET = 14;

    /**
     * Points this view at the 16 bytes at {@code offset} of {@code buffer}.
     *
     * @return this
     * @throws IllegalArgumentException if the buffer is not little-endian or too short
     */
    public CompletionQueueEntryFlyweight wrap(ByteBuffer buffer, int offset) {
        return wrapAt(buffer, offset, LENGTH);
    }

    public CompletionQueueEntryFlyweight clear() {
        return zero(0, LENGTH);
    }

    /** Dword 0, the command-specific result (CNTLID for Connect, granted queues for Number of Queues, ...). */
    public int dw0() {
        return u32(DW0_OFFSET);
    }

    public CompletionQueueEntryFlyweight dw0(int value) {
        return u32(DW0_OFFSET, value);
    }

    public int dw1() {
        return u32(DW1_OFFSET);
    }

    public CompletionQueueEntryFlyweight dw1(int value) {
        return u32(DW1_OFFSET, value);
    }

    /** DW0 and DW1 as one 64-bit value, how Property Get returns an 8-byte property. */
    public long result64() {
        return u64(DW0_OFFSET);
    }

    public CompletionQueueEntryFlyweight result64(long value) {
        return u64(DW0_OFFSET, value);
    }

    /** SQ Head Pointer, unsigned 16 bits. */
    public int sqhd() {
        return u16(SQHD_OFFSET);
    }

    public CompletionQueueEntryFlyweight sqhd(int value) {
        return u16(SQHD_OFFSET, value);
    }

    public int sqid() {
        return u16(SQID_OFFSET);
    }

    public CompletionQueueEntryFlyweight sqid(int value) {
        return u16(SQID_OFFSET, value);
    }

    public int cid() {
        return u16(CID_OFFSET);
    }

    public CompletionQueueEntryFlyweight cid(int value) {
        return u16(CID_OFFSET, value);
    }

    /** The 16-bit status word, phase tag included. */
    public int statusWord() {
        return u16(STATUS_OFFSET);
    }

    public CompletionQueueEntryFlyweight statusWord(int value) {
        return u16(STATUS_OFFSET, value);
    }

    /** Sets the status field (bits 15:1) from {@code status} and keeps the current phase tag. */
    public CompletionQueueEntryFlyweight status(NvmeStatus status) {
        return statusWord(status.toStatusWord(phase()));
    }

    public boolean phase() {
        return (statusWord() & NvmeStatus.PHASE_BIT) != 0;
    }

    public CompletionQueueEntryFlyweight phase(boolean phase) {
        int word = statusWord() & ~NvmeStatus.PHASE_BIT;
        return statusWord(phase ? word | NvmeStatus.PHASE_BIT : word);
    }

    public int statusCode() {
        return NvmeStatus.sc(statusWord());
    }

    public int statusCodeType() {
        return NvmeStatus.sct(statusWord());
    }

    public int crd() {
        return NvmeStatus.crd(statusWord());
    }

    public boolean more() {
        return NvmeStatus.isMore(statusWord());
    }

    public boolean dnr() {
        return NvmeStatus.isDnr(statusWord());
    }

    /** Whether SCT and SC are both zero, whatever DNR, More and the phase say. */
    public boolean isSuccess() {
        return NvmeStatus.isSuccess(statusWord());
    }

    /**
     * The status as a value: the shared {@link NvmeStatus#SUCCESS} for a plain success (no DNR, More or CRD), so that
     * path allocates nothing; a new value otherwise.
     */
    public NvmeStatus status() {
        return NvmeStatus.of(statusWord());
    }
}
