package dev.nvmeof.nic.emulated.internal.ds;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.annotation.bundle.Capability;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import dev.nvmeof.nic.emulated.NicCapabilities;
import dev.nvmeof.nic.emulated.NicFunction;
import dev.nvmeof.nic.emulated.internal.ds.NicFunctionConfig.Assignment;

/**
 * One emulated NIC function per factory configuration {@code dev.nvmeof.nic.emulated.function}: started with its
 * capabilities and ports, its addresses set (like {@code ip addr add 127.0.0.2/24 dev p1p1}), then registered as a
 * {@link NicFunction} service whose {@code nic.vendor.id}, {@code nic.device.id} and {@code nic.serial} are what
 * drivers probe by (like PCI ids). Closed when the configuration goes. A bad configuration fails the activation
 * with a message naming the property (SCR logs it).
 */
// Registered by hand, so the service capability is declared here for resolvers (bnd, Karaf).
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=dev.nvmeof.nic.emulated.NicFunction")
@Component(service = {}, immediate = true, configurationPid = NicFunctionComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = NicFunctionComponent.Config.class, factory = true)
public final class NicFunctionComponent {
    public static final String PID = "dev.nvmeof.nic.emulated.function";

    /** Service properties: what a driver binds by, and the rest for information. */
    public static final String VENDOR_ID = "nic.vendor.id";
    public static final String DEVICE_ID = "nic.device.id";
    public static final String SERIAL = "nic.serial";
    public static final String LINK_SPEED_MBPS = "nic.link.speed.mbps";
    public static final String HARDWARE_VECTORS = "nic.hardware.vectors";
    public static final String MAX_IO_SIZE = "nic.max.io.size";
    public static final String MAX_SEGMENTS = "nic.max.segments";
    public static final String POLLING = "nic.polling";
    public static final String PORTS = "nic.ports";

    @ObjectClassDefinition(name = "Emulated offload NIC function",
            description = "One NIC function with its net device ports and offload engine")
    public @interface Config {
        @AttributeDefinition(name = "vendor.id", description = "PCI vendor id (0..0xFFFF); drivers probe by it")
        int vendor_id();

        @AttributeDefinition(name = "device.id", description = "PCI device id (0..0xFFFF); drivers probe by it")
        int device_id();

        @AttributeDefinition(description = "serial number, unique per function")
        String serial();

        @AttributeDefinition(name = "link.speed.mbps", description = "link speed of every port, Mbit/s",
                required = false)
        long link_speed_mbps() default NicFunctionConfig.DEFAULT_LINK_SPEED_MBPS;

        @AttributeDefinition(name = "hardware.vectors", description = "queue pairs at once (num_hw_vectors)",
                required = false)
        int hardware_vectors() default NicFunctionConfig.DEFAULT_HARDWARE_VECTORS;

        @AttributeDefinition(name = "max.io.size", description = "largest transfer of one command, bytes (>= 4096)",
                required = false)
        int max_io_size() default NicFunctionConfig.DEFAULT_MAX_IO_SIZE;

        @AttributeDefinition(name = "max.segments", description = "most data segments of one command",
                required = false)
        int max_segments() default NicFunctionConfig.DEFAULT_MAX_SEGMENTS;

        @AttributeDefinition(description = "queue pairs may run polled, without completion notification",
                required = false)
        boolean polling() default NicFunctionConfig.DEFAULT_POLLING;

        @AttributeDefinition(description = "PCI slot: the ports are p<slot>p1..p<slot>pN", required = false)
        int slot() default NicFunctionConfig.DEFAULT_SLOT;

        @AttributeDefinition(description = "number of ports", required = false)
        int ports() default NicFunctionConfig.DEFAULT_PORTS;

        @AttributeDefinition(type = AttributeType.STRING, cardinality = 100, required = false,
                description = "port addresses, each 'PORT ADDRESS/PREFIX' as ip addr add: 'p1p1 127.0.0.2/24'")
        String[] addresses() default {};
    }

    private final NicFunction function;
    private final ServiceRegistration<NicFunction> registration;
    private final Logger log;

    @Activate
    public NicFunctionComponent(BundleContext context, Map<String, Object> properties,
            @Reference(service = LoggerFactory.class) Logger log) {
        this.log = log;
        NicFunctionConfig config = NicFunctionConfig.parse(properties);
        NicCapabilities capabilities = config.capabilities();
        NicFunction started = NicFunction.start(capabilities, config.slot(), config.ports());
        try {
            for (Assignment assignment : config.addresses()) {
                try {
                    started.netDevice().addAddress(assignment.port(), assignment.cidr());
                } catch (IllegalArgumentException refused) {
                    throw new IllegalArgumentException(NicFunctionConfig.ADDRESSES + " '" + assignment + "': "
                            + refused.getMessage(), refused);
                }
            }
            this.registration = context.registerService(NicFunction.class, started, serviceProperties(config));
        } catch (RuntimeException failed) {
            started.close();
            throw failed;
        }
        this.function = started;
        log.info("NIC function {} ({}:{}) started: {} port(s) {}", capabilities.serial(),
                hex(capabilities.vendorId()), hex(capabilities.deviceId()), config.ports(), config.addresses());
    }

    /** Unregistered first, so its drivers let go of it, then the engine stops. */
    @Deactivate
    void deactivate() {
        registration.unregister();
        function.close();
        log.info("NIC function {} stopped", function.capabilities().serial());
    }

    static Dictionary<String, Object> serviceProperties(NicFunctionConfig config) {
        NicCapabilities c = config.capabilities();
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(VENDOR_ID, c.vendorId());
        properties.put(DEVICE_ID, c.deviceId());
        properties.put(SERIAL, c.serial());
        properties.put(LINK_SPEED_MBPS, c.linkSpeedMbps());
        properties.put(HARDWARE_VECTORS, c.hardwareVectors());
        properties.put(MAX_IO_SIZE, c.maxIoSize());
        properties.put(MAX_SEGMENTS, c.maxSegments());
        properties.put(POLLING, c.polling());
        properties.put(PORTS, config.portNames());
        return properties;
    }

    private static String hex(int id) {
        return String.format("0x%04x", id);
    }
}
