package dev.nvmeof.host.internal;

import dev.nvmeof.api.IoRequest;

/** Where a block device sends its requests: its controller's I/O queues. */
interface IoPath {

    /**
     * Sends (or, while the controller is not LIVE, holds) a request. Never throws for a request the device
     * validated: every request is completed, reissued after recovery, or failed with a host status.
     *
     * @param owner the namespace's {@link NamespaceIo}, or a {@link Command} (a piece of a split request)
     * @param io    the caller's request beside a {@code NamespaceIo}; null for a command
     */
    void submit(RequestOwner owner, IoRequest io);

    /** Reaps the calling thread's poll queue; 0 when there is none ({@link dev.nvmeof.api.BlockDevice#poll()}). */
    int poll();

    /** The most bytes one command moves now (MDTS and the transport's limit). */
    int maxTransferSize();

    /** The subsystem NQN, for the device's properties. */
    String subsystemNqn();

    /**
     * Where the device's {@code CompletableFuture}s complete: a host thread, never the I/O thread that saw the
     * completion, so code chained to them may block (on another I/O of the same queue, say) without stopping the
     * completions it waits for.
     */
    java.util.concurrent.Executor callbacks();
}
