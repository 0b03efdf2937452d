package dev.nvmeof.protocol;

import java.nio.ByteBuffer;

/**
 * View of one 16-byte Dataset Management range, the data of the Dataset Management command (NVM Command Set 1.0,
 * "Dataset Management Range Definition"). A command carries 1 to 256 of them back to back.
 *
 * <pre>
 *  byte   0                 4                 8
 *       +-----------------+-----------------+-----------------------------------+
 *       | Context Attrs   | Length (LBs)    | Starting LBA (8)                  |
 *       +-----------------+-----------------+-----------------------------------+
 * </pre>
 *
 * <p>Length is a plain count of logical blocks, <em>not</em> 0's based, unlike NLB in Read and Write. The buffer must be
 * little-endian; nothing here allocates.
 */
public final class DsmRangeFlyweight extends StructFlyweight<DsmRangeFlyweight> {

    public static final int LENGTH = 16;
    public static final int CONTEXT_ATTRIBUTES_OFFSET = 0;
    public static final int NLB_OFFSET = 4;
    public static final int SLBA_OFFSET = 8;
    /** At most this many ranges in one command (NR is 8 bits, 0's based). */
    public static final int MAX_RANGES = 256;

    /**
     * @return this
     * @throws IllegalArgumentException if the buffer is not little-endian or too short
     */
    public DsmRangeFlyweight wrap(ByteBuffer buffer, int offset) {
        return wrapAt(buffer, offset, LENGTH);
    }

    /** Wraps range {@code index} of an array of ranges starting at {@code offset}. */
    public DsmRangeFlyweight wrap(ByteBuffer buffer, int offset, int index) {
        return wrap(buffer, offset + index * LENGTH);
    }

    public int contextAttributes() {
        return u32(CONTEXT_ATTRIBUTES_OFFSET);
    }

    public DsmRangeFlyweight contextAttributes(int value) {
        return u32(CONTEXT_ATTRIBUTES_OFFSET, value);
    }

    /** Number of logical blocks, unsigned 32 bits. */
    public long blocks() {
        return u32(NLB_OFFSET) & 0xFFFF_FFFFL;
    }

    public DsmRangeFlyweight blocks(long value) {
        return u32(NLB_OFFSET, (int) value);
    }

    public long startingLba() {
        return u64(SLBA_OFFSET);
    }

    public DsmRangeFlyweight startingLba(long value) {
        return u64(SLBA_OFFSET, value);
    }

    /** Sets all three fields. */
    public DsmRangeFlyweight set(int contextAttributes, long startingLba, long blocks) {
        return contextAttributes(contextAttributes).startingLba(startingLba).blocks(blocks);
    }
}
