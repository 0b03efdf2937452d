package dev.nvmeof.perf.internal;

import java.nio.ByteBuffer;

/**
 * The data a verifying run writes: every logical block says which LBA and which write generation it holds, and the
 * rest of it follows from those two, so a read proves the data is whole, in the right place and not older than the
 * last write known to have completed there.
 *
 * <pre>
 *  0               8               16                                         block size
 *  +---------------+---------------+------------------------------------------+
 *  | LBA (8)       | generation (8)| word i = f(LBA, generation, i), 8 each   |
 *  +---------------+---------------+------------------------------------------+
 * </pre>
 */
final class DataPattern {
    static final int LBA_OFFSET = 0;
    static final int GENERATION_OFFSET = 8;
    static final int BODY_OFFSET = 16;
    /** No LBA is this: a block the device did not fill reads as wrong. */
    static final long NOT_WRITTEN = -1L;

    private DataPattern() {
    }

    /** Fills {@code length} bytes from index 0 for the blocks from {@code lba}, generation {@code generation}. */
    static void fill(ByteBuffer buffer, int length, int lbaSize, long lba, int generation) {
        for (int block = 0; block < length; block += lbaSize) {
            long at = lba + block / lbaSize;
            buffer.putLong(block + LBA_OFFSET, at);
            buffer.putLong(block + GENERATION_OFFSET, generation);
            long seed = seed(at, generation);
            for (int i = BODY_OFFSET; i < lbaSize; i += 8) {
                buffer.putLong(block + i, seed + i * 0x165667B19E3779F9L);
            }
        }
    }

    /** Marks each block's LBA as not written, so a block the read left alone fails its check. */
    static void clear(ByteBuffer buffer, int length, int lbaSize) {
        for (int block = 0; block < length; block += lbaSize) {
            buffer.putLong(block + LBA_OFFSET, NOT_WRITTEN);
        }
    }

    /**
     * Checks what a read of {@code lba} returned against the pattern of generation {@code atLeast} or a later one.
     *
     * @return -1 when right, else the byte offset of the first block that is wrong
     */
    static int check(ByteBuffer buffer, int length, int lbaSize, long lba, int atLeast) {
        for (int block = 0; block < length; block += lbaSize) {
            long at = lba + block / lbaSize;
            long generation = buffer.getLong(block + GENERATION_OFFSET);
            if (buffer.getLong(block + LBA_OFFSET) != at || generation != (int) generation
                    || !notOlder((int) generation, atLeast)) {
                return block;
            }
            long seed = seed(at, (int) generation);
            for (int i = BODY_OFFSET; i < lbaSize; i += 8) {
                if (buffer.getLong(block + i) != seed + i * 0x165667B19E3779F9L) {
                    return block;
                }
            }
        }
        return -1;
    }

    /** Generations count 1..2^31-1 and wrap: serial-number order, fine while none lags 2^30 writes behind. */
    static boolean notOlder(int generation, int atLeast) {
        return generation > 0 && ((generation - atLeast) & 0x7FFFFFFF) < 0x40000000;
    }

    static int next(int generation) {
        return generation == Integer.MAX_VALUE ? 1 : generation + 1;
    }

    /** One line for a report: which block, and what it held. */
    static String describe(ByteBuffer buffer, int offset, int lbaSize, long lba, int atLeast) {
        long expected = lba + offset / lbaSize;
        return "data mismatch at LBA " + expected + ": it holds LBA " + buffer.getLong(offset + LBA_OFFSET)
                + " generation " + buffer.getLong(offset + GENERATION_OFFSET) + ", expected generation " + atLeast
                + " or later";
    }

    private static long seed(long lba, int generation) {
        return lba * 0x9E3779B97F4A7C15L + generation * 0xC2B2AE3D27D4EB4FL;
    }
}
