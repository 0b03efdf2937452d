package dev.nvmeof.host.internal;

import dev.nvmeof.protocol.log.Log;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.ControllerListener;
import dev.nvmeof.api.ControllerState;
import dev.nvmeof.api.HostIdentity;
import dev.nvmeof.api.InvalidOptionException;
import dev.nvmeof.api.NvmeController;
import dev.nvmeof.api.NvmeException;
import dev.nvmeof.api.NvmeHost;
import dev.nvmeof.api.NvmeNamespace;
import dev.nvmeof.protocol.DiscoveryLogEntry;
import dev.nvmeof.spi.transport.Transport;

/**
 * The host in plain Java: transports registered by name, controllers named {@code nvme0}, {@code nvme1}, ... (the
 * lowest free number, as Linux's IDA), duplicate connects refused unless {@code duplicate_connect}. With
 * {@code workers} each controller gets a {@link ControllerWorker}; without, the caller drives
 * {@link HostController#doWork(long)} (tests). Discovery and connect-all as nvme-cli does them ({@link Discovery}).
 */
public final class DefaultNvmeHost implements NvmeHost {
    private static final System.Logger LOG = Log.get("dev.nvmeof.host");
    private static final Duration WORK_TICK = Duration.ofMillis(100);

    private final HostIdentity identity;
    private final HostSettings settings;
    private final boolean workers;
    private final Map<String, Transport> transports = new ConcurrentHashMap<>();
    private final Map<String, HostController> controllers = new ConcurrentHashMap<>();
    private final Map<HostController, ControllerWorker> running = new ConcurrentHashMap<>();
    private final List<HostListener> listeners = new CopyOnWriteArrayList<>();
    private final ControllerEvents events = new ControllerEvents();
    /** Hands every controller's events to the listeners added here. */
    private final HostListener fanOut = new HostListener() {
        @Override
        public void stateChanged(HostController controller, ControllerState from, ControllerState to) {
            for (HostListener listener : listeners) {
                listener.stateChanged(controller, from, to);
            }
        }

        @Override
        public void namespaceAdded(HostController controller, NvmeNamespace namespace) {
            for (HostListener listener : listeners) {
                listener.namespaceAdded(controller, namespace);
            }
        }

        @Override
        public void namespaceRemoved(HostController controller, NvmeNamespace namespace) {
            for (HostListener listener : listeners) {
                listener.namespaceRemoved(controller, namespace);
            }
        }
    };

    /**
     * Where the block devices' futures complete: threads made as needed (a chained callback may block) and gone
     * after 10 s idle, so an idle host keeps none.
     */
    private final ThreadPoolExecutor callbacks = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 10, TimeUnit.SECONDS,
            new SynchronousQueue<>(), HostThreads.named("nvme-callback"));

    public DefaultNvmeHost(HostIdentity identity, HostSettings settings, boolean workers) {
        this.identity = Objects.requireNonNull(identity, "identity");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.workers = workers;
    }

    public void addTransport(Transport transport) {
        transports.put(transport.name(), transport);
    }

    public void removeTransport(Transport transport) {
        transports.remove(transport.name(), transport);
    }

    /** Hears of every controller's state changes and namespaces from now on. */
    public void addListener(HostListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeListener(HostListener listener) {
        listeners.remove(listener);
    }

    @Override
    public void addListener(ControllerListener listener) {
        events.add(listener);
    }

    @Override
    public void removeListener(ControllerListener listener) {
        events.remove(listener);
    }

    @Override
    public NvmeController connect(ConnectOptions given) throws NvmeException {
        if (given.transport() == null) {
            throw InvalidOptionException.missing("transport");
        }
        Transport transport = transports.get(given.transport());
        if (transport == null) {
            throw InvalidOptionException.invalidValue("transport", given.transport(), "no such transport");
        }
        transport.optionPolicy().check(given);
        ConnectOptions options = given.withDefaultHost(identity);
        HostController controller;
        synchronized (controllers) {
            if (!options.duplicateConnect()) {
                for (HostController existing : controllers.values()) {
                    if (sameTarget(existing.options(), options)) {
                        throw InvalidOptionException.of("duplicate_connect", "already connected as "
                                + existing.name() + " (" + options.nqn() + " at " + options.traddr() + ":"
                                + options.trsvcid() + "); give duplicate_connect for another controller");
                    }
                }
            }
            controller = new HostController(nextName(), options, transport, transports::get, settings,
                    this::forget);
            controller.listener(fanOut);
            controller.events(events);
            if (workers) {
                controller.callbacks(callbacks);
            }
            controllers.put(controller.name(), controller);
        }
        if (workers) {
            running.put(controller, new ControllerWorker(controller, WORK_TICK));
        }
        controller.connect();
        return controller;
    }

    private static boolean sameTarget(ConnectOptions a, ConnectOptions b) {
        return Objects.equals(a.transport(), b.transport()) && Objects.equals(a.traddr(), b.traddr())
                && a.trsvcid() == b.trsvcid() && Objects.equals(a.nqn(), b.nqn())
                && Objects.equals(a.hostnqn(), b.hostnqn());
    }

    /** Holding the controllers' monitor. */
    private String nextName() {
        for (int n = 0;; n++) {
            if (!controllers.containsKey("nvme" + n)) {
                return "nvme" + n;
            }
        }
    }

    private void forget(HostController controller) {
        controllers.remove(controller.name(), controller);
        ControllerWorker worker = running.remove(controller);
        if (worker != null) {
            worker.stop();
        }
    }

    /**
     * {@code nvme discover}: connects a discovery controller with {@code options} (the discovery NQN, or made a
     * discovery controller; {@code trsvcid} 8009 unless given), reads its whole Discovery Log Page and disconnects.
     */
    @Override
    public List<DiscoveryLogEntry> discover(ConnectOptions options) throws NvmeException {
        HostController controller = (HostController) connect(Discovery.discoveryOptions(options));
        try {
            return Discovery.readLog(controller);
        } finally {
            controller.disconnect();
        }
    }

    /**
     * {@code nvme connect-all}: discovers, then connects every NVM subsystem entry reached over TCP that this host is
     * not connected to yet, with the discovery options' transport, host identity, timeouts and digests. An entry that
     * fails to connect is skipped (logged); only when every one failed is the first failure thrown.
     *
     * @return the controllers connected now, in the log's order
     */
    @Override
    public List<NvmeController> connectAll(ConnectOptions discovery) throws NvmeException {
        List<NvmeController> connected = new ArrayList<>();
        NvmeException first = null;
        for (DiscoveryLogEntry entry : discover(discovery)) {
            if (!Discovery.connectable(entry)) {
                continue;
            }
            try {
                ConnectOptions options = Discovery.entryOptions(discovery, entry);
                if (isConnected(options.withDefaultHost(identity))) {
                    continue;
                }
                connected.add(connect(options));
            } catch (NvmeException e) {
                LOG.log(System.Logger.Level.WARNING, "connect-all: {0} at {1}:{2} not connected: {3}",
                        entry.subnqn(), entry.traddr(), entry.trsvcid(), e.getMessage());
                if (first == null) {
                    first = e;
                }
            }
        }
        if (connected.isEmpty() && first != null) {
            throw first;
        }
        return connected;
    }

    private boolean isConnected(ConnectOptions options) {
        for (HostController existing : controllers.values()) {
            if (sameTarget(existing.options(), options)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public List<NvmeController> controllers() {
        List<NvmeController> list = new ArrayList<>(controllers.values());
        list.sort((a, b) -> Integer.compare(number(a.name()), number(b.name())));
        return list;
    }

    private static int number(String name) {
        return Integer.parseInt(name.substring(4));
    }

    @Override
    public Optional<NvmeController> controller(String name) {
        return Optional.ofNullable(controllers.get(name));
    }

    /** The controller by name, for the core's own callers (and tests driving its work loop). */
    public Optional<HostController> hostController(String name) {
        return Optional.ofNullable(controllers.get(name));
    }

    @Override
    public HostIdentity identity() {
        return identity;
    }
}
