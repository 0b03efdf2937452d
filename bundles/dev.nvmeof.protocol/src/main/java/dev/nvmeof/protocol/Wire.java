package dev.nvmeof.protocol;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Checks shared by the flyweights and the static descriptor writers of this package. Every NVMe structure is
 * little-endian, and the flyweights use the buffer's own absolute accessors, so the caller's buffer must already be in
 * little-endian order: this package never changes the order of a buffer it does not own.
 */
final class Wire {

    private Wire() {
    }

    /**
     * Checks that {@code buffer} is little-endian and holds {@code length} bytes from {@code offset}.
     *
     * @throws IllegalArgumentException if it is big-endian or too short
     */
    static void check(ByteBuffer buffer, int offset, int length) {
        if (buffer.order() != ByteOrder.LITTLE_ENDIAN) {
            throw new IllegalArgumentException("NVMe structures need a LITTLE_ENDIAN buffer");
        }
        if (offset < 0 || offset > buffer.capacity() - length) {
            throw new IllegalArgumentException(
                    "need " + length + " bytes at offset " + offset + ", capacity is " + buffer.capacity());
        }
    }

    /** Zeroes {@code length} bytes from {@code offset}, eight at a time where it can. */
    static void zero(ByteBuffer buffer, int offset, int length) {
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES) {
            buffer.putLong(offset + i, 0L);
        }
        for (; i < length; i++) {
            buffer.put(offset + i, (byte) 0);
        }
    }
}
