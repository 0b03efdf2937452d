package dev.nvmeof.host.internal;

import dev.nvmeof.api.IoRequest;

/**
 * A request no queue holds: taken off a torn-down queue, timed out while not LIVE, or held by {@link Recovery} until
 * the controller is LIVE again. {@code io} is the caller's request for caller I/O, null for a {@link Command};
 * {@code submitter} is the id of the thread that submitted it, so a reissue from another thread picks the same queue
 * (a polled request's completion must reach the thread that polls for it). Off the I/O path: allocated freely.
 */
record PendingRequest(RequestOwner owner, IoRequest io, long submitter) {

    /** Whether recovery puts it back to be reissued rather than failing it. */
    boolean requeueable() {
        return owner.requeueable();
    }

    /** Ends it with a host status ({@link IoCommands#HOST_ABORTED}, {@link IoCommands#HOST_PATH_ERROR}). */
    void fail(int statusWord) {
        RequestOwner.finish(owner, io, statusWord, 0, 0);
    }
}
