package dev.nvmeof.host.internal.ds;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.osgi.service.log.Logger;

import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.ControllerState;
import dev.nvmeof.api.NvmeController;
import dev.nvmeof.api.NvmeException;
import dev.nvmeof.host.internal.DefaultNvmeHost;
import dev.nvmeof.host.internal.HostThreads;
import dev.nvmeof.host.internal.HostController;
import dev.nvmeof.host.internal.HostListener;

/**
 * The controllers configurations ask for ({@link ControllerComponent}): each is connected as soon as a transport of
 * its name is there, retried every {@code reconnect_delay} while that fails, connected again after
 * {@code reconnect_delay} when it died on its own ({@code ctrl_loss_tmo}; hence a {@link HostListener}), and
 * disconnected when its configuration goes.
 *
 * <p><b>Threads.</b> Connect attempts run on one thread of their own ({@code nvme-host-connect}), one at a time, so
 * DS and ConfigAdmin threads never wait for a target. The declarations are guarded by this object's monitor.
 */
final class DeclaredControllers implements HostListener {
    private final DefaultNvmeHost host;
    private final TransportWhiteboard transports;
    private final Logger log;
    private final ScheduledExecutorService connector;
    /** Declared controllers by their component; guarded by this. */
    private final Map<ControllerComponent, Declared> declared = new LinkedHashMap<>();
    private volatile boolean closed;

    /** A controller a configuration asks for. Fields guarded by the monitor of {@link DeclaredControllers}. */
    private static final class Declared {
        final String pid;
        final ConnectOptions options;
        NvmeController controller;
        ScheduledFuture<?> retry;
        boolean withdrawn;

        Declared(String pid, ConnectOptions options) {
            this.pid = pid;
            this.options = options;
        }
    }

    DeclaredControllers(DefaultNvmeHost host, TransportWhiteboard transports, Logger log) {
        this.host = host;
        this.transports = transports;
        this.log = log;
        this.connector = Executors.newSingleThreadScheduledExecutor(HostThreads.named("nvme-host-connect"));
    }

    void declare(ControllerComponent owner, String pid, ConnectOptions options) {
        Declared d = new Declared(pid, options);
        synchronized (this) {
            declared.put(owner, d);
        }
        log.info("controller {} declared: {} {}:{} {}", pid, options.transport(), options.traddr(),
                options.trsvcid(), options.nqn());
        schedule(d, 0);
    }

    void withdraw(ControllerComponent owner) {
        NvmeController controller;
        Declared d;
        synchronized (this) {
            d = declared.remove(owner);
            if (d == null) {
                return;
            }
            d.withdrawn = true;
            if (d.retry != null) {
                d.retry.cancel(false);
            }
            controller = d.controller;
            d.controller = null;
        }
        if (controller != null) {
            HostComponent.disconnect(controller, log);
        }
        log.info("controller {} withdrawn", d.pid);
    }

    /** A transport of that name is (again) there: every declared controller on it not connected tries now. */
    void attemptAll(String transport) {
        List<Declared> waiting = new ArrayList<>();
        synchronized (this) {
            for (Declared d : declared.values()) {
                if (transport.equals(d.options.transport()) && d.controller == null) {
                    waiting.add(d);
                }
            }
        }
        for (Declared d : waiting) {
            schedule(d, 0);
        }
    }

    /**
     * The component is going: no attempt starts any more, none is retried, and the declarations are forgotten.
     * Connected controllers are left to the caller, which disconnects every controller of the host.
     */
    void close() {
        closed = true;
        synchronized (this) {
            for (Declared d : declared.values()) {
                d.withdrawn = true;
            }
            declared.clear();
        }
        connector.shutdownNow();
    }

    /** A declared controller that died on its own (ctrl_loss_tmo) is connected again after reconnect_delay. */
    @Override
    public void stateChanged(HostController controller, ControllerState from, ControllerState to) {
        if (to != ControllerState.DEAD) {
            return;
        }
        Declared again = null;
        synchronized (this) {
            for (Declared d : declared.values()) {
                if (d.controller == controller) {
                    d.controller = null;
                    again = d;
                }
            }
        }
        if (again != null) {
            schedule(again, Math.max(1, again.options.reconnectDelay()));
        }
    }

    private synchronized void schedule(Declared d, long delaySeconds) {
        if (closed || d.withdrawn) {
            return;
        }
        if (d.retry != null) {
            d.retry.cancel(false);
        }
        try {
            d.retry = connector.schedule(() -> attempt(d), delaySeconds, TimeUnit.SECONDS);
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    /** On the connector thread. */
    private void attempt(Declared d) {
        synchronized (this) {
            if (d.withdrawn || closed || d.controller != null) {
                return;
            }
            if (!transports.has(d.options.transport())) {
                log.info("controller {} waits for transport {}", d.pid, d.options.transport());
                return;
            }
        }
        NvmeController controller;
        try {
            controller = host.connect(d.options);
        } catch (NvmeException | RuntimeException e) {
            long delay = Math.max(1, d.options.reconnectDelay());
            log.warn("controller {}: connect to {} at {}:{} failed, retrying in {} s: {}", d.pid, d.options.nqn(),
                    d.options.traddr(), d.options.trsvcid(), delay, e.getMessage());
            schedule(d, delay);
            return;
        }
        boolean keep;
        synchronized (this) {
            keep = !d.withdrawn && !closed;
            if (keep) {
                d.controller = controller;
            }
        }
        if (keep) {
            log.info("controller {} connected as {} ({} namespace(s))", d.pid, controller.name(),
                    controller.namespaces().size());
        } else {
            HostComponent.disconnect(controller, log);
        }
    }
}
