package dev.nvmeof.protocol;

import java.util.Arrays;

/**
 * Controller or Namespace Structure, CDW10 bits 7:0 of Identify (NVMe Base 2.0, "CNS Values"): the values a Fabrics
 * host needs.
 *
 * <p>{@link #of(int)} never throws: a code this enum does not name maps to {@link #UNKNOWN}, whose
 * {@link #code()} is -1. Keep the raw code (as {@link NvmeStatus} does) when it must survive.
 */
public enum IdentifyCns {
    NAMESPACE(0x00, "Identify Namespace data structure"),
    CONTROLLER(0x01, "Identify Controller data structure"),
    ACTIVE_NAMESPACE_LIST(0x02, "Active Namespace ID list"),
    NAMESPACE_ID_DESCRIPTORS(0x03, "Namespace Identification Descriptor list"),
    /** Any code not named above. */
    UNKNOWN(-1, "Unknown CNS");

    private static final IdentifyCns[] BY_CODE = new IdentifyCns[256];

    static {
        Arrays.fill(BY_CODE, UNKNOWN);
        for (IdentifyCns value : values()) {
            if (value != UNKNOWN) {
                BY_CODE[value.code] = value;
            }
        }
    }

    private final int code;
    private final String description;

    IdentifyCns(int code, String description) {
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
    public static IdentifyCns of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : UNKNOWN;
    }
}
