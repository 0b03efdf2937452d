package dev.nvmeof.host.internal;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

import dev.nvmeof.api.BlockDevice;
import dev.nvmeof.api.IoRequest;
import dev.nvmeof.api.NvmeStatusException;
import dev.nvmeof.protocol.NvmCommands;

/**
 * The block device over one namespace. {@link #submit(IoRequest)} checks the request against the namespace (a
 * request that cannot be valid completes at once with Invalid Field in Command or LBA Out of Range, both DNR,
 * without touching the wire), splits one larger than {@link #maxTransferSize()} ({@link SplitIo}), and otherwise
 * hands it to the controller's queues without allocating. The {@code CompletableFuture} methods allocate a request
 * and a future per call.
 */
final class HostBlockDevice implements BlockDevice {
    /** Dataset Management's range length (NLB) is 32 bits. */
    private static final long MAX_DISCARD_BLOCKS = 0xFFFF_FFFFL;

    private final HostNamespace namespace;
    private final IoPath path;

    HostBlockDevice(HostNamespace namespace, IoPath path) {
        this.namespace = namespace;
        this.path = path;
    }

    @Override
    public String name() {
        return namespace.name();
    }

    @Override
    public long sizeBytes() {
        return namespace.blocks() * namespace.blockSize();
    }

    @Override
    public int blockSize() {
        return namespace.blockSize();
    }

    @Override
    public int maxTransferSize() {
        return (int) Math.min(path.maxTransferSize(), (long) NvmCommands.MAX_BLOCKS * namespace.blockSize());
    }

    String subsystemNqn() {
        return path.subsystemNqn();
    }

    @Override
    public void submit(IoRequest request) {
        IoRequest.Operation operation = request.operation();
        if (operation == null) {
            request.complete(IoCommands.INVALID_FIELD);
            return;
        }
        long blocks;
        long maxBlocks;
        switch (operation) {
            case READ, WRITE -> {
                ByteBuffer buffer = request.buffer();
                int blockSize = namespace.blockSize();
                if (buffer == null || !buffer.hasRemaining() || buffer.remaining() % blockSize != 0
                        || (operation == IoRequest.Operation.READ && buffer.isReadOnly())) {
                    request.complete(IoCommands.INVALID_FIELD);
                    return;
                }
                blocks = buffer.remaining() / blockSize;
                maxBlocks = Math.max(1, maxTransferSize() / blockSize);
            }
            case WRITE_ZEROES -> {
                blocks = request.blocks();
                maxBlocks = NvmCommands.MAX_BLOCKS;
            }
            case DISCARD -> {
                blocks = request.blocks();
                maxBlocks = MAX_DISCARD_BLOCKS;
            }
            default -> { // FLUSH
                path.submit(namespace.io(), request);
                return;
            }
        }
        if (blocks < 1) {
            request.complete(IoCommands.INVALID_FIELD);
            return;
        }
        long lba = request.lba();
        if (lba < 0 || lba >= namespace.blocks() || blocks > namespace.blocks() - lba) {
            request.complete(IoCommands.LBA_OUT_OF_RANGE);
            return;
        }
        if (blocks > maxBlocks) {
            SplitIo.submit(path, namespace, request, blocks, maxBlocks);
        } else {
            path.submit(namespace.io(), request);
        }
    }

    /** One {@link SubmitBatch}: each queue the requests land on writes them together when the batch ends. */
    @Override
    public void submit(IoRequest[] requests, int offset, int count) {
        Objects.checkFromIndexSize(offset, count, requests.length);
        SubmitBatch batch = SubmitBatch.open();
        try {
            for (int i = offset; i < offset + count; i++) {
                submit(requests[i]);
            }
        } finally {
            batch.close();
        }
    }

    @Override
    public int poll() {
        return path.poll();
    }

    @Override
    public CompletableFuture<Void> read(long lba, ByteBuffer destination) {
        return start(new IoRequest().read(lba, destination));
    }

    @Override
    public CompletableFuture<Void> write(long lba, ByteBuffer source, boolean fua) {
        return start(new IoRequest().write(lba, source, fua));
    }

    @Override
    public CompletableFuture<Void> flush() {
        return start(new IoRequest().flush());
    }

    @Override
    public CompletableFuture<Void> writeZeroes(long lba, long blocks, boolean deallocate) {
        return start(new IoRequest().writeZeroes(lba, blocks, deallocate));
    }

    @Override
    public CompletableFuture<Void> discard(long lba, long blocks) {
        return start(new IoRequest().discard(lba, blocks));
    }

    /**
     * The {@code CompletableFuture} conveniences: the future completes on the host's callback executor, so what the
     * caller chains to it runs there (and may block) instead of on an event loop or NIC thread.
     */
    private CompletableFuture<Void> start(IoRequest request) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        request.callback(done -> {
            NvmeStatusException failure = done.failure();
            try {
                path.callbacks().execute(() -> settle(future, failure));
            } catch (RejectedExecutionException e) {
                settle(future, failure); // the host is closing: complete here rather than never
            }
        });
        submit(request);
        return future;
    }

    private static void settle(CompletableFuture<Void> future, NvmeStatusException failure) {
        if (failure == null) {
            future.complete(null);
        } else {
            future.completeExceptionally(failure);
        }
    }

    @Override
    public String toString() {
        return namespace.toString();
    }
}
