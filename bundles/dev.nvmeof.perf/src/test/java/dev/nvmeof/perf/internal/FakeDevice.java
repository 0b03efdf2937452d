package dev.nvmeof.perf.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

import dev.nvmeof.api.BlockDevice;
import dev.nvmeof.api.IoRequest;

/**
 * An in-memory block device that completes on its own thread, as a transport does, allocating nothing per I/O:
 * submitters claim a slot of a ring, the completer serves slots in order. Reads of {@link #failLba} fail with
 * Unrecovered Read Error; reads of {@link #corruptLba} return one wrong byte.
 */
final class FakeDevice implements BlockDevice, AutoCloseable {
    static final int UNRECOVERED_READ_ERROR = 2 << 9 | 0x81 << 1;

    final AtomicLong served = new AtomicLong();
    volatile long failLba = -1;
    volatile long corruptLba = -1;
    private final ByteBuffer data;
    private final int blockSize;
    private final AtomicReferenceArray<IoRequest> ring = new AtomicReferenceArray<>(1 << 14);
    private final AtomicLong tail = new AtomicLong();
    private final Thread completer;
    private volatile boolean sleeping;
    private volatile boolean closed;

    FakeDevice(int bytes, int blockSize) {
        this.data = ByteBuffer.allocateDirect(bytes);
        this.blockSize = blockSize;
        this.completer = new Thread(this::complete, "fake-device");
        completer.setDaemon(true);
        completer.start();
    }

    @Override
    public void submit(IoRequest request) {
        int index = (int) (tail.getAndIncrement() & (ring.length() - 1));
        while (!ring.compareAndSet(index, null, request)) {
            Thread.onSpinWait(); // full: never with the few requests a test keeps in flight
        }
        if (sleeping) {
            LockSupport.unpark(completer);
        }
    }

    private void complete() {
        long head = 0;
        while (!closed) {
            int index = (int) (head & (ring.length() - 1));
            IoRequest request = ring.get(index);
            if (request == null) {
                sleeping = true;
                if (ring.get(index) == null) {
                    LockSupport.parkNanos(1_000_000);
                }
                sleeping = false;
                continue;
            }
            ring.set(index, null);
            head++;
            served.incrementAndGet();
            request.complete(serve(request));
        }
    }

    private int serve(IoRequest r) {
        ByteBuffer buffer = r.buffer();
        int offset = (int) (r.lba() * blockSize);
        if (r.operation() == IoRequest.Operation.WRITE) {
            data.put(offset, buffer, buffer.position(), buffer.remaining());
            return 0;
        }
        if (r.lba() == failLba) {
            return UNRECOVERED_READ_ERROR;
        }
        buffer.put(buffer.position(), data, offset, buffer.remaining());
        if (r.lba() == corruptLba) {
            buffer.put(buffer.position() + 100, (byte) ~buffer.get(buffer.position() + 100));
        }
        return 0;
    }

    /** The thread completions run on. */
    long completerId() {
        return completer.getId();
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        completer.join(5_000);
    }

    @Override
    public String name() {
        return "fake0n1";
    }

    @Override
    public long sizeBytes() {
        return data.capacity();
    }

    @Override
    public int blockSize() {
        return blockSize;
    }

    @Override
    public int maxTransferSize() {
        return 128 << 10;
    }

    @Override
    public CompletableFuture<Void> read(long lba, ByteBuffer destination) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<Void> write(long lba, ByteBuffer source, boolean fua) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<Void> flush() {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<Void> writeZeroes(long lba, long blocks, boolean deallocate) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<Void> discard(long lba, long blocks) {
        throw new UnsupportedOperationException();
    }
}
