package dev.nvmeof.host.internal;

import java.time.Duration;

import dev.nvmeof.spi.transport.TransportRequest;

/**
 * A command the core builds itself rather than a caller's {@link dev.nvmeof.api.IoRequest}: admin commands (with a
 * future) and the pieces of a split I/O. {@link HostQueue} gives it a tag, lets it write its SQE and data, and tells
 * it once how it ended. Callbacks run on a transport or work-loop thread and must not block.
 */
interface Command {

    /** Writes the SQE with CID {@code cid} into {@code request} and names its data. */
    void prepare(TransportRequest request, int cid);

    /** The command ended: {@code statusWord} 0 for success, else the NVMe (or host) status; DW0 and DW1 of the CQE. */
    void completed(int statusWord, int dw0, int dw1);

    /** The command missed its deadline on a controller that was not LIVE (ARCHITECTURE: Host Aborted, 0x371). */
    void timedOut(Duration timeout);

    /** Whether error recovery puts this command back to be reissued (I/O) rather than failing it (admin). */
    boolean requeueable();
}
