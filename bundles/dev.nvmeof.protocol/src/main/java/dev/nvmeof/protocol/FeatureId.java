package dev.nvmeof.protocol;

import java.util.Arrays;

/**
 * Feature Identifiers used over fabrics (NVMe Base 2.0, "Feature Identifiers").
 *
 * <p>{@link #of(int)} never throws: a code this enum does not name maps to {@link #UNKNOWN}, whose
 * {@link #code()} is -1. Keep the raw code (as {@link NvmeStatus} does) when it must survive.
 */
public enum FeatureId {
    ARBITRATION(0x01, "Arbitration"),
    POWER_MANAGEMENT(0x02, "Power Management"),
    TEMPERATURE_THRESHOLD(0x04, "Temperature Threshold"),
    VOLATILE_WRITE_CACHE(0x06, "Volatile Write Cache"),
    NUMBER_OF_QUEUES(0x07, "Number of Queues"),
    ASYNC_EVENT_CONFIG(0x0B, "Asynchronous Event Configuration"),
    KEEP_ALIVE_TIMER(0x0F, "Keep Alive Timer"),
    HOST_IDENTIFIER(0x81, "Host Identifier"),
    /** Any code not named above. */
    UNKNOWN(-1, "Unknown Feature");

    private static final FeatureId[] BY_CODE = new FeatureId[256];

    static {
        Arrays.fill(BY_CODE, UNKNOWN);
        for (FeatureId value : values()) {
            if (value != UNKNOWN) {
                BY_CODE[value.code] = value;
            }
        }
    }

    private final int code;
    private final String description;

    FeatureId(int code, String description) {
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
    public static FeatureId of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : UNKNOWN;
    }
}
