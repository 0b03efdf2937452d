package dev.nvmeof.target.internal;

import java.nio.ByteBuffer;

import dev.nvmeof.target.NamespaceConfig;

/** Off-heap, volatile storage in 64 MiB chunks (a ByteBuffer holds at most 2 GiB). */
final class RamNamespace extends Namespace {
    private static final int CHUNK_SHIFT = 26;
    private static final int CHUNK = 1 << CHUNK_SHIFT;

    private final ByteBuffer[] chunks;

    RamNamespace(NamespaceConfig config) {
        super(config);
        long size = config.sizeBytes();
        int count = (int) ((size + CHUNK - 1) >>> CHUNK_SHIFT);
        chunks = new ByteBuffer[count];
        for (int i = 0; i < count; i++) {
            chunks[i] = ByteBuffer.allocateDirect((int) Math.min(CHUNK, size - ((long) i << CHUNK_SHIFT)));
        }
    }

    @Override
    void read(long offset, ByteBuffer dst, int dstIndex, int length) {
        while (length > 0) {
            ByteBuffer chunk = chunks[(int) (offset >>> CHUNK_SHIFT)];
            int at = (int) (offset & (CHUNK - 1));
            int n = Math.min(length, chunk.capacity() - at);
            dst.put(dstIndex, chunk, at, n);
            offset += n;
            dstIndex += n;
            length -= n;
        }
    }

    @Override
    boolean lends(long offset, int length) {
        return (offset >>> CHUNK_SHIFT) == ((offset + length - 1) >>> CHUNK_SHIFT);
    }

    @Override
    LentViews.Lent lend(long offset, int length, LentViews views) {
        return views.take(chunks[(int) (offset >>> CHUNK_SHIFT)], (int) (offset & (CHUNK - 1)), length);
    }

    @Override
    void write(long offset, ByteBuffer src, int srcIndex, int length) {
        while (length > 0) {
            ByteBuffer chunk = chunks[(int) (offset >>> CHUNK_SHIFT)];
            int at = (int) (offset & (CHUNK - 1));
            int n = Math.min(length, chunk.capacity() - at);
            chunk.put(at, src, srcIndex, n);
            offset += n;
            srcIndex += n;
            length -= n;
        }
    }

    @Override
    void zero(long offset, long length) {
        while (length > 0) {
            ByteBuffer chunk = chunks[(int) (offset >>> CHUNK_SHIFT)];
            int at = (int) (offset & (CHUNK - 1));
            int n = (int) Math.min(length, chunk.capacity() - at);
            int end = at + n;
            int i = at;
            for (; i + Long.BYTES <= end; i += Long.BYTES) {
                chunk.putLong(i, 0L);
            }
            for (; i < end; i++) {
                chunk.put(i, (byte) 0);
            }
            offset += n;
            length -= n;
        }
    }

    /** Memory is freed by nothing short of closing: deallocated blocks are zeroed, so they read as zeroes. */
    @Override
    void deallocate(long offset, long length) {
        zero(offset, length);
    }

    @Override
    boolean deallocatedReadsZeroes() {
        return true;
    }

    @Override
    boolean flush() {
        return false;
    }

    @Override
    boolean forcesToStorage() {
        return false;
    }

    @Override
    public void close() {
        // Off-heap memory goes with the buffers; nothing to release explicitly.
    }
}
