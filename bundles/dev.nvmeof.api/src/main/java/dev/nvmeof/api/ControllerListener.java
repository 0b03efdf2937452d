package dev.nvmeof.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Told of every state change of every controller of a host, with the cause of each change into
 * {@link ControllerState#RESETTING} (error recovery started) or {@link ControllerState#DEAD} (the host gave up, or the
 * first connect failed). Add one with {@link NvmeHost#addListener}; in OSGi, register it as a service and the host
 * calls it (the whiteboard pattern; services coming and going are picked up at run time).
 *
 * <p><b>Delivery.</b> Events are delivered on a thread of the host, never on the thread that made the change (so a
 * listener never runs on, or blocks, the I/O path), one event at a time, and for each controller in the order the
 * changes happened: {@code from} of an event is {@code to} of that controller's previous one. A listener hears every
 * event delivered after it was added (so possibly a change made just before) until it is removed. A DEAD
 * event comes after the host has forgotten the controller ({@link NvmeHost#controllers()} no longer lists it) and
 * withdrawn its namespaces.
 *
 * <p><b>Contract.</b> Return quickly: a slow listener delays the events of every controller of the host (never
 * I/O). An exception thrown by a listener is logged and otherwise ignored; the other listeners and the host carry
 * on.
 *
 * @since 1.2
 */
@ConsumerType
@FunctionalInterface
public interface ControllerListener {

    /** A controller changed state; see {@link ControllerEvent}. */
    void stateChanged(ControllerEvent event);
}
