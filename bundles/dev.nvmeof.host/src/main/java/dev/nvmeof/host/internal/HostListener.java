package dev.nvmeof.host.internal;

import dev.nvmeof.api.ControllerState;
import dev.nvmeof.api.NvmeNamespace;

/**
 * What the core tells the layer above it (the DS components publishing {@code BlockDevice} services and logging):
 * controller state changes and namespaces coming and going. A namespace is announced once the controller is LIVE
 * after its first connect, or when an Asynchronous Event (or the rescan after a reconnect) finds it; it is withdrawn
 * when the target no longer lists it, when its size or block size changed (then announced again), and when the
 * controller is DEAD (disconnect or {@code ctrl_loss_tmo}).
 *
 * <p>Namespace events of one controller are delivered one at a time, in order, on the thread that connects, the
 * controller's work thread or the disconnecting thread; they must not block for long and must not throw.
 * {@link #stateChanged} comes on the thread that made the change, possibly out of order with another thread's
 * change (see {@link ControllerStateMachine}).
 */
public interface HostListener {
    default void stateChanged(HostController controller, ControllerState from, ControllerState to) {
    }

    default void namespaceAdded(HostController controller, NvmeNamespace namespace) {
    }

    default void namespaceRemoved(HostController controller, NvmeNamespace namespace) {
    }

    HostListener NONE = new HostListener() {
    };
}
