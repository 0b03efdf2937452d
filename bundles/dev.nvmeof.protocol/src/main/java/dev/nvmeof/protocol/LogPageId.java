package dev.nvmeof.protocol;

import java.util.Arrays;

/**
 * Log Page Identifiers used over fabrics (NVMe Base 2.0, "Log Page Identifiers"; 70h from NVMe over Fabrics 1.1).
 *
 * <p>{@link #of(int)} never throws: a code this enum does not name maps to {@link #UNKNOWN}, whose
 * {@link #code()} is -1. Keep the raw code (as {@link NvmeStatus} does) when it must survive.
 */
public enum LogPageId {
    ERROR(0x01, "Error Information"),
    SMART(0x02, "SMART / Health Information"),
    FIRMWARE_SLOT(0x03, "Firmware Slot Information"),
    CHANGED_NAMESPACE_LIST(0x04, "Changed Namespace List"),
    COMMANDS_SUPPORTED_AND_EFFECTS(0x05, "Commands Supported and Effects"),
    ASYMMETRIC_NAMESPACE_ACCESS(0x0C, "Asymmetric Namespace Access"),
    DISCOVERY(0x70, "Discovery"),
    /** Any code not named above. */
    UNKNOWN(-1, "Unknown Log Page");

    private static final LogPageId[] BY_CODE = new LogPageId[256];

    static {
        Arrays.fill(BY_CODE, UNKNOWN);
        for (LogPageId value : values()) {
            if (value != UNKNOWN) {
                BY_CODE[value.code] = value;
            }
        }
    }

    private final int code;
    private final String description;

    LogPageId(int code, String description) {
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
    public static LogPageId of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : UNKNOWN;
    }
}
