package dev.nvmeof.benchmarks.cpu;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

import dev.nvmeof.api.BlockDevice;
import dev.nvmeof.api.IoRequest;

/**
 * A block device that completes every request inside {@code submit}, successfully, without touching its buffer: run
 * under {@link PacedReads} at the same rate it measures what the load itself costs (sleeping, waking, reaping), the
 * part of the host figure that is the same for every transport.
 */
final class NullDevice implements BlockDevice {
    private final long size;

    NullDevice(long size) {
        this.size = size;
    }

    @Override
    public String name() {
        return "null";
    }

    @Override
    public long sizeBytes() {
        return size;
    }

    @Override
    public int blockSize() {
        return Rig.BLOCK;
    }

    @Override
    public int maxTransferSize() {
        return 128 * 1024;
    }

    @Override
    public void submit(IoRequest request) {
        request.complete(0);
    }

    @Override
    public CompletableFuture<Void> read(long lba, ByteBuffer destination) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> write(long lba, ByteBuffer source, boolean fua) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> flush() {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> writeZeroes(long lba, long blocks, boolean deallocate) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> discard(long lba, long blocks) {
        return CompletableFuture.completedFuture(null);
    }
}
