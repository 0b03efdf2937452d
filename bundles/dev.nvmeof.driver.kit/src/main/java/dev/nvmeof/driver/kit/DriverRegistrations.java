package dev.nvmeof.driver.kit;

import java.util.ArrayList;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

import dev.nvmeof.nic.emulated.NicFunction;
import dev.nvmeof.spi.offload.OffloadDriver;

/**
 * The {@link OffloadDriver} services of one vendor bundle: one per probed {@link NicFunction}, registered through
 * the bundle's context while the function is there, with the service properties {@value #VENDOR_PROPERTY},
 * {@value #DEVICE_PROPERTY} and {@value #SERIAL_PROPERTY}. A vendor's component calls {@link #add} and
 * {@link #remove} from its bind and unbind methods and {@link #close} when it deactivates, and hears what happened
 * through {@code log}. Thread-safe; services are registered and unregistered outside any lock, since their events run
 * other bundles' code synchronously.
 */
public final class DriverRegistrations implements AutoCloseable {
    public static final String VENDOR_PROPERTY = "offload.vendor";
    public static final String DEVICE_PROPERTY = "offload.device";
    public static final String SERIAL_PROPERTY = "nic.serial";

    private final BundleContext context;
    private final VendorProfile profile;
    private final Consumer<String> log;
    private final Map<NicFunction, ServiceRegistration<OffloadDriver>> registered = new LinkedHashMap<>();
    private boolean closed;

    /** @param log where the devices coming and going are told, e.g. the component's logger's {@code info} */
    public DriverRegistrations(BundleContext context, VendorProfile profile, Consumer<String> log) {
        this.context = context;
        this.profile = profile;
        this.log = log;
    }

    /**
     * Registers the driver of {@code nic}.
     *
     * @return the driver, or null when this function already has one or the registrations are closed
     * @throws IllegalArgumentException when the function's PCI ids are not the profile's
     */
    public NicOffloadDriver add(NicFunction nic) {
        NicOffloadDriver driver = new NicOffloadDriver(profile, nic);
        synchronized (this) {
            if (closed || registered.containsKey(nic)) {
                return null;
            }
            registered.put(nic, null); // taken: a concurrent add of the same function backs off
        }
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(VENDOR_PROPERTY, profile.vendor());
        properties.put(DEVICE_PROPERTY, driver.deviceName());
        properties.put(SERIAL_PROPERTY, nic.capabilities().serial());
        ServiceRegistration<OffloadDriver> registration = context.registerService(OffloadDriver.class, driver,
                properties);
        boolean keep;
        synchronized (this) {
            keep = !closed && registered.containsKey(nic);
            if (keep) {
                registered.put(nic, registration);
            }
        }
        if (!keep) {
            // removed or closed while we registered
            unregister(registration);
            return null;
        }
        log.accept("offload device " + driver.deviceName() + " on NIC " + nic.capabilities().serial() + " ("
                + driver.limits() + ")");
        return driver;
    }

    /** Unregisters the driver of {@code nic}; false when it had none. */
    public boolean remove(NicFunction nic) {
        ServiceRegistration<OffloadDriver> registration;
        synchronized (this) {
            if (!registered.containsKey(nic)) {
                return false;
            }
            registration = registered.remove(nic);
        }
        unregister(registration);
        log.accept("offload device on NIC " + nic.capabilities().serial() + " gone");
        return true;
    }

    /** How many drivers are registered now. */
    public synchronized int size() {
        return (int) registered.values().stream().filter(r -> r != null).count();
    }

    /** Unregisters every driver; later adds register nothing. */
    @Override
    public void close() {
        List<ServiceRegistration<OffloadDriver>> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(registered.values());
            registered.clear();
        }
        for (ServiceRegistration<OffloadDriver> registration : all) {
            unregister(registration);
        }
        log.accept(profile.vendor() + " driver stopped");
    }

    private static void unregister(ServiceRegistration<OffloadDriver> registration) {
        if (registration == null) {
            return; // still being registered: add() sees it gone and unregisters it
        }
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the framework unregisters a stopping bundle's services itself
        }
    }
}
