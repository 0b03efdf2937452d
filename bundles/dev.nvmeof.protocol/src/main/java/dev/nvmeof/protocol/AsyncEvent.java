package dev.nvmeof.protocol;

/**
 * An asynchronous event as the Asynchronous Event Request command completes with it, and the constants to enable and
 * read one (NVMe Base 2.0, "Asynchronous Event Request - Completion Queue Entry Dword 0", "Asynchronous Event
 * Information - Notice"; NVMe over Fabrics 1.1 for the Discovery Log Page Change notice).
 *
 * <pre>
 *  completion DW0:
 *   31:24      23:16              15:8                  7:3    2:0
 *  +--------+-------------------+---------------------+------+------+
 *  | rsvd   | Log Page Identifier | Event Information   | rsvd | Type |
 *  +--------+-------------------+---------------------+------+------+
 * </pre>
 *
 * The host answers a notice by reading the named log page (with RAE cleared) and submitting a new Asynchronous Event
 * Request. The static helpers decode a dword without allocating; {@link #of(int)} builds the value.
 *
 * @param type Asynchronous Event Type, the raw 3 bits (see {@link #eventType()})
 * @param info Asynchronous Event Information
 * @param logPageId the log page to read
 */
public record AsyncEvent(int type, int info, int logPageId) {

    public static final int TYPE_MASK = 0x7;
    public static final int INFO_SHIFT = 8;
    public static final int LOG_PAGE_SHIFT = 16;

    /** Notice information values (type {@link AsyncEventType#NOTICE}). */
    public static final int NOTICE_NAMESPACE_ATTRIBUTE_CHANGED = 0x00;
    public static final int NOTICE_FIRMWARE_ACTIVATION_STARTING = 0x01;
    public static final int NOTICE_TELEMETRY_LOG_CHANGED = 0x02;
    public static final int NOTICE_ANA_CHANGE = 0x03;
    public static final int NOTICE_DISCOVERY_LOG_PAGE_CHANGE = 0xF0;

    /** Asynchronous Event Configuration (feature 0Bh, CDW11) bits that enable the notices above. */
    public static final int CONFIG_NAMESPACE_ATTRIBUTE_NOTICES = 1 << 8;
    public static final int CONFIG_FIRMWARE_ACTIVATION_NOTICES = 1 << 9;
    public static final int CONFIG_TELEMETRY_LOG_NOTICES = 1 << 10;
    public static final int CONFIG_ANA_CHANGE_NOTICES = 1 << 11;
    public static final int CONFIG_DISCOVERY_LOG_PAGE_CHANGE_NOTICES = 1 << 31;

    public AsyncEvent {
        if ((type & ~TYPE_MASK) != 0 || (info & ~0xFF) != 0 || (logPageId & ~0xFF) != 0) {
            throw new IllegalArgumentException("type=" + type + " info=" + info + " lid=" + logPageId);
        }
    }

    public static AsyncEvent of(int dw0) {
        return new AsyncEvent(type(dw0), info(dw0), logPageId(dw0));
    }

    public static int type(int dw0) {
        return dw0 & TYPE_MASK;
    }

    public static int info(int dw0) {
        return (dw0 >>> INFO_SHIFT) & 0xFF;
    }

    public static int logPageId(int dw0) {
        return (dw0 >>> LOG_PAGE_SHIFT) & 0xFF;
    }

    /**
     * The completion DW0 a controller returns for an event.
     *
     * @throws IllegalArgumentException for {@link AsyncEventType#UNKNOWN}
     */
    public static int dw0(AsyncEventType type, int info, int logPageId) {
        if (type == AsyncEventType.UNKNOWN) {
            throw new IllegalArgumentException("UNKNOWN has no code to send");
        }
        return type.code() | (info & 0xFF) << INFO_SHIFT | (logPageId & 0xFF) << LOG_PAGE_SHIFT;
    }

    public int toDw0() {
        return type | info << INFO_SHIFT | logPageId << LOG_PAGE_SHIFT;
    }

    public AsyncEventType eventType() {
        return AsyncEventType.of(type);
    }

    public boolean isNamespaceAttributeChanged() {
        return type == AsyncEventType.NOTICE.code() && info == NOTICE_NAMESPACE_ATTRIBUTE_CHANGED;
    }

    public boolean isDiscoveryLogPageChange() {
        return type == AsyncEventType.NOTICE.code() && info == NOTICE_DISCOVERY_LOG_PAGE_CHANGE;
    }
}
