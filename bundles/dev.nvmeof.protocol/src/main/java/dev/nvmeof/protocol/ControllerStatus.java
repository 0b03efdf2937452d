package dev.nvmeof.protocol;

/**
 * The Controller Status property, CSTS at 1Ch (NVMe Base 2.0, "Offset 1Ch: CSTS - Controller Status").
 *
 * <pre>
 *   31       6   5     4      3:2    1     0
 *  +----------+----+-------+------+-----+-----+
 *  | reserved | PP | NSSRO | SHST | CFS | RDY |
 *  +----------+----+-------+------+-----+-----+
 * </pre>
 *
 * @param ready RDY: the controller is ready to process commands
 * @param fatal CFS: Controller Fatal Status; the host must reset the controller
 * @param shutdownStatus SHST, one of the {@code SHST_*} values
 * @param subsystemResetOccurred NSSRO
 * @param processingPaused PP
 */
public record ControllerStatus(boolean ready, boolean fatal, int shutdownStatus, boolean subsystemResetOccurred,
        boolean processingPaused) {

    public static final int RDY_BIT = 1;
    public static final int CFS_BIT = 1 << 1;
    public static final int SHST_SHIFT = 2;
    public static final int SHST_MASK = 0x3;
    public static final int NSSRO_BIT = 1 << 4;
    public static final int PP_BIT = 1 << 5;

    public static final int SHST_NORMAL = 0;
    public static final int SHST_OCCURRING = 1;
    public static final int SHST_COMPLETE = 2;

    public ControllerStatus {
        if ((shutdownStatus & ~SHST_MASK) != 0) {
            throw new IllegalArgumentException("SHST " + shutdownStatus);
        }
    }

    public static ControllerStatus of(int csts) {
        return new ControllerStatus((csts & RDY_BIT) != 0, (csts & CFS_BIT) != 0, (csts >>> SHST_SHIFT) & SHST_MASK,
                (csts & NSSRO_BIT) != 0, (csts & PP_BIT) != 0);
    }

    public int toInt() {
        return (ready ? RDY_BIT : 0)
                | (fatal ? CFS_BIT : 0)
                | shutdownStatus << SHST_SHIFT
                | (subsystemResetOccurred ? NSSRO_BIT : 0)
                | (processingPaused ? PP_BIT : 0);
    }

    public boolean isShutdownComplete() {
        return shutdownStatus == SHST_COMPLETE;
    }

    /** RDY from a raw CSTS, for polling loops that need no object. */
    public static boolean isReady(int csts) {
        return (csts & RDY_BIT) != 0;
    }

    /** CFS from a raw CSTS. */
    public static boolean isFatal(int csts) {
        return (csts & CFS_BIT) != 0;
    }
}
