package dev.nvmeof.host.internal.ds;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.framework.ServiceRegistration;
import org.osgi.service.log.Logger;

import dev.nvmeof.api.NvmeController;
import dev.nvmeof.api.NvmeHost;
import dev.nvmeof.host.internal.DefaultNvmeHost;
import dev.nvmeof.spi.transport.Transport;

/**
 * The {@link Transport} services (a whiteboard, by their {@code transport} property) as the host uses them, and the
 * {@link NvmeHost#TRANSPORTS_PROPERTY} of the host's service, which names those a connect can use now.
 *
 * <p>Several services may carry one name; the first bound is used until it goes. When the one in use is unbound,
 * every controller on it is disconnected before the unbind returns (and its {@link GuardedTransport} refuses new
 * associations at once), so the core never calls it again.
 *
 * <p><b>Threads.</b> Bind and unbind come on DS threads; the bound services are guarded by this object's monitor.
 */
final class TransportWhiteboard {
    private final DefaultNvmeHost host;
    private final ServiceRegistration<NvmeHost> registration;
    private final Logger log;
    /** Bound transports by name, the one in use first; guarded by this. */
    private final Map<String, List<GuardedTransport>> transports = new LinkedHashMap<>();

    TransportWhiteboard(DefaultNvmeHost host, ServiceRegistration<NvmeHost> registration, Logger log) {
        this.host = host;
        this.registration = registration;
        this.log = log;
    }

    /** The host service's properties: the transports a connect can use now. */
    static Dictionary<String, Object> properties(Collection<String> names) {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(NvmeHost.TRANSPORTS_PROPERTY, names.toArray(String[]::new));
        return properties;
    }

    /** Whether a transport of that name is bound. */
    synchronized boolean has(String name) {
        return transports.containsKey(name);
    }

    /**
     * A transport service came.
     *
     * @return true if it is the first of its name, now in use: controllers waiting for it may connect
     */
    boolean bind(Transport transport) {
        String name = transport.name();
        boolean first;
        synchronized (this) {
            List<GuardedTransport> list = transports.computeIfAbsent(name, n -> new ArrayList<>());
            GuardedTransport guarded = new GuardedTransport(transport);
            list.add(guarded);
            first = list.size() == 1;
            if (first) {
                host.addTransport(guarded);
                registration.setProperties(properties(transports.keySet()));
            }
        }
        log.info("transport {} available", name);
        return first;
    }

    /**
     * A transport service went. If it was the one in use, the next of its name takes over and every controller on
     * that name is disconnected first.
     *
     * @return true if another service took over from the one in use: controllers of that name may connect again
     */
    boolean unbind(Transport transport) {
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
                registration.setProperties(properties(transports.keySet()));
            }
        }
        if (gone == null) {
            return false;
        }
        gone.close();
        int deleted = 0;
        for (NvmeController controller : host.controllers()) {
            if (name.equals(controller.options().transport())) {
                HostComponent.disconnect(controller, log);
                deleted++;
            }
        }
        log.info("transport {} gone{}", name, deleted == 0 ? "" : ": " + deleted + " controller(s) disconnected");
        return next != null;
    }
}
