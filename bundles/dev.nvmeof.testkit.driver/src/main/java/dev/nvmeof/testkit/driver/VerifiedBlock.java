package dev.nvmeof.testkit.driver;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * One self-describing block of a {@link VerifiedWorkload}: who wrote it, for which LBA, in which generation, a
 * payload derived from those, and a checksum over all of it, so a read-back block says by itself whether it is the
 * one expected, a stale one (lost write), another LBA's (misdirected write) or damaged (torn or corrupted).
 *
 * <pre>
 *  0               8               16              24              32      36      40
 * +---------------+---------------+---------------+---------------+-------+-------+----------- ... ----+-------+
 * | MAGIC         | run id        | LBA           | generation    |writer | size  | payload            | CRC32C|
 * +---------------+---------------+---------------+---------------+-------+-------+----------- ... ----+-------+
 *                                                                                           block size - 4
 * </pre>
 * Little-endian; the CRC32C covers bytes {@code [0, size - 4)}.
 */
final class VerifiedBlock {
    static final long MAGIC = 0x314B4C4256464F4EL; // "NOFVBLK1"
    static final int MAGIC_OFFSET = 0;
    static final int RUN_OFFSET = 8;
    static final int LBA_OFFSET = 16;
    static final int GENERATION_OFFSET = 24;
    static final int WRITER_OFFSET = 32;
    static final int SIZE_OFFSET = 36;
    static final int PAYLOAD_OFFSET = 40;
    static final int CRC_LENGTH = 4;

    private VerifiedBlock() {
    }

    /** Writes the block for ({@code run}, {@code lba}, {@code generation}) at {@code offset} of {@code buffer}. */
    static void write(ByteBuffer buffer, int offset, int size, long run, long lba, long generation, int writer) {
        ByteBuffer b = buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(offset + MAGIC_OFFSET, MAGIC);
        b.putLong(offset + RUN_OFFSET, run);
        b.putLong(offset + LBA_OFFSET, lba);
        b.putLong(offset + GENERATION_OFFSET, generation);
        b.putInt(offset + WRITER_OFFSET, writer);
        b.putInt(offset + SIZE_OFFSET, size);
        long x = seed(run, lba, generation);
        int end = offset + size - CRC_LENGTH;
        int i = offset + PAYLOAD_OFFSET;
        for (; i + 8 <= end; i += 8) {
            x = next(x);
            b.putLong(i, x);
        }
        for (; i < end; i++) {
            b.put(i, (byte) i);
        }
        b.putInt(end, crc(b, offset, size));
    }

    /** What a read-back block is, judged against what was expected of it. */
    record Found(boolean ours, boolean intact, long run, long lba, long generation, int writer) {
    }

    static Found read(ByteBuffer buffer, int offset, int size) {
        ByteBuffer b = buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        boolean ours = b.getLong(offset + MAGIC_OFFSET) == MAGIC && b.getInt(offset + SIZE_OFFSET) == size;
        boolean intact = ours && b.getInt(offset + size - CRC_LENGTH) == crc(b, offset, size);
        return new Found(ours, intact, b.getLong(offset + RUN_OFFSET), b.getLong(offset + LBA_OFFSET),
                b.getLong(offset + GENERATION_OFFSET), b.getInt(offset + WRITER_OFFSET));
    }

    /** The first offset within the block where it differs from the block expected, or -1. */
    static int firstDifference(ByteBuffer actual, int offset, int size, long run, long lba, long generation,
            int writer) {
        ByteBuffer expected = ByteBuffer.allocate(size);
        write(expected, 0, size, run, lba, generation, writer);
        for (int i = 0; i < size; i++) {
            if (actual.get(offset + i) != expected.get(i)) {
                return i;
            }
        }
        return -1;
    }

    private static int crc(ByteBuffer b, int offset, int size) {
        CRC32C crc = new CRC32C();
        crc.update(b.duplicate().position(offset).limit(offset + size - CRC_LENGTH));
        return (int) crc.getValue();
    }

    private static long seed(long run, long lba, long generation) {
        return mix(run ^ mix(lba * 0x9E3779B97F4A7C15L ^ mix(generation)));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static long next(long x) {
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
        return x == 0 ? 0x2545F4914F6CDD1DL : x;
    }
}
