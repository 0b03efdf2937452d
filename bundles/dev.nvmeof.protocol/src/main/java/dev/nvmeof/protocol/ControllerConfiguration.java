package dev.nvmeof.protocol;

/**
 * The Controller Configuration property, CC at 14h (NVMe Base 2.0, "Offset 14h: CC - Controller Configuration").
 * Immutable; change a field with the {@code withX} methods and write {@link #toInt()} with Property Set.
 *
 * <pre>
 *   31:24  23:20   19:16   15:14  13:11  10:7   6:4   3:1   0
 *  +------+-------+-------+------+------+------+-----+-----+----+
 *  | rsvd |IOCQES |IOSQES | SHN  | AMS  | MPS  | CSS |rsvd | EN |
 *  +------+-------+-------+------+------+------+-----+-----+----+
 * </pre>
 *
 * @param enable EN
 * @param css I/O Command Set Selected ({@link #CSS_NVM} = 000b)
 * @param mps Memory Page Size, page size = 2 ^ (12 + MPS)
 * @param ams Arbitration Mechanism Selected
 * @param shutdownNotification SHN, one of the {@code SHN_*} values
 * @param iosqes I/O Submission Queue Entry Size as a power of two (6 = 64 bytes)
 * @param iocqes I/O Completion Queue Entry Size as a power of two (4 = 16 bytes)
 */
public record ControllerConfiguration(boolean enable, int css, int mps, int ams, int shutdownNotification, int iosqes,
        int iocqes) {

    public static final int EN_BIT = 1;
    public static final int CSS_SHIFT = 4;
    public static final int MPS_SHIFT = 7;
    public static final int AMS_SHIFT = 11;
    public static final int SHN_SHIFT = 14;
    public static final int IOSQES_SHIFT = 16;
    public static final int IOCQES_SHIFT = 20;

    public static final int CSS_NVM = 0;
    public static final int CSS_ALL_IO_COMMAND_SETS = 6;
    public static final int CSS_ADMIN_ONLY = 7;
    public static final int AMS_ROUND_ROBIN = 0;
    public static final int SHN_NONE = 0;
    public static final int SHN_NORMAL = 1;
    public static final int SHN_ABRUPT = 2;

    /** What a host writes before enabling an NVM controller: 64-byte SQEs, 16-byte CQEs, 4 KiB pages, disabled. */
    public static final ControllerConfiguration NVM_DEFAULTS =
            new ControllerConfiguration(false, CSS_NVM, 0, AMS_ROUND_ROBIN, SHN_NONE, 6, 4);

    public ControllerConfiguration {
        check(css, 0x7, "CSS");
        check(mps, 0xF, "MPS");
        check(ams, 0x7, "AMS");
        check(shutdownNotification, 0x3, "SHN");
        check(iosqes, 0xF, "IOSQES");
        check(iocqes, 0xF, "IOCQES");
    }

    private static void check(int value, int mask, String name) {
        if ((value & ~mask) != 0) {
            throw new IllegalArgumentException(name + " " + value);
        }
    }

    public static ControllerConfiguration of(int cc) {
        return new ControllerConfiguration((cc & EN_BIT) != 0, (cc >>> CSS_SHIFT) & 0x7, (cc >>> MPS_SHIFT) & 0xF,
                (cc >>> AMS_SHIFT) & 0x7, (cc >>> SHN_SHIFT) & 0x3, (cc >>> IOSQES_SHIFT) & 0xF,
                (cc >>> IOCQES_SHIFT) & 0xF);
    }

    public int toInt() {
        return (enable ? EN_BIT : 0)
                | css << CSS_SHIFT
                | mps << MPS_SHIFT
                | ams << AMS_SHIFT
                | shutdownNotification << SHN_SHIFT
                | iosqes << IOSQES_SHIFT
                | iocqes << IOCQES_SHIFT;
    }

    public ControllerConfiguration withEnable(boolean value) {
        return new ControllerConfiguration(value, css, mps, ams, shutdownNotification, iosqes, iocqes);
    }

    public ControllerConfiguration withCss(int value) {
        return new ControllerConfiguration(enable, value, mps, ams, shutdownNotification, iosqes, iocqes);
    }

    public ControllerConfiguration withMps(int value) {
        return new ControllerConfiguration(enable, css, value, ams, shutdownNotification, iosqes, iocqes);
    }

    public ControllerConfiguration withAms(int value) {
        return new ControllerConfiguration(enable, css, mps, value, shutdownNotification, iosqes, iocqes);
    }

    public ControllerConfiguration withShutdownNotification(int value) {
        return new ControllerConfiguration(enable, css, mps, ams, value, iosqes, iocqes);
    }

    public ControllerConfiguration withIosqes(int value) {
        return new ControllerConfiguration(enable, css, mps, ams, shutdownNotification, value, iocqes);
    }

    public ControllerConfiguration withIocqes(int value) {
        return new ControllerConfiguration(enable, css, mps, ams, shutdownNotification, iosqes, value);
    }
}
