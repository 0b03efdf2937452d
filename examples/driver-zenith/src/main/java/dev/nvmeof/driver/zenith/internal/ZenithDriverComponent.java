package dev.nvmeof.driver.zenith.internal;

import java.util.ArrayList;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

import dev.nvmeof.nic.emulated.NicFunction;
import dev.nvmeof.spi.offload.OffloadDriver;

/**
 * The Zenith driver's probe, like a PCI driver's id table: binds every {@link NicFunction} service with Zenith's ids
 * (vendor {@code 0x5a17}, device {@code 0x0300}) and registers one {@link OffloadDriver} service per function while it
 * is there, with {@value #VENDOR_PROPERTY}, {@value #DEVICE_PROPERTY} and {@value #SERIAL_PROPERTY}. The ULP finds
 * drivers by their service (a whiteboard); a function going away, or this bundle stopping, takes its driver away.
 *
 * <p>Services are registered and unregistered outside the lock: their events run the ULP's code synchronously.
 */
@Component(service = {}, immediate = true)
public final class ZenithDriverComponent {
    static final int VENDOR_ID = 0x5A17;
    static final int DEVICE_ID = 0x0300;
    /** The NIC function service properties of its PCI ids (the emulated NIC's, as its README states them). */
    static final String NIC_VENDOR_ID = "nic.vendor.id";
    static final String NIC_DEVICE_ID = "nic.device.id";
    static final String PROBE = "(&(" + NIC_VENDOR_ID + "=" + VENDOR_ID + ")(" + NIC_DEVICE_ID + "=" + DEVICE_ID + "))";
    /** The driver service's properties, as our other drivers have them. */
    static final String VENDOR_PROPERTY = "offload.vendor";
    static final String DEVICE_PROPERTY = "offload.device";
    static final String SERIAL_PROPERTY = "nic.serial";

    private final BundleContext context;
    private final Logger log;
    /** Per function its registration; null while it is being registered. */
    private final Map<NicFunction, ServiceRegistration<OffloadDriver>> devices = new LinkedHashMap<>();
    private boolean deactivated;

    @Activate
    public ZenithDriverComponent(BundleContext context, @Reference(service = LoggerFactory.class) Logger log) {
        this.context = context;
        this.log = log;
    }

    @Reference(service = NicFunction.class, target = PROBE, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindNic(NicFunction nic) {
        synchronized (this) {
            if (deactivated || devices.containsKey(nic)) {
                return;
            }
            devices.put(nic, null);
        }
        ZenithDriver driver = new ZenithDriver(nic);
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(VENDOR_PROPERTY, "zenith");
        properties.put(DEVICE_PROPERTY, driver.deviceName());
        properties.put(SERIAL_PROPERTY, nic.capabilities().serial());
        ServiceRegistration<OffloadDriver> registration = context.registerService(OffloadDriver.class, driver,
                properties);
        boolean keep;
        synchronized (this) {
            keep = !deactivated && devices.containsKey(nic);
            if (keep) {
                devices.put(nic, registration);
            }
        }
        if (keep) {
            log.info("offload device {} on NIC {} ({})", driver.deviceName(), nic.capabilities().serial(),
                    driver.limits());
        } else {
            unregister(registration); // the function left, or we stopped, while we registered
        }
    }

    void unbindNic(NicFunction nic) {
        ServiceRegistration<OffloadDriver> registration;
        synchronized (this) {
            if (!devices.containsKey(nic)) {
                return;
            }
            registration = devices.remove(nic);
        }
        unregister(registration);
        log.info("offload device on NIC {} gone", nic.capabilities().serial());
    }

    @Deactivate
    void deactivate() {
        List<ServiceRegistration<OffloadDriver>> all;
        synchronized (this) {
            deactivated = true;
            all = new ArrayList<>(devices.values());
            devices.clear();
        }
        all.forEach(ZenithDriverComponent::unregister);
        log.info("zenith driver stopped");
    }

    private static void unregister(ServiceRegistration<OffloadDriver> registration) {
        if (registration == null) {
            return; // still being registered: bindNic sees the function gone and unregisters it
        }
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the framework unregisters a stopping bundle's services itself
        }
    }
}
