package dev.nvmeof.nic.emulated;

import dev.nvmeof.protocol.DataDirection;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One preallocated entry of a submission ring: the 64-byte SQE, and the host buffer with its direction and length
 * (the "PRP" of this hardware). The driver fills it, then rings the doorbell; the engine reads it once, sets the
 * SQE's SGL itself (in-capsule or transport data block), and from then on moves data straight between the socket and
 * the host buffer's bytes {@code [position, position + length)}.
 */
public final class SubmissionSlot {
    /** SQE size in bytes. */
    public static final int SQE_LENGTH = 64;

    private final ByteBuffer sqe = ByteBuffer.allocateDirect(SQE_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
    private ByteBuffer data;
    private DataDirection direction = DataDirection.NONE;
    private int length;

    /** The SQE storage (little-endian, 64 bytes): write the command here, e.g. with {@code NvmCommands}. */
    public ByteBuffer sqe() {
        return sqe;
    }

    /** No data for this command. */
    public SubmissionSlot noData() {
        this.data = null;
        this.direction = DataDirection.NONE;
        this.length = 0;
        return this;
    }

    /** Data of {@code length} bytes at the buffer's position, moved in {@code direction}. */
    public SubmissionSlot data(ByteBuffer buffer, DataDirection direction, int length) {
        if (direction == DataDirection.NONE || length <= 0 || buffer.remaining() < length) {
            throw new IllegalArgumentException("data needs a direction and 1.." + buffer.remaining()
                    + " bytes, was " + direction + "/" + length);
        }
        this.data = buffer;
        this.direction = direction;
        this.length = length;
        return this;
    }

    public ByteBuffer dataBuffer() {
        return data;
    }

    public DataDirection direction() {
        return direction;
    }

    public int length() {
        return length;
    }
}
