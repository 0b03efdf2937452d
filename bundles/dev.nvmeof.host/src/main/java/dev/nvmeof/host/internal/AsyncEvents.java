package dev.nvmeof.host.internal;

import dev.nvmeof.protocol.log.Log;
import dev.nvmeof.api.ControllerState;
import dev.nvmeof.protocol.AsyncEvent;

/**
 * The Asynchronous Event Request a LIVE controller keeps outstanding on a reserved, untimed tag of the admin queue
 * ({@link ConnectSequence#ASYNC_EVENT_TAG_INDEX}): sent by every new association and again after each completion
 * while that association is in use and LIVE. A Namespace Attribute Changed notice asks the {@link NamespaceSet} for
 * a rescan; other notices are logged and ignored.
 */
final class AsyncEvents {
    private static final System.Logger LOG = Log.get("dev.nvmeof.host");

    private final HostController controller;
    private final ControllerAssociation association;
    private final NamespaceSet namespaces;

    AsyncEvents(HostController controller, ControllerAssociation association, NamespaceSet namespaces) {
        this.controller = controller;
        this.association = association;
        this.namespaces = namespaces;
    }

    /** Sends the request on {@code c}'s admin queue unless one is outstanding there already. */
    void arm(ConnectSequence.Connected c) {
        try {
            c.admin().submitReserved(ConnectSequence.ASYNC_EVENT_TAG_INDEX, new AsyncEventCommand(c, this::completed),
                    false);
        } catch (IllegalStateException e) {
            // still outstanding: nothing to do
        }
    }

    /** On a transport thread: note what the event asks for, send the next request; the work loop does the rest. */
    private void completed(AsyncEventCommand command, int statusWord, int dw0) {
        if (statusWord != 0) {
            return; // torn down (Host Aborted) or refused: the next association sends a new one
        }
        if (AsyncEvent.of(dw0).isNamespaceAttributeChanged()) {
            namespaces.rescanRequested();
            controller.wake();
        } else {
            LOG.log(System.Logger.Level.DEBUG, "{0}: asynchronous event 0x{1} ignored", controller.name(),
                    Integer.toHexString(dw0));
        }
        ConnectSequence.Connected c = association.current();
        if (c == command.association() && controller.state() == ControllerState.LIVE) {
            arm(c);
        }
    }
}
