package dev.nvmeof.api;

import java.nio.ByteBuffer;

import org.osgi.annotation.versioning.ProviderType;

import dev.nvmeof.protocol.NvmeStatus;

/**
 * A caller-owned, reusable block I/O request for {@link BlockDevice#submit}: set the operation, submit, get the
 * callback, reuse. Nothing is allocated on the success path.
 *
 * <p>A request marked {@link #polled(boolean) polled} goes to a poll queue ({@code nr_poll_queues}) and completes
 * only when its submitting thread calls {@link BlockDevice#poll()} (io_uring's {@code IORING_SETUP_IOPOLL}).
 */
@ProviderType
public final class IoRequest {

    /** The operations a block device serves. */
    public enum Operation { READ, WRITE, FLUSH, WRITE_ZEROES, DISCARD }

    /** Called once per submission when the request completed ({@link #succeeded()}) or failed ({@link #failure()}). */
    @FunctionalInterface
    public interface Callback {
        void completed(IoRequest request);
    }

    private Operation operation;
    private long lba;
    private long blocks;
    private ByteBuffer buffer;
    private boolean fua;
    private boolean deallocate;
    private boolean polled;
    private Callback callback;
    private Object attachment;
    private int status;

    public IoRequest read(long startLba, ByteBuffer destination) {
        return set(Operation.READ, startLba, 0, destination);
    }

    public IoRequest write(long startLba, ByteBuffer source, boolean forceUnitAccess) {
        set(Operation.WRITE, startLba, 0, source);
        this.fua = forceUnitAccess;
        return this;
    }

    public IoRequest flush() {
        return set(Operation.FLUSH, 0, 0, null);
    }

    public IoRequest writeZeroes(long startLba, long count, boolean deallocateBlocks) {
        set(Operation.WRITE_ZEROES, startLba, count, null);
        this.deallocate = deallocateBlocks;
        return this;
    }

    public IoRequest discard(long startLba, long count) {
        return set(Operation.DISCARD, startLba, count, null);
    }

    private IoRequest set(Operation op, long startLba, long count, ByteBuffer data) {
        this.operation = op;
        this.lba = startLba;
        this.blocks = count;
        this.buffer = data;
        this.fua = false;
        this.deallocate = false;
        this.status = 0;
        return this;
    }

    public IoRequest callback(Callback value) {
        this.callback = value;
        return this;
    }

    /**
     * Marks the request for a poll queue: when the controller has poll queues ({@code nr_poll_queues}), it goes to
     * the submitting thread's poll queue and its callback runs only inside a {@link BlockDevice#poll()} by that
     * thread; without poll queues it is ordinary I/O. Kept across reuse, like the callback: the operation setters
     * leave it alone.
     *
     * @since 1.1
     */
    public IoRequest polled(boolean value) {
        this.polled = value;
        return this;
    }

    /** Whether the request is for a poll queue ({@link #polled(boolean)}). */
    public boolean polled() {
        return polled;
    }

    public IoRequest attachment(Object value) {
        this.attachment = value;
        return this;
    }

    public Operation operation() {
        return operation;
    }

    public long lba() {
        return lba;
    }

    /** Blocks for Write Zeroes and Discard; for Read and Write the buffer's remaining bytes say the length. */
    public long blocks() {
        return blocks;
    }

    public ByteBuffer buffer() {
        return buffer;
    }

    public boolean fua() {
        return fua;
    }

    public boolean deallocate() {
        return deallocate;
    }

    public Callback callback() {
        return callback;
    }

    public Object attachment() {
        return attachment;
    }

    /**
     * Completes the request (called by the host): {@code statusWord} 0 for success, else the NVMe status word
     * (bits 15:1, with SCT 3 / SC 0x70 or 0x71 for the host's own path errors). Runs the callback.
     */
    public void complete(int statusWord) {
        this.status = statusWord & 0xFFFE;
        Callback cb = callback;
        if (cb != null) {
            cb.completed(this);
        }
    }

    public boolean succeeded() {
        return status == 0;
    }

    /** The status word (bits 15:1); 0 on success. */
    public int status() {
        return status;
    }

    /** The failure as an exception (allocated on demand), or null when the request succeeded. */
    public NvmeStatusException failure() {
        return status == 0 ? null
                : NvmeStatusException.of(operation.name(), NvmeStatus.of(status), NvmeStatusException.NO_CID);
    }
}
