package dev.nvmeof.host.internal;

import dev.nvmeof.protocol.log.Log;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.nvmeof.api.ControllerEvent;
import dev.nvmeof.api.ControllerListener;

/**
 * Delivers a host's {@link ControllerEvent}s to its {@link ControllerListener}s on one thread of its own
 * ({@code nvme-host-events}), so the thread making a change (possibly a transport's I/O thread) only queues it, and
 * one thread in FIFO order keeps each controller's events in the order the state machines handed them on. The
 * thread ends when idle and comes back with the next event, so an unclosed host leaves no thread behind.
 */
final class ControllerEvents implements Consumer<ControllerEvent> {
    private static final System.Logger LOG = Log.get("dev.nvmeof.host");

    private final CopyOnWriteArrayList<ControllerListener> listeners = new CopyOnWriteArrayList<>();
    private final ThreadPoolExecutor executor;

    ControllerEvents() {
        executor = new ThreadPoolExecutor(1, 1, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                HostThreads.named("nvme-host-events"));
        executor.allowCoreThreadTimeOut(true);
    }

    void add(ControllerListener listener) {
        listeners.addIfAbsent(Objects.requireNonNull(listener, "listener"));
    }

    void remove(ControllerListener listener) {
        listeners.remove(listener);
    }

    /** Queues {@code event}; never blocks. */
    @Override
    public void accept(ControllerEvent event) {
        executor.execute(() -> deliver(event));
    }

    private void deliver(ControllerEvent event) {
        for (ControllerListener listener : listeners) {
            try {
                listener.stateChanged(event);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) { // a listener's bug must not cost the others their events
                LOG.log(System.Logger.Level.WARNING, "controller listener " + listener + " failed on " + event, e);
            }
        }
    }
}
