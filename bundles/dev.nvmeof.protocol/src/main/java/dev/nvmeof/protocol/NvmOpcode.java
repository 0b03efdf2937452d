package dev.nvmeof.protocol;

import java.util.Arrays;

/**
 * NVM Command Set I/O opcodes (NVM Command Set 1.0, "Opcodes for NVM Commands"). Fabrics commands (7Fh) are valid on
 * I/O queues too (Connect and Disconnect), hence {@link #FABRICS}.
 *
 * <p>{@link #of(int)} never throws: a code this enum does not name maps to {@link #UNKNOWN}, whose
 * {@link #code()} is -1. Keep the raw code (as {@link NvmeStatus} does) when it must survive.
 */
public enum NvmOpcode {
    FLUSH(0x00, "Flush"),
    WRITE(0x01, "Write"),
    READ(0x02, "Read"),
    WRITE_UNCORRECTABLE(0x04, "Write Uncorrectable"),
    COMPARE(0x05, "Compare"),
    WRITE_ZEROES(0x08, "Write Zeroes"),
    DATASET_MANAGEMENT(0x09, "Dataset Management"),
    FABRICS(0x7F, "Fabrics Commands"),
    /** Any code not named above. */
    UNKNOWN(-1, "Unknown NVM Opcode");

    private static final NvmOpcode[] BY_CODE = new NvmOpcode[256];

    static {
        Arrays.fill(BY_CODE, UNKNOWN);
        for (NvmOpcode value : values()) {
            if (value != UNKNOWN) {
                BY_CODE[value.code] = value;
            }
        }
    }

    private final int code;
    private final String description;

    NvmOpcode(int code, String description) {
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
    public static NvmOpcode of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : UNKNOWN;
    }
}
