package dev.nvmeof.protocol;

import java.util.Arrays;

/**
 * Admin command opcodes used over fabrics (NVMe Base 2.0, "Opcodes for Admin Commands"). Queue creation and deletion
 * are listed for completeness: a Fabrics host creates I/O queues with Connect instead.
 *
 * <p>{@link #of(int)} never throws: a code this enum does not name maps to {@link #UNKNOWN}, whose
 * {@link #code()} is -1. Keep the raw code (as {@link NvmeStatus} does) when it must survive.
 */
public enum AdminOpcode {
    DELETE_IO_SQ(0x00, "Delete I/O Submission Queue"),
    CREATE_IO_SQ(0x01, "Create I/O Submission Queue"),
    GET_LOG_PAGE(0x02, "Get Log Page"),
    DELETE_IO_CQ(0x04, "Delete I/O Completion Queue"),
    CREATE_IO_CQ(0x05, "Create I/O Completion Queue"),
    IDENTIFY(0x06, "Identify"),
    ABORT(0x08, "Abort"),
    SET_FEATURES(0x09, "Set Features"),
    GET_FEATURES(0x0A, "Get Features"),
    ASYNC_EVENT_REQUEST(0x0C, "Asynchronous Event Request"),
    KEEP_ALIVE(0x18, "Keep Alive"),
    /** Fabrics command; the Fabrics Command Type in byte 4 says which. */
    FABRICS(0x7F, "Fabrics Commands"),
    /** Any code not named above. */
    UNKNOWN(-1, "Unknown Admin Opcode");

    private static final AdminOpcode[] BY_CODE = new AdminOpcode[256];

    static {
        Arrays.fill(BY_CODE, UNKNOWN);
        for (AdminOpcode value : values()) {
            if (value != UNKNOWN) {
                BY_CODE[value.code] = value;
            }
        }
    }

    private final int code;
    private final String description;

    AdminOpcode(int code, String description) {
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
    public static AdminOpcode of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : UNKNOWN;
    }
}
