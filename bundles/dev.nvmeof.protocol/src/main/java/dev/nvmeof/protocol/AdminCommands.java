package dev.nvmeof.protocol;

/**
 * Writers and readers of the admin commands a Fabrics host sends (NVMe Base 2.0, "Admin Command Set": Identify, Get
 * Log Page, Set and Get Features, Keep Alive, Asynchronous Event Request, Abort). Every writer clears the 64 bytes,
 * sets the opcode, PSDT 01b (SGLs, as Fabrics requires), the CID and its fields. Commands that return data write a
 * transport data block descriptor of the right length in DPTR; commands without data write the null descriptor,
 * both as the Linux host does. Nothing here allocates.
 *
 * <pre>
 *  Identify        CDW10: CNS 7:0, CNTID 31:16                       data 4096 bytes
 *  Get Log Page    CDW10: LID 7:0, LSP 14:8, RAE 15, NUMDL 31:16     data 4 * (NUMD + 1) bytes
 *                  CDW11: NUMDU 15:0, LSI 31:16   CDW12: LPOL   CDW13: LPOU
 *  Get Features    CDW10: FID 7:0, SEL 10:8       CDW11: feature specific
 *  Set Features    CDW10: FID 7:0, SV 31          CDW11: value
 *  Abort           CDW10: SQID 15:0, CID 31:16
 * </pre>
 */
public final class AdminCommands {

    public static final int IDENTIFY_DATA_LENGTH = 4096;
    public static final int CNTID_SHIFT = 16;
    public static final int RAE_BIT = 1 << 15;
    public static final int NUMDL_SHIFT = 16;
    public static final int SEL_SHIFT = 8;
    public static final int SEL_MASK = 0x7;
    public static final int SAVE_BIT = 1 << 31;

    /** The longest Get Log Page one command can ask for: DPTR's length field is 32 bits. */
    public static final long MAX_LOG_PAGE_BYTES = 0xFFFF_FFFCL;

    /** Get Features SEL values. */
    public static final int SEL_CURRENT = 0;
    public static final int SEL_DEFAULT = 1;
    public static final int SEL_SAVED = 2;
    public static final int SEL_SUPPORTED_CAPABILITIES = 3;

    /** Highest queue count Number of Queues can ask for (NSQR and NCQR are 16 bits, 0's based, FFFFh is invalid). */
    public static final int MAX_QUEUES = 0xFFFF;

    private AdminCommands() {
    }

    private static SubmissionQueueEntryFlyweight start(SubmissionQueueEntryFlyweight sqe, int cid, AdminOpcode opcode) {
        return sqe.clear()
                .opcode(opcode.code())
                .psdt(SubmissionQueueEntryFlyweight.PSDT_SGL_METADATA_BUFFER)
                .cid(cid);
    }

    /** Identify; the controller returns 4096 bytes through the transport. */
    public static void identify(SubmissionQueueEntryFlyweight sqe, int cid, int cns, int nsid, int cntid) {
        start(sqe, cid, AdminOpcode.IDENTIFY).nsid(nsid).sglTransportDataBlock(IDENTIFY_DATA_LENGTH)
                .cdw10((cns & 0xFF) | cntid << CNTID_SHIFT);
    }

    public static void identify(SubmissionQueueEntryFlyweight sqe, int cid, IdentifyCns cns, int nsid) {
        identify(sqe, cid, cns.code(), nsid, 0);
    }

    /**
     * Get Log Page of {@code numBytes} bytes from byte {@code offset} of log page {@code lid}.
     *
     * @param numBytes a multiple of 4, from 4 to FFFFFFFCh (the most one SGL descriptor can describe)
     * @param offset LPO, a multiple of 4
     * @param rae Retain Asynchronous Event: keep the event that named this page outstanding
     * @throws IllegalArgumentException if {@code numBytes} or {@code offset} is out of range or not a multiple of 4
     */
    public static void getLogPage(SubmissionQueueEntryFlyweight sqe, int cid, int lid, int nsid, long numBytes,
            long offset, boolean rae) {
        if (numBytes < 4 || (numBytes & 3) != 0 || numBytes > MAX_LOG_PAGE_BYTES || offset < 0 || (offset & 3) != 0) {
            throw new IllegalArgumentException("log page length and offset must be dword multiples");
        }
        int numd = (int) (numBytes / 4 - 1);
        start(sqe, cid, AdminOpcode.GET_LOG_PAGE).nsid(nsid).sglTransportDataBlock((int) numBytes)
                .cdw10((lid & 0xFF) | (rae ? RAE_BIT : 0) | numd << NUMDL_SHIFT)
                .cdw11(numd >>> 16)
                .cdw12((int) offset)
                .cdw13((int) (offset >>> 32));
    }

    public static void getFeatures(SubmissionQueueEntryFlyweight sqe, int cid, int fid, int select) {
        start(sqe, cid, AdminOpcode.GET_FEATURES).sglNull()
                .cdw10((fid & 0xFF) | (select & SEL_MASK) << SEL_SHIFT);
    }

    /** Set Features with {@code value} in CDW11; {@code save} sets SV so the value survives a reset. */
    public static void setFeatures(SubmissionQueueEntryFlyweight sqe, int cid, int fid, int value, boolean save) {
        start(sqe, cid, AdminOpcode.SET_FEATURES).sglNull()
                .cdw10((fid & 0xFF) | (save ? SAVE_BIT : 0))
                .cdw11(value);
    }

    /**
     * Set Features Number of Queues, asking for {@code submissionQueues} I/O SQs and {@code completionQueues} I/O CQs
     * (counts, 1 to 65535; written 0's based). Decode the grant with {@link #grantedSubmissionQueues(int)} and
     * {@link #grantedCompletionQueues(int)}.
     */
    public static void setNumberOfQueues(SubmissionQueueEntryFlyweight sqe, int cid, int submissionQueues,
            int completionQueues) {
        setFeatures(sqe, cid, FeatureId.NUMBER_OF_QUEUES.code(), numberOfQueuesValue(submissionQueues,
                completionQueues), false);
    }

    /** CDW11 of Number of Queues: NSQR 15:0, NCQR 31:16, both 0's based. */
    public static int numberOfQueuesValue(int submissionQueues, int completionQueues) {
        if (submissionQueues < 1 || submissionQueues > MAX_QUEUES || completionQueues < 1
                || completionQueues > MAX_QUEUES) {
            throw new IllegalArgumentException("queue counts must be 1.." + MAX_QUEUES);
        }
        return (submissionQueues - 1) | (completionQueues - 1) << 16;
    }

    /** NSQA + 1 from the completion's DW0: how many I/O submission queues the controller granted. */
    public static int grantedSubmissionQueues(int dw0) {
        return (dw0 & 0xFFFF) + 1;
    }

    /** NCQA + 1 from the completion's DW0. */
    public static int grantedCompletionQueues(int dw0) {
        return (dw0 >>> 16) + 1;
    }

    /** Set Features Keep Alive Timer: KATO in milliseconds (0 disables keep alive). */
    public static void setKeepAliveTimer(SubmissionQueueEntryFlyweight sqe, int cid, int katoMillis) {
        setFeatures(sqe, cid, FeatureId.KEEP_ALIVE_TIMER.code(), katoMillis, false);
    }

    /** Set Features Asynchronous Event Configuration; {@code config} is a mask of {@code AsyncEvent.CONFIG_*}. */
    public static void setAsyncEventConfig(SubmissionQueueEntryFlyweight sqe, int cid, int config) {
        setFeatures(sqe, cid, FeatureId.ASYNC_EVENT_CONFIG.code(), config, false);
    }

    public static void keepAlive(SubmissionQueueEntryFlyweight sqe, int cid) {
        start(sqe, cid, AdminOpcode.KEEP_ALIVE).sglNull();
    }

    /** Asynchronous Event Request; it completes only when an event occurs, decode DW0 with {@link AsyncEvent}. */
    public static void asyncEventRequest(SubmissionQueueEntryFlyweight sqe, int cid) {
        start(sqe, cid, AdminOpcode.ASYNC_EVENT_REQUEST).sglNull();
    }

    /** Abort of command {@code cidToAbort} on submission queue {@code sqid}. */
    public static void abort(SubmissionQueueEntryFlyweight sqe, int cid, int sqid, int cidToAbort) {
        start(sqe, cid, AdminOpcode.ABORT).sglNull().cdw10((sqid & 0xFFFF) | cidToAbort << 16);
    }

    // ---- readers, for a target or a test ----

    public static int identifyCns(SubmissionQueueEntryFlyweight sqe) {
        return sqe.cdw10() & 0xFF;
    }

    public static int identifyCntid(SubmissionQueueEntryFlyweight sqe) {
        return sqe.cdw10() >>> CNTID_SHIFT;
    }

    public static int logPageId(SubmissionQueueEntryFlyweight sqe) {
        return sqe.cdw10() & 0xFF;
    }

    public static boolean isRetainAsyncEvent(SubmissionQueueEntryFlyweight sqe) {
        return (sqe.cdw10() & RAE_BIT) != 0;
    }

    /** The length a Get Log Page asks for, in bytes: 4 * (NUMD + 1). */
    public static long logPageNumBytes(SubmissionQueueEntryFlyweight sqe) {
        long numd = (sqe.cdw10() >>> NUMDL_SHIFT) | (long) (sqe.cdw11() & 0xFFFF) << 16;
        return (numd + 1) * 4;
    }

    public static long logPageOffset(SubmissionQueueEntryFlyweight sqe) {
        return (sqe.cdw12() & 0xFFFF_FFFFL) | (long) sqe.cdw13() << 32;
    }

    public static int featureId(SubmissionQueueEntryFlyweight sqe) {
        return sqe.cdw10() & 0xFF;
    }

    public static int featureSelect(SubmissionQueueEntryFlyweight sqe) {
        return (sqe.cdw10() >>> SEL_SHIFT) & SEL_MASK;
    }

    public static boolean isFeatureSave(SubmissionQueueEntryFlyweight sqe) {
        return (sqe.cdw10() & SAVE_BIT) != 0;
    }
}
