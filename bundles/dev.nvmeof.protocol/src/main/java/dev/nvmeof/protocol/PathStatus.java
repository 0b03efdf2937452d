package dev.nvmeof.protocol;

import java.util.Arrays;

/**
 * Path Related Status values, SCT 3h (NVMe Base 2.0, "Path Related Status Values"). 60h-6Fh are reported by the controller,
 * 70h-7Fh are made up by the host itself: the Linux host completes a command with Host Pathing Error (printed 0x370)
 * when no path is left, and with Command Aborted By Host (0x371) when it cancels commands during recovery.
 *
 * <p>{@link #of(int)} never throws: a code this enum does not name maps to {@link #UNKNOWN}, whose
 * {@link #code()} is -1. Keep the raw code (as {@link NvmeStatus} does) when it must survive.
 */
public enum PathStatus {
    INTERNAL_PATH_ERROR(0x00, "Internal Path Error"),
    ASYMMETRIC_ACCESS_PERSISTENT_LOSS(0x01, "Asymmetric Access Persistent Loss"),
    ASYMMETRIC_ACCESS_INACCESSIBLE(0x02, "Asymmetric Access Inaccessible"),
    ASYMMETRIC_ACCESS_TRANSITION(0x03, "Asymmetric Access Transition"),
    CONTROLLER_PATHING_ERROR(0x60, "Controller Pathing Error"),
    HOST_PATHING_ERROR(0x70, "Host Pathing Error"),
    HOST_ABORTED_COMMAND(0x71, "Command Aborted By Host"),
    /** Any code not named above. */
    UNKNOWN(-1, "Unknown Path Related Status");

    private static final PathStatus[] BY_CODE = new PathStatus[256];

    static {
        Arrays.fill(BY_CODE, UNKNOWN);
        for (PathStatus value : values()) {
            if (value != UNKNOWN) {
                BY_CODE[value.code] = value;
            }
        }
    }

    private final int code;
    private final String description;

    PathStatus(int code, String description) {
        this.code = code;
        this.description = description;
    }

    /** The value on the wire, or -1 for {@link #UNKNOWN}. */
    public int code() {
        return code;
    }

    /** The name the specification gives the value. */
    public String description() {
        return description;
    }

    /** The constant for {@code code}, or {@link #UNKNOWN}; never null, never throws. */
    public static PathStatus of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : UNKNOWN;
    }
}
