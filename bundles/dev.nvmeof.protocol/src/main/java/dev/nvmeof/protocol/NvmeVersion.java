package dev.nvmeof.protocol;

/**
 * The Version property, VS at 08h (NVMe Base 2.0, "Offset 8h: VS - Version").
 *
 * <pre>
 *   31          16 15       8 7        0
 *  +--------------+----------+----------+
 *  | MJR          | MNR      | TER      |
 *  +--------------+----------+----------+
 * </pre>
 *
 * @param major 0 to 65535
 * @param minor 0 to 255
 * @param tertiary 0 to 255
 */
public record NvmeVersion(int major, int minor, int tertiary) implements Comparable<NvmeVersion> {

    public static final NvmeVersion V1_3 = new NvmeVersion(1, 3, 0);
    public static final NvmeVersion V1_4 = new NvmeVersion(1, 4, 0);
    public static final NvmeVersion V2_0 = new NvmeVersion(2, 0, 0);

    public NvmeVersion {
        if ((major & ~0xFFFF) != 0 || (minor & ~0xFF) != 0 || (tertiary & ~0xFF) != 0) {
            throw new IllegalArgumentException(major + "." + minor + "." + tertiary);
        }
    }

    public static NvmeVersion of(int vs) {
        return new NvmeVersion(vs >>> 16, (vs >>> 8) & 0xFF, vs & 0xFF);
    }

    public int toInt() {
        return major << 16 | minor << 8 | tertiary;
    }

    public boolean isAtLeast(NvmeVersion other) {
        return compareTo(other) >= 0;
    }

    @Override
    public int compareTo(NvmeVersion other) {
        return Integer.compare(toInt(), other.toInt());
    }

    /** For example {@code 1.3.0}. */
    @Override
    public String toString() {
        return major + "." + minor + "." + tertiary;
    }
}
