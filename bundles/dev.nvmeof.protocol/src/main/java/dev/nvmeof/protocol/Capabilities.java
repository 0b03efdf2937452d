package dev.nvmeof.protocol;

/**
 * The Controller Capabilities property, CAP at 00h, 8 bytes (NVMe Base 2.0, "Offset 0h: CAP - Controller
 * Capabilities"). Fields this stack does not use (CPS, PMRS, CMBS, NSSS, CRMS and the reserved bits) are not kept, so
 * {@link #toLong()} returns only the fields below.
 *
 * <pre>
 *   63:56    55:52   51:48   47:46 45   44:37  36     35:32   31:24  23:19  18:17  16   15:0
 *  +-------+-------+-------+-----+----+------+------+-------+------+------+------+----+------+
 *  | ...   |MPSMAX |MPSMIN | CPS |BPS | CSS  |NSSRS | DSTRD |  TO  | rsvd | AMS  |CQR | MQES |
 *  +-------+-------+-------+-----+----+------+------+-------+------+------+------+----+------+
 * </pre>
 *
 * @param mqes Maximum Queue Entries Supported, 0's based (use {@link #maxQueueEntries()})
 * @param contiguousQueuesRequired CQR
 * @param ams Arbitration Mechanism Supported bits
 * @param timeout TO, worst-case time to wait for CSTS.RDY, in 500 ms units (use {@link #readyTimeoutMillis()})
 * @param dstrd Doorbell Stride
 * @param subsystemResetSupported NSSRS
 * @param css Command Sets Supported bits ({@link #CSS_NVM} and others)
 * @param bootPartitionSupport BPS
 * @param mpsmin Memory Page Size Minimum, page size = 2 ^ (12 + MPSMIN)
 * @param mpsmax Memory Page Size Maximum
 */
public record Capabilities(int mqes, boolean contiguousQueuesRequired, int ams, int timeout, int dstrd,
        boolean subsystemResetSupported, int css, boolean bootPartitionSupport, int mpsmin, int mpsmax) {

    public static final int MQES_SHIFT = 0;
    public static final int CQR_SHIFT = 16;
    public static final int AMS_SHIFT = 17;
    public static final int TO_SHIFT = 24;
    public static final int DSTRD_SHIFT = 32;
    public static final int NSSRS_SHIFT = 36;
    public static final int CSS_SHIFT = 37;
    public static final int BPS_SHIFT = 45;
    public static final int MPSMIN_SHIFT = 48;
    public static final int MPSMAX_SHIFT = 52;

    /** CSS bit 0: the NVM Command Set. */
    public static final int CSS_NVM = 1;
    /** CSS bit 6: one or more I/O Command Sets, selected through CC.CSS = 110b. */
    public static final int CSS_IO_COMMAND_SETS = 1 << 6;
    /** CSS bit 7: no I/O Command Set (admin only, e.g. a discovery controller). */
    public static final int CSS_NO_IO = 1 << 7;

    /** How long one unit of TO is. */
    public static final long TIMEOUT_UNIT_MILLIS = 500;

    public Capabilities {
        check(mqes, 0xFFFF, "MQES");
        check(ams, 0x3, "AMS");
        check(timeout, 0xFF, "TO");
        check(dstrd, 0xF, "DSTRD");
        check(css, 0xFF, "CSS");
        check(mpsmin, 0xF, "MPSMIN");
        check(mpsmax, 0xF, "MPSMAX");
    }

    private static void check(int value, int mask, String name) {
        if ((value & ~mask) != 0) {
            throw new IllegalArgumentException(name + " " + value);
        }
    }

    public static Capabilities of(long cap) {
        return new Capabilities(
                (int) (cap >>> MQES_SHIFT) & 0xFFFF,
                ((cap >>> CQR_SHIFT) & 1) != 0,
                (int) (cap >>> AMS_SHIFT) & 0x3,
                (int) (cap >>> TO_SHIFT) & 0xFF,
                (int) (cap >>> DSTRD_SHIFT) & 0xF,
                ((cap >>> NSSRS_SHIFT) & 1) != 0,
                (int) (cap >>> CSS_SHIFT) & 0xFF,
                ((cap >>> BPS_SHIFT) & 1) != 0,
                (int) (cap >>> MPSMIN_SHIFT) & 0xF,
                (int) (cap >>> MPSMAX_SHIFT) & 0xF);
    }

    public long toLong() {
        return (long) mqes << MQES_SHIFT
                | (contiguousQueuesRequired ? 1L : 0L) << CQR_SHIFT
                | (long) ams << AMS_SHIFT
                | (long) timeout << TO_SHIFT
                | (long) dstrd << DSTRD_SHIFT
                | (subsystemResetSupported ? 1L : 0L) << NSSRS_SHIFT
                | (long) css << CSS_SHIFT
                | (bootPartitionSupport ? 1L : 0L) << BPS_SHIFT
                | (long) mpsmin << MPSMIN_SHIFT
                | (long) mpsmax << MPSMAX_SHIFT;
    }

    /** MQES + 1: the most entries an I/O queue may have. */
    public int maxQueueEntries() {
        return mqes + 1;
    }

    /** TO in milliseconds: how long to wait for CSTS.RDY to follow CC.EN. */
    public long readyTimeoutMillis() {
        return timeout * TIMEOUT_UNIT_MILLIS;
    }

    public boolean supportsNvmCommandSet() {
        return (css & CSS_NVM) != 0;
    }

    /** The smallest memory page size in bytes, 2 ^ (12 + MPSMIN). */
    public long minPageSize() {
        return 1L << (12 + mpsmin);
    }

    public long maxPageSize() {
        return 1L << (12 + mpsmax);
    }
}
