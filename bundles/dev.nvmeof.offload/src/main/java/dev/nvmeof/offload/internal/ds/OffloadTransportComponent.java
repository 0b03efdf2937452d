package dev.nvmeof.offload.internal.ds;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
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

import dev.nvmeof.offload.internal.OffloadTransport;
import dev.nvmeof.spi.offload.OffloadDriver;
import dev.nvmeof.spi.offload.OffloadInspector;
import dev.nvmeof.offload.internal.Inspector;
import dev.nvmeof.spi.transport.Transport;

/**
 * The ULP as a DS component: registers the {@link OffloadTransport} as the {@link Transport} service
 * {@code transport=tcp_offload} (and its {@link OffloadInspector} beside it) and tracks every {@link OffloadDriver} service (the whiteboard), with its
 * {@code service.ranking} and {@code service.id} for the claim ranking. An unbind returns only after the driver's
 * queues were drained and destroyed, so once its service is gone the ULP never calls it again (the Linux contract).
 */
// Registered by hand, so the service capability is declared here for resolvers (bnd, Karaf).
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=dev.nvmeof.spi.transport.Transport")
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=dev.nvmeof.spi.offload.OffloadInspector")
@Component(service = {}, immediate = true)
public final class OffloadTransportComponent {
    private final OffloadTransport transport = new OffloadTransport();
    private final BundleContext context;
    private final Logger log;
    private ServiceRegistration<Transport> registration;
    private ServiceRegistration<OffloadInspector> inspector;

    @Activate
    public OffloadTransportComponent(BundleContext context, @Reference(service = LoggerFactory.class) Logger log) {
        this.context = context;
        this.log = log;
    }

    /** After the drivers present now were bound: the first connect already sees them. */
    @Activate
    void activate() {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(Transport.NAME_PROPERTY, OffloadTransport.NAME);
        properties.put(Constants.SERVICE_DESCRIPTION, "NVMe/TCP offload ULP over OffloadDriver devices");
        registration = context.registerService(Transport.class, transport, properties);
        inspector = context.registerService(OffloadInspector.class, new Inspector(transport), properties);
        log.info("transport {} registered with {} offload driver(s)", OffloadTransport.NAME, transport.drivers());
    }

    /** Unregisters first (the host disconnects its controllers on it), then closes what is left. */
    @Deactivate
    void deactivate() {
        inspector.unregister();
        registration.unregister();
        transport.closeAll();
        log.info("transport {} unregistered", OffloadTransport.NAME);
    }

    @Reference(service = OffloadDriver.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindDriver(OffloadDriver driver, Map<String, Object> properties) {
        int ranking = properties.get(Constants.SERVICE_RANKING) instanceof Integer r ? r : 0;
        long id = ((Number) properties.get(Constants.SERVICE_ID)).longValue();
        transport.addDriver(driver, ranking, id);
        log.info("offload driver {} added (service.id {}, service.ranking {})", deviceName(driver), id, ranking);
    }

    /** Returns once the driver's controllers were quiesced: the last calls it gets from the ULP. */
    void unbindDriver(OffloadDriver driver, Map<String, Object> properties) {
        transport.removeDriver(driver);
        log.info("offload driver with service.id {} removed; its queues are drained",
                properties.get(Constants.SERVICE_ID));
    }

    private static String deviceName(OffloadDriver driver) {
        try {
            return driver.deviceName();
        } catch (RuntimeException e) {
            return "?";
        }
    }
}
