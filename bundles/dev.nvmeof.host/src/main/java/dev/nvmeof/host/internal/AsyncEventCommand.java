package dev.nvmeof.host.internal;

import java.time.Duration;

import dev.nvmeof.protocol.AdminCommands;
import dev.nvmeof.protocol.DataDirection;
import dev.nvmeof.spi.transport.TransportRequest;

/**
 * The Asynchronous Event Request the admin queue keeps outstanding on its reserved tag
 * ({@link ConnectSequence#ASYNC_EVENT_TAG_INDEX}), untimed: it completes only when the controller has an event, or
 * with Host Aborted when the queue is torn down. {@link AsyncEvents} decides whether to send another.
 */
final class AsyncEventCommand implements Command {
    /** Told how the request ended, on a transport thread; must not block. */
    @FunctionalInterface
    interface Handler {
        void completed(AsyncEventCommand command, int statusWord, int dw0);
    }

    private final ConnectSequence.Connected association;
    private final Handler handler;

    AsyncEventCommand(ConnectSequence.Connected association, Handler handler) {
        this.association = association;
        this.handler = handler;
    }

    /** The association whose admin queue it was sent on. */
    ConnectSequence.Connected association() {
        return association;
    }

    @Override
    public void prepare(TransportRequest request, int cid) {
        AdminCommands.asyncEventRequest(request.sqe(), cid);
        request.data(null, DataDirection.NONE);
    }

    @Override
    public void completed(int statusWord, int dw0, int dw1) {
        handler.completed(this, statusWord, dw0);
    }

    @Override
    public void timedOut(Duration timeout) {
        // never armed
    }

    @Override
    public boolean requeueable() {
        return false; // a new association gets a new one
    }
}
