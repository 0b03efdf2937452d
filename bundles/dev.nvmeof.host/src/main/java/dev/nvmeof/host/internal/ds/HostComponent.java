package dev.nvmeof.host.internal.ds;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

import dev.nvmeof.api.BlockDevice;
import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.ControllerListener;
import dev.nvmeof.api.ControllerState;
import dev.nvmeof.api.HostIdentity;
import dev.nvmeof.api.NvmeController;
import dev.nvmeof.api.NvmeException;
import dev.nvmeof.api.NvmeHost;
import dev.nvmeof.api.NvmeNamespace;
import dev.nvmeof.host.internal.DefaultNvmeHost;
import dev.nvmeof.host.internal.HostController;
import dev.nvmeof.host.internal.HostListener;
import dev.nvmeof.host.internal.HostSettings;
import dev.nvmeof.spi.transport.Transport;

/**
 * The host core as a DS component: registers the {@link NvmeHost} service, tracks {@link Transport} services (the
 * whiteboard, by their {@code transport} property), publishes every namespace of every controller as a
 * {@link BlockDevice} service and withdraws it when the namespace goes away or its controller is DEAD, and connects
 * the controllers declared by {@link ControllerComponent}s. The host NQN and ID are persisted in the bundle's data
 * area ({@code identity/}), so they survive restarts as {@code /etc/nvme/hostnqn} does.
 *
 * <p><b>Transports.</b> Several services may carry one name; the first bound is used until it goes. When the one in
 * use is unbound, every controller on it is disconnected before the unbind returns (and its wrapper refuses new
 * associations at once), so the core never calls it again; declared controllers then wait for a transport of that
 * name and connect again on it.
 *
 * <p><b>Controller listeners.</b> Every {@link ControllerListener} service (the whiteboard) is added to the host while
 * it is registered, and hears state changes as {@link dev.nvmeof.api.NvmeHost#addListener} describes.
 *
 * <p><b>Threads.</b> Connect attempts of declared controllers run on one thread of this component
 * ({@code nvme-host-connect}), one at a time, so DS and ConfigAdmin threads never wait for a target.
 */
@Component(service = HostComponent.class, immediate = true)
public final class HostComponent {
    private final Logger log;
    private final BundleContext context;
    private final DefaultNvmeHost host;
    private final ServiceRegistration<NvmeHost> registration;
    private final ScheduledExecutorService connector;
    private final Map<NvmeNamespace, ServiceRegistration<BlockDevice>> devices = new ConcurrentHashMap<>();
    /** Bound transports by name, the one in use first; guarded by this. */
    private final Map<String, List<GuardedTransport>> transports = new LinkedHashMap<>();
    /** Declared controllers by their component; guarded by this. */
    private final Map<Object, Declared> declared = new LinkedHashMap<>();
    private volatile boolean closed;

    /** A controller a configuration asks for. Fields guarded by the component's monitor. */
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

    @Activate
    public HostComponent(BundleContext context, @Reference(service = LoggerFactory.class) Logger log) {
        this.context = context;
        this.log = log;
        HostIdentity identity = identity(context, log);
        this.host = new DefaultNvmeHost(identity, HostSettings.defaults(), true);
        host.addListener(new Publisher());
        this.connector = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "nvme-host-connect");
            thread.setDaemon(true);
            return thread;
        });
        registration = context.registerService(NvmeHost.class, host, transportProperties(List.of()));
        log.info("NVMe host {} (hostid {})", identity.hostnqn(), identity.hostid());
    }

    /** The NvmeHost service's properties: the transports a connect can use now. */
    private static Dictionary<String, Object> transportProperties(Collection<String> names) {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(NvmeHost.TRANSPORTS_PROPERTY, names.toArray(String[]::new));
        return properties;
    }

    private static HostIdentity identity(BundleContext context, Logger log) {
        File directory = context.getDataFile("identity");
        if (directory == null) {
            log.warn("no persistent storage for the host identity: a new one is used until the framework stops");
            return HostIdentity.generate();
        }
        try {
            return HostIdentity.loadOrCreate(directory.toPath());
        } catch (IOException e) {
            throw new IllegalStateException("cannot load or create the host identity in " + directory + ": "
                    + e.getMessage(), e);
        }
    }

    @Deactivate
    void deactivate() {
        closed = true;
        List<Declared> all;
        synchronized (this) {
            all = new ArrayList<>(declared.values());
            declared.clear();
            for (Declared d : all) {
                d.withdrawn = true;
            }
        }
        connector.shutdownNow();
        registration.unregister();
        for (NvmeController controller : host.controllers()) {
            disconnect(controller);
        }
        for (ServiceRegistration<BlockDevice> device : devices.values()) {
            unregister(device);
        }
        devices.clear();
        log.info("NVMe host stopped");
    }

    /** The host, for the other components of this bundle. */
    DefaultNvmeHost host() {
        return host;
    }

    // ---- transports (the whiteboard) ----

    @Reference(service = Transport.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindTransport(Transport transport) {
        String name = transport.name();
        boolean first;
        synchronized (this) {
            List<GuardedTransport> list = transports.computeIfAbsent(name, n -> new ArrayList<>());
            GuardedTransport guarded = new GuardedTransport(transport);
            list.add(guarded);
            first = list.size() == 1;
            if (first) {
                host.addTransport(guarded);
                registration.setProperties(transportProperties(transports.keySet()));
            }
        }
        log.info("transport {} available", name);
        if (first) {
            attemptAll(name);
        }
    }

    void unbindTransport(Transport transport) {
        String name = transport.name();
        GuardedTransport gone = null;
        GuardedTransport next = null;
        synchronized (this) {
            List<GuardedTransport> list = transports.getOrDefault(name, List.of());
            for (int i = 0; i < list.size(); i++) {
                if (list.get(i).delegate() == transport) {
                    gone = list.remove(i);
                    if (i == 0) {
                        host.removeTransport(gone);
                        next = list.isEmpty() ? null : list.get(0);
                        if (next != null) {
                            host.addTransport(next);
                        }
                    } else {
                        gone.close();
                        gone = null; // not in use: nothing ran on it
                    }
                    break;
                }
            }
            if (list.isEmpty()) {
                transports.remove(name);
                registration.setProperties(transportProperties(transports.keySet()));
            }
        }
        if (gone == null) {
            return;
        }
        gone.close();
        int deleted = 0;
        for (NvmeController controller : host.controllers()) {
            if (name.equals(controller.options().transport())) {
                disconnect(controller);
                deleted++;
            }
        }
        log.info("transport {} gone{}", name, deleted == 0 ? "" : ": " + deleted + " controller(s) disconnected");
        if (next != null) {
            attemptAll(name);
        }
    }

    // ---- controller listeners (the whiteboard) ----

    @Reference(service = ControllerListener.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC)
    void bindControllerListener(ControllerListener listener) {
        host.addListener(listener);
    }

    void unbindControllerListener(ControllerListener listener) {
        host.removeListener(listener);
    }

    // ---- declared controllers ----

    void declare(Object owner, String pid, ConnectOptions options) {
        Declared d = new Declared(pid, options);
        synchronized (this) {
            declared.put(owner, d);
        }
        log.info("controller {} declared: {} {}:{} {}", pid, options.transport(), options.traddr(),
                options.trsvcid(), options.nqn());
        schedule(d, 0);
    }

    void withdraw(Object owner) {
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
            disconnect(controller);
        }
        log.info("controller {} withdrawn", d.pid);
    }

    private void attemptAll(String transport) {
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

    private synchronized void schedule(Declared d, long delaySeconds) {
        if (closed || d.withdrawn) {
            return;
        }
        if (d.retry != null) {
            d.retry.cancel(false);
        }
        try {
            d.retry = connector.schedule(() -> attempt(d), delaySeconds, TimeUnit.SECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // deactivating
        }
    }

    /** On the connector thread. */
    private void attempt(Declared d) {
        synchronized (this) {
            if (d.withdrawn || closed || d.controller != null) {
                return;
            }
            if (!transports.containsKey(d.options.transport())) {
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
            disconnect(controller);
        }
    }

    /** A declared controller that died on its own (ctrl_loss_tmo) is connected again after reconnect_delay. */
    private void controllerDead(HostController controller) {
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

    private void disconnect(NvmeController controller) {
        try {
            controller.disconnect();
        } catch (NvmeException | RuntimeException e) {
            log.warn("{}: disconnect: {}", controller.name(), e.getMessage());
        }
    }

    private static void unregister(ServiceRegistration<?> registration) {
        try {
            registration.unregister();
        } catch (IllegalStateException e) {
            // already gone (the bundle is stopping)
        }
    }

    /** Publishes namespaces as BlockDevice services and logs state changes. */
    private final class Publisher implements HostListener {
        @Override
        public void stateChanged(HostController controller, ControllerState from, ControllerState to) {
            if (to == ControllerState.LIVE || to == ControllerState.DEAD) {
                log.info("{}: {} -> {}", controller.name(), from, to);
            } else {
                log.debug("{}: {} -> {}", controller.name(), from, to);
            }
            if (to == ControllerState.DEAD) {
                controllerDead(controller);
            }
        }

        @Override
        public void namespaceAdded(HostController controller, NvmeNamespace namespace) {
            if (closed) {
                return;
            }
            BlockDevice device = namespace.device();
            Hashtable<String, Object> properties = new Hashtable<>();
            properties.put(BlockDevice.NQN, controller.subsystemNqn());
            properties.put(BlockDevice.NSID, namespace.nsid());
            properties.put(BlockDevice.SIZE, device.sizeBytes());
            properties.put(BlockDevice.BLOCK_SIZE, namespace.blockSize());
            properties.put(BlockDevice.NAME, namespace.name());
            try {
                devices.put(namespace, context.registerService(BlockDevice.class, device, properties));
                log.info("{}: block device {} ({} x {} B) published", controller.name(), namespace.name(),
                        namespace.blocks(), namespace.blockSize());
            } catch (IllegalStateException e) {
                // the bundle is stopping
            }
        }

        @Override
        public void namespaceRemoved(HostController controller, NvmeNamespace namespace) {
            ServiceRegistration<BlockDevice> registration = devices.remove(namespace);
            if (registration != null) {
                unregister(registration);
                log.info("{}: block device {} withdrawn", controller.name(), namespace.name());
            }
        }
    }
}
