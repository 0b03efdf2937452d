package dev.nvmeof.target.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Where admin commands build the structures they return (Identify data, log pages); grows to the largest asked. */
final class ScratchBuffer {
    private ByteBuffer buffer = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);

    /** A zeroed buffer of at least {@code length} bytes, valid until the next call. */
    ByteBuffer zeroed(int length) {
        if (buffer.capacity() < length) {
            buffer = ByteBuffer.allocate(Integer.highestOneBit(length - 1) << 1).order(ByteOrder.LITTLE_ENDIAN);
        } else {
            java.util.Arrays.fill(buffer.array(), 0, length, (byte) 0);
        }
        buffer.clear();
        return buffer;
    }

    ByteBuffer buffer() {
        return buffer;
    }
}
