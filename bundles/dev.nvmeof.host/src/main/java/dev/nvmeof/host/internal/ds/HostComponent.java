package dev.nvmeof.host.internal.ds;

import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.annotation.bundle.Capability;
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
import dev.nvmeof.api.HostIdentity;
import dev.nvmeof.api.NvmeController;
import dev.nvmeof.api.NvmeException;
import dev.nvmeof.api.NvmeHost;
import dev.nvmeof.host.internal.DefaultNvmeHost;
import dev.nvmeof.host.internal.HostSettings;
import dev.nvmeof.spi.transport.Transport;

/**
 * The host core as a DS component: its life cycle and its references. On activation it loads the host identity
 * ({@link HostIdentityFiles}), starts the host and registers the {@link NvmeHost} service; on deactivation it
 * disconnects every controller and withdraws what it published. Its parts:
 *
 * <ul>
 *   <li>{@link TransportWhiteboard}: the {@link Transport} services, and the names the host service advertises;</li>
 *   <li>{@link BlockDevicePublisher}: one {@link BlockDevice} service per namespace of every controller;</li>
 *   <li>{@link DeclaredControllers}: the controllers {@link ControllerComponent} configurations declare, connected
 *       when their transport is there (again).</li>
 * </ul>
 *
 * <p><b>Controller listeners.</b> Every {@link ControllerListener} service (the whiteboard) is added to the host while
 * it is registered, and hears state changes as {@link NvmeHost#addListener} describes.
 */
// Registered by hand, so the service capability is declared here for resolvers (bnd, Karaf).
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=dev.nvmeof.api.NvmeHost")
@Component(service = HostComponent.class, immediate = true)
public final class HostComponent {
    private final Logger log;
    private final DefaultNvmeHost host;
    private final BlockDevicePublisher devices;
    private final ServiceRegistration<NvmeHost> registration;
    private final TransportWhiteboard transports;
    private final DeclaredControllers declared;

    @Activate
    public HostComponent(BundleContext context, @Reference(service = LoggerFactory.class) Logger log) {
        this.log = log;
        HostIdentity identity = HostIdentityFiles.load(context, log);
        this.host = new DefaultNvmeHost(identity, HostSettings.defaults(), true);
        // Publishing first: a caller of the service registered below may connect at once.
        this.devices = new BlockDevicePublisher(context, log);
        host.addListener(devices);
        this.registration = context.registerService(NvmeHost.class, host, TransportWhiteboard.properties(List.of()));
        this.transports = new TransportWhiteboard(host, registration, log);
        this.declared = new DeclaredControllers(host, transports, log);
        host.addListener(declared);
        log.info("NVMe host {} (hostid {})", identity.hostnqn(), identity.hostid());
    }

    @Deactivate
    void deactivate() {
        devices.close();
        declared.close();
        registration.unregister();
        for (NvmeController controller : host.controllers()) {
            disconnect(controller, log);
        }
        devices.withdrawAll();
        log.info("NVMe host stopped");
    }

    @Reference(service = Transport.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindTransport(Transport transport) {
        if (transports.bind(transport)) {
            declared.attemptAll(transport.name());
        }
    }

    void unbindTransport(Transport transport) {
        if (transports.unbind(transport)) {
            declared.attemptAll(transport.name());
        }
    }

    @Reference(service = ControllerListener.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC)
    void bindControllerListener(ControllerListener listener) {
        host.addListener(listener);
    }

    void unbindControllerListener(ControllerListener listener) {
        host.removeListener(listener);
    }

    /** A configuration declares a controller (see {@link DeclaredControllers}). */
    void declare(ControllerComponent owner, String pid, ConnectOptions options) {
        declared.declare(owner, pid, options);
    }

    /** Its configuration went: the controller is disconnected. */
    void withdraw(ControllerComponent owner) {
        declared.withdraw(owner);
    }

    /** Disconnects a controller for the component (deactivation, a transport gone, a configuration gone). */
    static void disconnect(NvmeController controller, Logger log) {
        try {
            controller.disconnect();
        } catch (NvmeException | RuntimeException e) {
            log.warn("{}: disconnect: {}", controller.name(), e.getMessage());
        }
    }
}
