package dev.nvmeof.protocol;

/**
 * The status of a completed command: Status Code Type, Status Code, Do Not Retry, More and Command Retry Delay (NVMe
 * Base 2.0, "Status Field Definition").
 *
 * <pre>
 *  completion status word (CQE bytes 14-15):
 *    15   14   13:12  11:9  8:1  0
 *   +----+----+------+-----+----+---+
 *   |DNR | M  | CRD  | SCT | SC | P |
 *   +----+----+------+-----+----+---+
 * </pre>
 *
 * <p>Two forms: this immutable value for the control plane and for exceptions, and static helpers over the raw
 * {@code int} status word ({@link #sct(int)}, {@link #isSuccess(int)}, {@link #statusWord}) for the I/O path.
 * {@link #of(int)} returns the shared {@link #SUCCESS} for a plain success, so completing a command well allocates
 * nothing.
 *
 * <p>"Type and code" is {@code SCT << 8 | SC}, the form Linux prints: Host Pathing Error is 0x370 and Command Aborted By
 * Host 0x371.
 *
 * @param sct Status Code Type, 0 to 7
 * @param sc Status Code, 0 to 255
 * @param dnr Do Not Retry
 * @param more More: the Error Information log page has more on this error
 * @param crd Command Retry Delay, 0 to 3: which of the controller's CRDT times to wait before a retry
 */
public record NvmeStatus(int sct, int sc, boolean dnr, boolean more, int crd) {

    public static final int PHASE_BIT = 1;
    public static final int SC_SHIFT = 1;
    public static final int SC_MASK = 0xFF;
    public static final int SCT_SHIFT = 9;
    public static final int SCT_MASK = 0x7;
    public static final int CRD_SHIFT = 12;
    public static final int CRD_MASK = 0x3;
    public static final int MORE_BIT = 1 << 14;
    public static final int DNR_BIT = 1 << 15;

    private static final String HEX = "0123456789ABCDEF";

    /** Bits 11:1, SCT and SC together: zero means success. */
    private static final int TYPE_AND_CODE_BITS = (SCT_MASK << SCT_SHIFT) | (SC_MASK << SC_SHIFT);

    public static final NvmeStatus SUCCESS = new NvmeStatus(0, 0, false, false, 0);
    /** What a host reports when no path to the namespace is left (0x370); retryable on another path. */
    public static final NvmeStatus HOST_PATH_ERROR = path(PathStatus.HOST_PATHING_ERROR, false);
    /** What a host reports for commands it cancelled itself, e.g. while resetting the controller (0x371). */
    public static final NvmeStatus HOST_ABORTED = path(PathStatus.HOST_ABORTED_COMMAND, false);
    /** What a host reports for a command whose received data failed its digest. */
    public static final NvmeStatus DATA_TRANSFER_ERROR = generic(GenericStatus.DATA_TRANSFER_ERROR, false);

    /**
     * @throws IllegalArgumentException if a field does not fit its bits
     */
    public NvmeStatus {
        if ((sct & ~SCT_MASK) != 0 || (sc & ~SC_MASK) != 0 || (crd & ~CRD_MASK) != 0) {
            throw new IllegalArgumentException("sct=" + sct + " sc=" + sc + " crd=" + crd);
        }
    }

    /** The status in a 16-bit CQE status word; the phase tag is ignored. */
    public static NvmeStatus of(int statusWord) {
        if ((statusWord & ~PHASE_BIT & 0xFFFF) == 0) {
            return SUCCESS;
        }
        return new NvmeStatus(sct(statusWord), sc(statusWord), isDnr(statusWord), isMore(statusWord),
                crd(statusWord));
    }

    public static NvmeStatus of(int sct, int sc, boolean dnr) {
        return sct == 0 && sc == 0 && !dnr ? SUCCESS : new NvmeStatus(sct, sc, dnr, false, 0);
    }

    /** From {@code SCT << 8 | SC} as Linux prints it, e.g. {@code 0x370}. */
    public static NvmeStatus ofTypeAndCode(int typeAndCode, boolean dnr) {
        if ((typeAndCode & ~0x7FF) != 0) {
            throw new IllegalArgumentException("not SCT << 8 | SC: 0x" + Integer.toHexString(typeAndCode));
        }
        return of(typeAndCode >>> 8, typeAndCode & SC_MASK, dnr);
    }

    public static NvmeStatus generic(GenericStatus status, boolean dnr) {
        return of(StatusCodeType.GENERIC.code(), known(status.code()), dnr);
    }

    public static NvmeStatus commandSpecific(CommandSpecificStatus status, boolean dnr) {
        return of(StatusCodeType.COMMAND_SPECIFIC.code(), known(status.code()), dnr);
    }

    public static NvmeStatus media(MediaStatus status, boolean dnr) {
        return of(StatusCodeType.MEDIA_AND_DATA_INTEGRITY.code(), known(status.code()), dnr);
    }

    public static NvmeStatus path(PathStatus status, boolean dnr) {
        return of(StatusCodeType.PATH_RELATED.code(), known(status.code()), dnr);
    }

    private static int known(int code) {
        if (code < 0) {
            throw new IllegalArgumentException("UNKNOWN has no code to send");
        }
        return code;
    }

    // ---- the status word as an int, for the I/O path ----

    public static int sc(int statusWord) {
        return (statusWord >>> SC_SHIFT) & SC_MASK;
    }

    public static int sct(int statusWord) {
        return (statusWord >>> SCT_SHIFT) & SCT_MASK;
    }

    public static int crd(int statusWord) {
        return (statusWord >>> CRD_SHIFT) & CRD_MASK;
    }

    public static boolean isMore(int statusWord) {
        return (statusWord & MORE_BIT) != 0;
    }

    public static boolean isDnr(int statusWord) {
        return (statusWord & DNR_BIT) != 0;
    }

    /** Whether SCT and SC are both zero. */
    public static boolean isSuccess(int statusWord) {
        return (statusWord & TYPE_AND_CODE_BITS) == 0;
    }

    /** {@code SCT << 8 | SC} of a status word. */
    public static int typeAndCode(int statusWord) {
        return (statusWord >>> SC_SHIFT) & 0x7FF;
    }

    /** Packs a status word; arguments are masked to their widths. */
    public static int statusWord(int sct, int sc, boolean dnr, boolean more, int crd, boolean phase) {
        return (dnr ? DNR_BIT : 0)
                | (more ? MORE_BIT : 0)
                | (crd & CRD_MASK) << CRD_SHIFT
                | (sct & SCT_MASK) << SCT_SHIFT
                | (sc & SC_MASK) << SC_SHIFT
                | (phase ? PHASE_BIT : 0);
    }

    // ---- the value ----

    public int toStatusWord(boolean phase) {
        return statusWord(sct, sc, dnr, more, crd, phase);
    }

    public int typeAndCode() {
        return sct << 8 | sc;
    }

    public boolean isSuccess() {
        return sct == 0 && sc == 0;
    }

    public StatusCodeType statusCodeType() {
        return StatusCodeType.of(sct);
    }

    public boolean is(GenericStatus status) {
        return sct == StatusCodeType.GENERIC.code() && sc == status.code();
    }

    public boolean is(CommandSpecificStatus status) {
        return sct == StatusCodeType.COMMAND_SPECIFIC.code() && sc == status.code();
    }

    public boolean is(MediaStatus status) {
        return sct == StatusCodeType.MEDIA_AND_DATA_INTEGRITY.code() && sc == status.code();
    }

    public boolean is(PathStatus status) {
        return sct == StatusCodeType.PATH_RELATED.code() && sc == status.code();
    }

    /** The specification's name of this status, e.g. "Invalid Field in Command". */
    public String name() {
        return name(sct, sc);
    }

    /** The specification's name of SCT/SC; for codes no enum here names, its UNKNOWN's description. */
    public static String name(int sct, int sc) {
        switch (StatusCodeType.of(sct)) {
            case GENERIC:
                return GenericStatus.of(sc).description();
            case COMMAND_SPECIFIC:
                return CommandSpecificStatus.of(sc).description();
            case MEDIA_AND_DATA_INTEGRITY:
                return MediaStatus.of(sc).description();
            case PATH_RELATED:
                return PathStatus.of(sc).description();
            case VENDOR_SPECIFIC:
                return StatusCodeType.VENDOR_SPECIFIC.description();
            default:
                return StatusCodeType.UNKNOWN.description();
        }
    }

    /** For example {@code Invalid Field in Command (sct=0x0 sc=0x02 dnr)}. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(64).append(name())
                .append(" (sct=0x").append(Integer.toHexString(sct))
                .append(" sc=0x").append(HEX.charAt(sc >>> 4)).append(HEX.charAt(sc & 0xF));
        if (dnr) {
            text.append(" dnr");
        }
        if (more) {
            text.append(" more");
        }
        if (crd != 0) {
            text.append(" crd=").append(crd);
        }
        return text.append(')').toString();
    }
}
