package dev.nvmeof.host.internal.ds;

import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.log.Logger;

import dev.nvmeof.api.BlockDevice;
import dev.nvmeof.api.ControllerState;
import dev.nvmeof.api.NvmeNamespace;
import dev.nvmeof.host.internal.HostController;
import dev.nvmeof.host.internal.HostListener;

/**
 * Publishes every namespace of every controller as a {@link BlockDevice} service (with its NQN, NSID, sizes and
 * name) and withdraws it when the namespace goes away or its controller is DEAD; logs the controllers' state
 * changes (LIVE and DEAD at INFO, the others at DEBUG).
 */
final class BlockDevicePublisher implements HostListener {
    private final BundleContext context;
    private final Logger log;
    private final Map<NvmeNamespace, ServiceRegistration<BlockDevice>> devices = new ConcurrentHashMap<>();
    private volatile boolean closed;

    BlockDevicePublisher(BundleContext context, Logger log) {
        this.context = context;
        this.log = log;
    }

    @Override
    public void stateChanged(HostController controller, ControllerState from, ControllerState to) {
        if (to == ControllerState.LIVE || to == ControllerState.DEAD) {
            log.info("{}: {} -> {}", controller.name(), from, to);
        } else {
            log.debug("{}: {} -> {}", controller.name(), from, to);
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

    /** The component is going: nothing new is published. */
    void close() {
        closed = true;
    }

    /** Withdraws what is still published (after the controllers were disconnected). */
    void withdrawAll() {
        for (ServiceRegistration<BlockDevice> device : devices.values()) {
            unregister(device);
        }
        devices.clear();
    }

    private static void unregister(ServiceRegistration<?> registration) {
        try {
            registration.unregister();
        } catch (IllegalStateException e) {
            // already gone (the bundle is stopping)
        }
    }
}
