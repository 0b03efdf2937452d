package dev.nvmeof.api;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Block I/O on a namespace. Published as an OSGi service per namespace with the properties {@link #NQN},
 * {@link #NSID}, {@link #SIZE}, {@link #BLOCK_SIZE} and {@link #NAME}.
 *
 * <p>Two ways in: {@link #submit(IoRequest)} with caller-owned, reusable requests for hot loops (nothing is allocated
 * per I/O), and the {@code CompletableFuture} conveniences on top of it. A request the host accepted is never lost:
 * it completes, is reissued after error recovery, or fails with a precise status (Host Path Error 0x370 when the path
 * is gone, Host Aborted 0x371 when aborted while not live).
 *
 * <p><b>Queues.</b> Reads go to the controller's read queues when it has any ({@code nr_write_queues} given), else
 * to its default queues, like every other command; requests marked {@link IoRequest#polled(boolean) polled} go to a
 * poll queue when it has any ({@code nr_poll_queues}). Within each kind the submitting thread picks the queue, so one
 * thread's requests stay on one queue.
 */
@ProviderType
public interface BlockDevice {
    String NQN = "nvme.nqn";
    String NSID = "nvme.nsid";
    String SIZE = "nvme.size";
    String BLOCK_SIZE = "nvme.block.size";
    String NAME = "nvme.name";

    /** {@code nvme0n1}. */
    String name();

    long sizeBytes();

    int blockSize();

    /** The most bytes one command moves (MDTS and the transport's limit); larger requests are split. */
    int maxTransferSize();

    /**
     * Starts a request; its callback runs once, on a host or transport thread, when it completed or failed. The
     * request and its buffer belong to the host until then.
     */
    void submit(IoRequest request);

    /**
     * Submits {@code count} requests from {@code requests[offset]} as one batch (io_uring's submit of several
     * entries, Linux's {@code blk_plug}): each as {@link #submit(IoRequest)} would, but a queue sends the batch's
     * commands together when the batch is in, one write instead of one per request. Each request completes on its
     * own; the array is not kept.
     *
     * @throws IndexOutOfBoundsException if the range is outside the array (nothing submitted)
     */
    default void submit(IoRequest[] requests, int offset, int count) {
        Objects.checkFromIndexSize(offset, count, requests.length);
        for (int i = offset; i < offset + count; i++) {
            submit(requests[i]);
        }
    }

    /**
     * Reaps the completions of the calling thread's poll queue now (Linux {@code poll_queue}, io_uring
     * {@code IORING_SETUP_IOPOLL}): the callbacks of polled requests run here, on the calling thread. A polled
     * request completes only when someone polls its queue, so a thread that submits polled requests must call this
     * until they have completed (it does not block). Polled requests still time out like any other (30 s); one that
     * is never polled starts error recovery and is then reissued. After a reconnect the thread's poll queue is a new
     * one, still found by this call.
     *
     * <p>Returns 0 at once when the controller has no poll queue, or is not connected. Transports that cannot poll
     * (the software {@code tcp} transport) serve poll queues from their own threads: polled requests complete by
     * themselves there, and this returns 0.
     *
     * @return how many commands completed (a request split into several commands counts each)
     * @since 1.1
     */
    default int poll() {
        return 0; // a device without poll queues: polled requests are ordinary I/O there
    }

    /** Reads {@code destination.remaining()} bytes (a multiple of the block size) from {@code lba}. */
    CompletableFuture<Void> read(long lba, ByteBuffer destination);

    /** Writes {@code source.remaining()} bytes at {@code lba}; with {@code fua} durable before completion. */
    CompletableFuture<Void> write(long lba, ByteBuffer source, boolean fua);

    CompletableFuture<Void> flush();

    CompletableFuture<Void> writeZeroes(long lba, long blocks, boolean deallocate);

    /** Deallocates (Dataset Management); the blocks read back as zeroes on targets that say so (DLFEAT). */
    CompletableFuture<Void> discard(long lba, long blocks);
}
