package dev.nvmeof.protocol;

import java.util.Arrays;

/**
 * Fabrics Command Type, byte 4 of a command with opcode 7Fh (NVMe over Fabrics 1.1, "Fabrics Command Type";
 * authentication from TP 8006, NVMe Base 2.0).
 *
 * <p>{@link #of(int)} never throws: a code this enum does not name maps to {@link #UNKNOWN}, whose
 * {@link #code()} is -1. Keep the raw code (as {@link NvmeStatus} does) when it must survive.
 */
public enum FabricsCommandType {
    PROPERTY_SET(0x00, "Property Set"),
    CONNECT(0x01, "Connect"),
    PROPERTY_GET(0x04, "Property Get"),
    AUTHENTICATION_SEND(0x05, "Authentication Send"),
    AUTHENTICATION_RECEIVE(0x06, "Authentication Receive"),
    DISCONNECT(0x08, "Disconnect"),
    /** Any code not named above. */
    UNKNOWN(-1, "Unknown Fabrics Command Type");

    private static final FabricsCommandType[] BY_CODE = new FabricsCommandType[256];

    static {
        Arrays.fill(BY_CODE, UNKNOWN);
        for (FabricsCommandType value : values()) {
            if (value != UNKNOWN) {
                BY_CODE[value.code] = value;
            }
        }
    }

    private final int code;
    private final String description;

    FabricsCommandType(int code, String description) {
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
    public static FabricsCommandType of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : UNKNOWN;
    }
}
