package dev.nvmeof.protocol;

/**
 * One LBA Format Data Structure of Identify Namespace, NVM Command Set Specification 1.0 section 4.1.5.1:
 * a 32-bit little-endian dword.
 *
 * <pre>
 *   bits  field
 *   15:0  MS     metadata size, bytes per LBA
 *  23:16  LBADS  LBA data size, log2 of the block size (0 = format not available, else at least 9)
 *  25:24  RP     relative performance, 0 best .. 3 degraded
 *  31:26  reserved
 * </pre>
 *
 * @param ms    metadata bytes per LBA, 0..65535
 * @param lbads log2 of the LBA data size, 0..255
 * @param rp    relative performance, 0..3
 */
public record LbaFormat(int ms, int lbads, int rp) {
    public static final int MS_SHIFT = 0;
    public static final int LBADS_SHIFT = 16;
    public static final int RP_SHIFT = 24;

    public static final int RP_BEST = 0;
    public static final int RP_BETTER = 1;
    public static final int RP_GOOD = 2;
    public static final int RP_DEGRADED = 3;

    public LbaFormat {
        StructText.checkUnsigned("ms", ms, 16);
        StructText.checkUnsigned("lbads", lbads, 8);
        StructText.checkUnsigned("rp", rp, 2);
    }

    /** A format of {@code 2^lbads}-byte blocks without metadata and best performance, e.g. {@code ofBlockSize(512)}. */
    public static LbaFormat ofBlockSize(int blockSize) {
        if (blockSize < 512 || Integer.bitCount(blockSize) != 1) {
            throw new IllegalArgumentException("block size must be a power of two of at least 512, is " + blockSize);
        }
        return new LbaFormat(0, Integer.numberOfTrailingZeros(blockSize), RP_BEST);
    }

    /** Decodes the dword as read from the LBAF table. */
    public static LbaFormat fromDword(int dword) {
        return new LbaFormat(ms(dword), lbads(dword), rp(dword));
    }

    /** The dword to store in the LBAF table. */
    public int toDword() {
        return ms << MS_SHIFT | lbads << LBADS_SHIFT | rp << RP_SHIFT;
    }

    /** The LBA data size in bytes; 0 if this entry is not an available format (LBADS 0). */
    public int blockSize() {
        return blockSize(lbads);
    }

    static int ms(int dword) {
        return dword >>> MS_SHIFT & 0xFFFF;
    }

    static int lbads(int dword) {
        return dword >>> LBADS_SHIFT & 0xFF;
    }

    static int rp(int dword) {
        return dword >>> RP_SHIFT & 0x3;
    }

    static int blockSize(int lbads) {
        if (lbads == 0) {
            return 0;
        }
        if (lbads > 30) {
            throw new IllegalStateException("LBADS " + lbads + " does not fit an int block size");
        }
        return 1 << lbads;
    }
}
