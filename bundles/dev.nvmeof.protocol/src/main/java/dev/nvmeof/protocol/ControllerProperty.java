package dev.nvmeof.protocol;

import java.util.Arrays;

/**
 * The controller properties a Fabrics host reads and writes with Property Get and Property Set (NVMe Base 2.0,
 * "Controller Properties"; NVMe over Fabrics 1.1, "Property Definitions"). Over fabrics these replace the PCIe
 * registers of the same offsets; the values decode with {@link Capabilities}, {@link NvmeVersion},
 * {@link ControllerConfiguration} and {@link ControllerStatus}.
 *
 * <pre>
 *  offset  size  name
 *   00h     8    CAP   Controller Capabilities
 *   08h     4    VS    Version
 *   14h     4    CC    Controller Configuration
 *   1Ch     4    CSTS  Controller Status
 *   20h     4    NSSR  NVM Subsystem Reset (optional)
 * </pre>
 *
 * <p>{@link #of(int)} never throws: an offset not listed maps to {@link #UNKNOWN} (offset -1, size 0).
 */
public enum ControllerProperty {
    CAP(0x00, 8),
    VS(0x08, 4),
    CC(0x14, 4),
    CSTS(0x1C, 4),
    NSSR(0x20, 4),
    /** Any offset not named above. */
    UNKNOWN(-1, 0);

    private static final ControllerProperty[] BY_OFFSET = new ControllerProperty[0x24];

    static {
        Arrays.fill(BY_OFFSET, UNKNOWN);
        for (ControllerProperty value : values()) {
            if (value != UNKNOWN) {
                BY_OFFSET[value.offset] = value;
            }
        }
    }

    private final int offset;
    private final int size;

    ControllerProperty(int offset, int size) {
        this.offset = offset;
        this.size = size;
    }

    /** The property's offset, what Property Get and Set carry in OFST. */
    public int code() {
        return offset;
    }

    public int offset() {
        return offset;
    }

    /** Size in bytes: 4 or 8 (0 for {@link #UNKNOWN}). */
    public int size() {
        return size;
    }

    public boolean isEightBytes() {
        return size == 8;
    }

    public static ControllerProperty of(int offset) {
        return offset >= 0 && offset < BY_OFFSET.length ? BY_OFFSET[offset] : UNKNOWN;
    }
}
