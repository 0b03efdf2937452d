package dev.nvmeof.host.internal;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.ObjIntConsumer;

import dev.nvmeof.api.NvmeException;
import dev.nvmeof.api.NvmeStatusException;
import dev.nvmeof.api.NvmeTimeoutException;
import dev.nvmeof.api.NvmeTransportException;
import dev.nvmeof.protocol.NvmeStatus;
import dev.nvmeof.protocol.SubmissionQueueEntryFlyweight;
import dev.nvmeof.protocol.DataDirection;
import dev.nvmeof.spi.transport.TransportRequest;

/**
 * An admin (or Fabrics) command with a future: the connect sequence, keep-alive and shutdown use these. Allocated per
 * command, which is fine off the I/O path. The future completes with DW0 and DW1 as one long
 * ({@code dw1 << 32 | dw0}, what an 8-byte Property Get returns), exceptionally with an
 * {@link NvmeStatusException} for an error status and an {@link NvmeTimeoutException} naming {@link #step()} when
 * the deadline passed while the controller was not LIVE.
 */
final class AdminCommand implements Command {
    private final String step;
    private final ObjIntConsumer<SubmissionQueueEntryFlyweight> writer;
    private final ByteBuffer data;
    private final DataDirection direction;
    private final CompletableFuture<Long> result = new CompletableFuture<>();

    /**
     * @param step   what the command is, in the words of {@link NvmeTimeoutException} (e.g. {@code Identify})
     * @param writer writes the SQE given the CID
     * @param data   the data buffer (position..limit), or null
     */
    AdminCommand(String step, ObjIntConsumer<SubmissionQueueEntryFlyweight> writer, ByteBuffer data,
            DataDirection direction) {
        this.step = step;
        this.writer = writer;
        this.data = data;
        this.direction = data == null ? DataDirection.NONE : direction;
    }

    AdminCommand(String step, ObjIntConsumer<SubmissionQueueEntryFlyweight> writer) {
        this(step, writer, null, DataDirection.NONE);
    }

    String step() {
        return step;
    }

    CompletableFuture<Long> result() {
        return result;
    }

    @Override
    public void prepare(TransportRequest request, int cid) {
        writer.accept(request.sqe(), cid);
        request.data(data, direction);
    }

    @Override
    public void completed(int statusWord, int dw0, int dw1) {
        if (statusWord == 0) {
            result.complete((long) dw1 << 32 | (dw0 & 0xFFFF_FFFFL));
        } else {
            result.completeExceptionally(NvmeStatusException.of(step, NvmeStatus.of(statusWord),
                    NvmeStatusException.NO_CID));
        }
    }

    @Override
    public void timedOut(Duration timeout) {
        result.completeExceptionally(NvmeTimeoutException.of(step, timeout));
    }

    @Override
    public boolean requeueable() {
        return false;
    }

    /**
     * What a caller waiting on {@link #result()} sees when the wait ended in an exception: the command's own
     * {@link NvmeException}, or a transport error naming the step (an interrupt keeps the thread's flag set).
     */
    NvmeException failure(Exception waitFailure) {
        if (waitFailure instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return NvmeTransportException.of(step() + " interrupted", null, false, waitFailure);
        }
        Throwable cause = waitFailure instanceof ExecutionException ? waitFailure.getCause() : waitFailure;
        if (cause instanceof NvmeException nvme) {
            return nvme;
        }
        return NvmeTransportException.of(step() + " failed", null, true, cause);
    }
}
