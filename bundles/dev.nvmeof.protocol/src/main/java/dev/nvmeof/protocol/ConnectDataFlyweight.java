package dev.nvmeof.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * View of the 1024-byte data of a Connect command (NVMe over Fabrics 1.1, "Connect Command - Data").
 *
 * <pre>
 *  byte    0                    16        18                      256
 *        +--------------------+---------+-----------------------+
 *        | HOSTID (16)        | CNTLID  | reserved (238)        |
 *        +--------------------+---------+-----------------------+
 *    256 | SUBNQN (256, UTF-8, NUL-terminated and NUL-padded)   |
 *    512 | HOSTNQN (256)                                        |
 *    768 | reserved (256)                                       |
 *        +------------------------------------------------------+
 * </pre>
 *
 * HOSTID is the 128-bit host identifier in the byte order of its text form (the first hex pair of the UUID is byte 0),
 * as {@code nvme-cli} and the Linux host write it. CNTLID is FFFFh on the admin queue when the subsystem uses the
 * dynamic controller model, and the controller's ID (from the admin Connect response) on I/O queues.
 *
 * <p>Control plane: the String and UUID accessors allocate. The buffer must be little-endian.
 */
public final class ConnectDataFlyweight extends StructFlyweight<ConnectDataFlyweight> {

    public static final int LENGTH = 1024;
    public static final int HOSTID_OFFSET = 0;
    public static final int HOSTID_LENGTH = 16;
    public static final int CNTLID_OFFSET = 16;
    public static final int SUBNQN_OFFSET = 256;
    public static final int HOSTNQN_OFFSET = 512;
    public static final int NQN_FIELD_LENGTH = 256;
    /** The longest NQN the specification allows, in bytes of UTF-8. */
    public static final int NQN_MAX_LENGTH = 223;

    /** CNTLID asking the subsystem to allocate a controller (dynamic controller model). */
    public static final int CNTLID_DYNAMIC = 0xFFFF;

    /**
     * @return this
     * @throws IllegalArgumentException if the buffer is not little-endian or too short
     */
    public ConnectDataFlyweight wrap(ByteBuffer buffer, int offset) {
        return wrapAt(buffer, offset, LENGTH);
    }

    public ConnectDataFlyweight clear() {
        return zero(0, LENGTH);
    }

    /** Clears the 1024 bytes and writes every field. */
    public ConnectDataFlyweight set(UUID hostId, int cntlid, String subsystemNqn, String hostNqn) {
        return clear().hostId(hostId).cntlid(cntlid).subsystemNqn(subsystemNqn).hostNqn(hostNqn);
    }

    public UUID hostId() {
        // Big-endian in the byte stream, read from a little-endian buffer.
        long most = Long.reverseBytes(u64(HOSTID_OFFSET));
        long least = Long.reverseBytes(u64(HOSTID_OFFSET + 8));
        return new UUID(most, least);
    }

    public ConnectDataFlyweight hostId(UUID hostId) {
        return u64(HOSTID_OFFSET, Long.reverseBytes(hostId.getMostSignificantBits()))
                .u64(HOSTID_OFFSET + 8, Long.reverseBytes(hostId.getLeastSignificantBits()));
    }

    public int cntlid() {
        return u16(CNTLID_OFFSET);
    }

    public ConnectDataFlyweight cntlid(int cntlid) {
        return u16(CNTLID_OFFSET, cntlid);
    }

    public String subsystemNqn() {
        return readNqn(SUBNQN_OFFSET);
    }

    /**
     * @throws IllegalArgumentException if longer than {@value #NQN_MAX_LENGTH} bytes of UTF-8 or holding a NUL
     */
    public ConnectDataFlyweight subsystemNqn(String nqn) {
        writeNqn(SUBNQN_OFFSET, nqn);
        return this;
    }

    public String hostNqn() {
        return readNqn(HOSTNQN_OFFSET);
    }

    /**
     * @throws IllegalArgumentException if longer than {@value #NQN_MAX_LENGTH} bytes of UTF-8 or holding a NUL
     */
    public ConnectDataFlyweight hostNqn(String nqn) {
        writeNqn(HOSTNQN_OFFSET, nqn);
        return this;
    }

    private String readNqn(int field) {
        return utf8(field, NQN_FIELD_LENGTH);
    }

    private void writeNqn(int field, String nqn) {
        byte[] bytes = nqn.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > NQN_MAX_LENGTH || nqn.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("not an NQN of at most " + NQN_MAX_LENGTH + " bytes: " + nqn);
        }
        utf8(field, NQN_FIELD_LENGTH, nqn);
    }
}
