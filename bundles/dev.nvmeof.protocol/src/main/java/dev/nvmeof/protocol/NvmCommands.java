package dev.nvmeof.protocol;

/**
 * Writers and readers of the NVM I/O commands (NVM Command Set 1.0: "Read", "Write", "Flush", "Write Zeroes",
 * "Dataset Management"). Every writer clears the 64 bytes, sets the opcode, PSDT 01b, the CID and NSID; nothing
 * allocates.
 *
 * <pre>
 *  Read / Write / Write Zeroes
 *    CDW10: SLBA 31:0   CDW11: SLBA 63:32
 *    CDW12: NLB 15:0 (0's based), DEAC 25 (Write Zeroes), FUA 30, LR 31
 *  Dataset Management
 *    CDW10: NR 7:0 (0's based number of ranges)   CDW11: IDR 0, IDW 1, AD 2
 * </pre>
 *
 * <p>Read, Write and Dataset Management move data whose length only the caller knows (blocks times the LBA data size,
 * ranges times 16), so they leave DPTR to the caller: follow with
 * {@link SubmissionQueueEntryFlyweight#sglInCapsule(long, int)} or
 * {@link SubmissionQueueEntryFlyweight#sglTransportDataBlock(int)}. Flush and Write Zeroes move none and write the
 * null descriptor.
 */
public final class NvmCommands {

    /** NLB is 16 bits, 0's based. */
    public static final int MAX_BLOCKS = 0x1_0000;
    public static final int NLB_MASK = 0xFFFF;
    public static final int DEAC_BIT = 1 << 25;
    public static final int FUA_BIT = 1 << 30;
    public static final int LIMITED_RETRY_BIT = 1 << 31;
    public static final int NR_MASK = 0xFF;
    public static final int ATTRIBUTE_INTEGRAL_READ = 1;
    public static final int ATTRIBUTE_INTEGRAL_WRITE = 1 << 1;
    public static final int ATTRIBUTE_DEALLOCATE = 1 << 2;

    private NvmCommands() {
    }

    private static SubmissionQueueEntryFlyweight start(SubmissionQueueEntryFlyweight sqe, int cid, NvmOpcode opcode,
            int nsid) {
        return sqe.clear()
                .opcode(opcode.code())
                .psdt(SubmissionQueueEntryFlyweight.PSDT_SGL_METADATA_BUFFER)
                .cid(cid)
                .nsid(nsid);
    }

    /**
     * Read of {@code blocks} logical blocks from {@code slba}; the caller then writes DPTR.
     *
     * @throws IllegalArgumentException unless 1 &lt;= blocks &lt;= {@value #MAX_BLOCKS}
     */
    public static void read(SubmissionQueueEntryFlyweight sqe, int cid, int nsid, long slba, int blocks, boolean fua) {
        readWrite(sqe, cid, NvmOpcode.READ, nsid, slba, blocks, fua ? FUA_BIT : 0);
    }

    /**
     * Write of {@code blocks} logical blocks at {@code slba}; the caller then writes DPTR.
     *
     * @throws IllegalArgumentException unless 1 &lt;= blocks &lt;= {@value #MAX_BLOCKS}
     */
    public static void write(SubmissionQueueEntryFlyweight sqe, int cid, int nsid, long slba, int blocks, boolean fua) {
        readWrite(sqe, cid, NvmOpcode.WRITE, nsid, slba, blocks, fua ? FUA_BIT : 0);
    }

    /**
     * Write Zeroes; with {@code deallocate} the controller may deallocate the blocks instead of writing them.
     *
     * @throws IllegalArgumentException unless 1 &lt;= blocks &lt;= {@value #MAX_BLOCKS}
     */
    public static void writeZeroes(SubmissionQueueEntryFlyweight sqe, int cid, int nsid, long slba, int blocks,
            boolean deallocate) {
        readWrite(sqe, cid, NvmOpcode.WRITE_ZEROES, nsid, slba, blocks, deallocate ? DEAC_BIT : 0);
        sqe.sglNull();
    }

    private static void readWrite(SubmissionQueueEntryFlyweight sqe, int cid, NvmOpcode opcode, int nsid, long slba,
            int blocks, int cdw12Flags) {
        checkBlocks(blocks);
        start(sqe, cid, opcode, nsid)
                .cdw10((int) slba)
                .cdw11((int) (slba >>> 32))
                .cdw12((blocks - 1) | cdw12Flags);
    }

    private static void checkBlocks(int blocks) {
        if (blocks < 1 || blocks > MAX_BLOCKS) {
            throw new IllegalArgumentException("blocks must be 1.." + MAX_BLOCKS + ": " + blocks);
        }
    }

    public static void flush(SubmissionQueueEntryFlyweight sqe, int cid, int nsid) {
        start(sqe, cid, NvmOpcode.FLUSH, nsid).sglNull();
    }

    /**
     * Dataset Management over {@code ranges} {@link DsmRangeFlyweight}s (the data, 16 bytes each); the caller then
     * writes DPTR.
     *
     * @param deallocate AD: deallocate the ranges (what a discard or TRIM is)
     * @throws IllegalArgumentException unless 1 &lt;= ranges &lt;= 256
     */
    public static void datasetManagement(SubmissionQueueEntryFlyweight sqe, int cid, int nsid, int ranges,
            boolean deallocate) {
        if (ranges < 1 || ranges > DsmRangeFlyweight.MAX_RANGES) {
            throw new IllegalArgumentException("ranges must be 1.." + DsmRangeFlyweight.MAX_RANGES + ": " + ranges);
        }
        start(sqe, cid, NvmOpcode.DATASET_MANAGEMENT, nsid)
                .cdw10(ranges - 1)
                .cdw11(deallocate ? ATTRIBUTE_DEALLOCATE : 0);
    }

    // ---- readers, for a target or a test ----

    public static long startingLba(SubmissionQueueEntryFlyweight sqe) {
        return (sqe.cdw10() & 0xFFFF_FFFFL) | (long) sqe.cdw11() << 32;
    }

    /** NLB + 1. */
    public static int blocks(SubmissionQueueEntryFlyweight sqe) {
        return (sqe.cdw12() & NLB_MASK) + 1;
    }

    public static boolean isFua(SubmissionQueueEntryFlyweight sqe) {
        return (sqe.cdw12() & FUA_BIT) != 0;
    }

    /** DEAC of Write Zeroes. */
    public static boolean isDeallocateZeroes(SubmissionQueueEntryFlyweight sqe) {
        return (sqe.cdw12() & DEAC_BIT) != 0;
    }

    /** NR + 1 of Dataset Management. */
    public static int ranges(SubmissionQueueEntryFlyweight sqe) {
        return (sqe.cdw10() & NR_MASK) + 1;
    }

    /** AD of Dataset Management. */
    public static boolean isDeallocateRanges(SubmissionQueueEntryFlyweight sqe) {
        return (sqe.cdw11() & ATTRIBUTE_DEALLOCATE) != 0;
    }
}
