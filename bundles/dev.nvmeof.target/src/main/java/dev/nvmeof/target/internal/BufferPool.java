package dev.nvmeof.target.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;

/**
 * Direct buffers for R2T data, shared by the connections of one event loop and confined to it. Sizes are powers of
 * two from {@link #MIN} to {@link #MAX}; a connection holds at most {@link R2tTransfers#MAX} at a time (one
 * per R2T transfer running), so the pool grows with the writes in flight and keeps at most {@link #KEEP_PER_SIZE} idle
 * buffers of each size: enough for four queues writing at full depth on one loop without allocating per write.
 */
final class BufferPool {
    static final int MIN = 4096;
    static final int MAX = Connection.MAXH2CDATA;
    static final int KEEP_PER_SIZE = 4 * R2tTransfers.MAX;

    @SuppressWarnings("unchecked")
    private final ArrayDeque<ByteBuffer>[] idle = new ArrayDeque[sizeClass(MAX) + 1];

    BufferPool() {
        for (int i = 0; i < idle.length; i++) {
            idle[i] = new ArrayDeque<>(KEEP_PER_SIZE);
        }
    }

    /** A little-endian buffer of at least {@code length} bytes (at most {@link #MAX}), cleared. */
    ByteBuffer take(int length) {
        if (length > MAX) {
            throw new IllegalArgumentException(length + " bytes is more than a transfer holds (" + MAX + ")");
        }
        int sizeClass = sizeClass(length);
        ByteBuffer buffer = idle[sizeClass].poll();
        if (buffer == null) {
            buffer = ByteBuffer.allocateDirect(MIN << sizeClass).order(ByteOrder.LITTLE_ENDIAN);
        }
        return buffer.clear();
    }

    void give(ByteBuffer buffer) {
        ArrayDeque<ByteBuffer> free = idle[sizeClass(buffer.capacity())];
        if (free.size() < KEEP_PER_SIZE) {
            free.add(buffer);
        }
    }

    int idleBuffers() {
        int n = 0;
        for (ArrayDeque<ByteBuffer> free : idle) {
            n += free.size();
        }
        return n;
    }

    private static int sizeClass(int length) {
        int size = Math.max(MIN, length);
        return 32 - Integer.numberOfLeadingZeros(size - 1) - Integer.numberOfTrailingZeros(MIN);
    }
}
