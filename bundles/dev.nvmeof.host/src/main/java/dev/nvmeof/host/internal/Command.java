package dev.nvmeof.host.internal;

import java.nio.ByteBuffer;
import java.time.Duration;

import dev.nvmeof.api.IoRequest;
import dev.nvmeof.spi.transport.TransportRequest;

/**
 * A command the core builds itself rather than a caller's {@link IoRequest}: admin commands (with a future), the
 * Asynchronous Event Request and the pieces of a split I/O. {@link HostQueue} gives it a tag, lets it write its SQE
 * and data, and tells it once how it ended. Callbacks run on a transport or work-loop thread and must not block.
 *
 * <p>A command is its own request: it travels without an {@code IoRequest} (null), so the {@link RequestOwner}
 * methods drop that argument and call the ones below.
 */
sealed interface Command extends RequestOwner permits AdminCommand, AsyncEventCommand, SplitIo.Piece {

    /** Writes the SQE with CID {@code cid} into {@code request} and names its data. */
    void prepare(TransportRequest request, int cid);

    /** The command ended: {@code statusWord} 0 for success, else the NVMe (or host) status; DW0 and DW1 of the CQE. */
    void completed(int statusWord, int dw0, int dw1);

    /** The command missed its deadline on a controller that was not LIVE (ARCHITECTURE: Host Aborted, 0x371). */
    void timedOut(Duration timeout);

    /** No caller's request: an admin command goes to the admin queue (a split piece says otherwise). */
    @Override
    default IoRequest ioRequest(IoRequest none) {
        return null;
    }

    @Override
    default void prepare(IoRequest none, TransportRequest request, int cid, ByteBuffer dsmRange) {
        prepare(request, cid);
    }

    @Override
    default void complete(IoRequest none, int statusWord, int dw0, int dw1) {
        completed(statusWord, dw0, dw1);
    }

    @Override
    default void timedOut(IoRequest none, Duration timeout) {
        timedOut(timeout);
    }
}
