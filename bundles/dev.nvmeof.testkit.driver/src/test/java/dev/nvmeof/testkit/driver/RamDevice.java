package dev.nvmeof.testkit.driver;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongUnaryOperator;

import dev.nvmeof.api.BlockDevice;
import dev.nvmeof.api.IoRequest;

/** 1 MiB of 512-byte blocks; {@code writeTo} may move a write, {@code drop} may swallow one. */
final class RamDevice implements BlockDevice {
    final ByteBuffer blocks = ByteBuffer.allocate(1 << 20);
    volatile LongUnaryOperator writeTo = lba -> lba;
    volatile long dropAt = -1;
    /** Writes to {@link #dropAt} to store before one is lost. */
    volatile int dropAfter;
    volatile long failAt = -1;

    @Override
    public String name() {
        return "ram0n1";
    }

    @Override
    public long sizeBytes() {
        return blocks.capacity();
    }

    @Override
    public int blockSize() {
        return 512;
    }

    @Override
    public int maxTransferSize() {
        return 128 << 10;
    }

    @Override
    public void submit(IoRequest request) {
        throw new UnsupportedOperationException();
    }

    @Override
    public synchronized CompletableFuture<Void> read(long lba, ByteBuffer destination) {
        destination.duplicate().put(blocks.slice((int) lba * 512, destination.remaining()));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletableFuture<Void> write(long lba, ByteBuffer source, boolean fua) {
        if (lba == failAt) {
            failAt = -1;
            return CompletableFuture.failedFuture(new java.io.IOException("injected"));
        }
        if (lba == dropAt && dropAfter-- == 0) {
            dropAt = -1; // acknowledged, never stored
        } else {
            blocks.put((int) writeTo.applyAsLong(lba) * 512, source.duplicate(), 0, source.remaining());
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> flush() {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> writeZeroes(long lba, long count, boolean deallocate) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> discard(long lba, long count) {
        return CompletableFuture.completedFuture(null);
    }
}
