package dev.nvmeof.protocol;

import java.util.Arrays;

/**
 * Asynchronous Event Type, bits 2:0 of the Asynchronous Event Request completion's DW0 (NVMe Base 2.0, "Asynchronous
 * Event Request - Completion Queue Entry Dword 0"). See {@link AsyncEvent} for the rest of that dword.
 *
 * <p>{@link #of(int)} never throws: a code this enum does not name maps to {@link #UNKNOWN}, whose
 * {@link #code()} is -1. Keep the raw code (as {@link NvmeStatus} does) when it must survive.
 */
public enum AsyncEventType {
    ERROR(0, "Error status"),
    SMART(1, "SMART / Health status"),
    NOTICE(2, "Notice"),
    IMMEDIATE(3, "Immediate"),
    ONE_SHOT(4, "One-Shot"),
    IO_COMMAND_SPECIFIC(6, "I/O Command specific status"),
    VENDOR_SPECIFIC(7, "Vendor specific"),
    /** Any code not named above. */
    UNKNOWN(-1, "Reserved Asynchronous Event Type");

    private static final AsyncEventType[] BY_CODE = new AsyncEventType[8];

    static {
        Arrays.fill(BY_CODE, UNKNOWN);
        for (AsyncEventType value : values()) {
            if (value != UNKNOWN) {
                BY_CODE[value.code] = value;
            }
        }
    }

    private final int code;
    private final String description;

    AsyncEventType(int code, String description) {
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
    public static AsyncEventType of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : UNKNOWN;
    }
}
