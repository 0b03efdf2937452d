package dev.nvmeof.protocol;

import java.util.Arrays;

/**
 * Media and Data Integrity Errors, SCT 2h (NVMe Base 2.0, "Media and Data Integrity Error Values"; NVM Command Set 1.0).
 *
 * <p>{@link #of(int)} never throws: a code this enum does not name maps to {@link #UNKNOWN}, whose
 * {@link #code()} is -1. Keep the raw code (as {@link NvmeStatus} does) when it must survive.
 */
public enum MediaStatus {
    WRITE_FAULT(0x80, "Write Fault"),
    UNRECOVERED_READ_ERROR(0x81, "Unrecovered Read Error"),
    END_TO_END_GUARD_CHECK_ERROR(0x82, "End-to-end Guard Check Error"),
    END_TO_END_APPLICATION_TAG_CHECK_ERROR(0x83, "End-to-end Application Tag Check Error"),
    END_TO_END_REFERENCE_TAG_CHECK_ERROR(0x84, "End-to-end Reference Tag Check Error"),
    COMPARE_FAILURE(0x85, "Compare Failure"),
    ACCESS_DENIED(0x86, "Access Denied"),
    DEALLOCATED_OR_UNWRITTEN(0x87, "Deallocated or Unwritten Logical Block"),
    END_TO_END_STORAGE_TAG_CHECK_ERROR(0x88, "End-to-end Storage Tag Check Error"),
    /** Any code not named above. */
    UNKNOWN(-1, "Unknown Media and Data Integrity Error");

    private static final MediaStatus[] BY_CODE = new MediaStatus[256];

    static {
        Arrays.fill(BY_CODE, UNKNOWN);
        for (MediaStatus value : values()) {
            if (value != UNKNOWN) {
                BY_CODE[value.code] = value;
            }
        }
    }

    private final int code;
    private final String description;

    MediaStatus(int code, String description) {
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
    public static MediaStatus of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : UNKNOWN;
    }
}
