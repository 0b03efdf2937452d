package dev.nvmeof.protocol;

import java.util.Arrays;

/**
 * Status Code Type, bits 11:9 of the completion status word (NVMe Base 2.0, "Status Code Type Values"). Codes 4h to 6h are
 * reserved and map to {@link #UNKNOWN}.
 *
 * <p>{@link #of(int)} never throws: a code this enum does not name maps to {@link #UNKNOWN}, whose
 * {@link #code()} is -1. Keep the raw code (as {@link NvmeStatus} does) when it must survive.
 */
public enum StatusCodeType {
    GENERIC(0, "Generic Command Status"),
    COMMAND_SPECIFIC(1, "Command Specific Status"),
    MEDIA_AND_DATA_INTEGRITY(2, "Media and Data Integrity Errors"),
    PATH_RELATED(3, "Path Related Status"),
    VENDOR_SPECIFIC(7, "Vendor Specific"),
    /** Any code not named above. */
    UNKNOWN(-1, "Reserved Status Code Type");

    private static final StatusCodeType[] BY_CODE = new StatusCodeType[8];

    static {
        Arrays.fill(BY_CODE, UNKNOWN);
        for (StatusCodeType value : values()) {
            if (value != UNKNOWN) {
                BY_CODE[value.code] = value;
            }
        }
    }

    private final int code;
    private final String description;

    StatusCodeType(int code, String description) {
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
    public static StatusCodeType of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : UNKNOWN;
    }
}
