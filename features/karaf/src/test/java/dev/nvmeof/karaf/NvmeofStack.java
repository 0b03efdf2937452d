package dev.nvmeof.karaf;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.ops4j.pax.logging.spi.PaxAppender;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

import dev.nvmeof.api.BlockDevice;
import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.NvmeController;
import dev.nvmeof.api.NvmeHost;
import dev.nvmeof.api.NvmeNamespace;
import dev.nvmeof.target.NvmeTarget;

/**
 * The installed stack through its exported API, configured like the demo does through ConfigAdmin: a target on
 * 127.0.0.1 (ephemeral port) with one subsystem and a RAM namespace, and an Acme and a Vortex emulated NIC function on
 * 127.0.0.2 and 127.0.0.3. Loaded by the probe only after the features are installed, so that its imports of our
 * packages resolve (the probe imports dynamically).
 */
final class NvmeofStack {
    static final long WAIT_SECONDS = 20;
    static final String NIC_FUNCTION_PID = "dev.nvmeof.nic.emulated.function";

    private final BundleContext context;
    private final ConfigurationAdmin configurationAdmin;
    private final BlockingQueue<String> ulpLog = new LinkedBlockingQueue<>();

    NvmeofStack(BundleContext context) {
        this.context = context;
        // Held for the life of the Karaf: closing a tracker ungets the service, which disposes ConfigAdmin's
        // per-bundle instance.
        this.configurationAdmin = hold(ConfigurationAdmin.class);
        // Karaf routes every record to the PaxAppender services (its "PaxOsgi" appender, filter *), as log:tail
        // reads them: the ULP's record that it bound a driver comes here.
        Hashtable<String, Object> appender = new Hashtable<>();
        appender.put("org.ops4j.pax.logging.appender.name", "nvmeof-karaf-it");
        context.registerService(PaxAppender.class, event -> {
            String message = event.getRenderedMessage();
            if (message != null && message.startsWith("offload driver ")) {
                ulpLog.add(message);
            }
        }, appender);
    }

    /** Target with subsystem {@code nqn} and namespace 1 of {@code size}, both NICs, both drivers bound. */
    InetSocketAddress start(String nqn, String size) throws Exception {
        configure("dev.nvmeof.target.subsystem", true, "nqn", nqn);
        configure("dev.nvmeof.target.namespace", true, "subsystem", nqn, "nsid", 1, "size", size);
        configure("dev.nvmeof.target", false, "listen", new String[] {"127.0.0.1:0"}, "eventLoops", 1);
        NvmeTarget target = await(NvmeTarget.class);
        // The namespace component is registered once it declared its namespace (as features/itest waits for it).
        awaitFilter("(&(objectClass=dev.nvmeof.target.internal.ds.NamespaceComponent)(nsid=1))");
        configure(NIC_FUNCTION_PID, true, "vendor.id", 0x1AC3, "device.id", 0x0100, "serial", "ACME0101", "slot", 1,
                "link.speed.mbps", 100_000L, "hardware.vectors", 4, "ports", 1,
                "addresses", new String[] {"p1p1 127.0.0.2/24"});
        configure(NIC_FUNCTION_PID, true, "vendor.id", 0x1F7A, "device.id", 0x0200, "serial", "VRTX0202", "slot", 2,
                "link.speed.mbps", 25_000L, "hardware.vectors", 4, "ports", 1,
                "addresses", new String[] {"p2p1 127.0.0.3/24"});
        awaitUlpBound("acme-ACME0101");
        awaitUlpBound("vortex-VRTX0202");
        List<InetSocketAddress> listeners = target.listeners();
        assertFalse("the target listens nowhere", listeners.isEmpty());
        return listeners.get(0);
    }

    /** The host once it can connect over {@code transport}. */
    NvmeHost host(String transport) {
        return awaitFilter("(&(objectClass=" + NvmeHost.class.getName() + ")(" + NvmeHost.TRANSPORTS_PROPERTY + "="
                + transport + "))", NvmeHost.class);
    }

    /**
     * Connects through the host service, writes a random 8 KiB at LBA 0, reads it back, compares, disconnects.
     * Returns the controller's transport description (which says which path carried it).
     */
    String connectWriteReadDisconnect(String transport, InetSocketAddress target, String nqn) throws Exception {
        NvmeHost host = host(transport);
        NvmeController controller = host.connect(ConnectOptions.parse("transport=" + transport + ",traddr="
                + target.getAddress().getHostAddress() + ",trsvcid=" + target.getPort() + ",nqn=" + nqn));
        try {
            assertTrue(controller.name() + " is not in the host's list", host.controllers().contains(controller));
            NvmeNamespace namespace = controller.namespaces().get(0);
            BlockDevice device = namespace.device();
            byte[] pattern = new byte[8192];
            new Random(nqn.hashCode()).nextBytes(pattern);
            device.write(0, ByteBuffer.wrap(pattern), false).get(WAIT_SECONDS, TimeUnit.SECONDS);
            ByteBuffer back = ByteBuffer.allocate(pattern.length);
            device.read(0, back).get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertArrayEquals("what " + namespace.name() + " read back differs from what was written", pattern,
                    back.array());
            return controller.transportDescription();
        } finally {
            controller.disconnect();
        }
    }

    private void configure(String pid, boolean factory, Object... keyValues) throws Exception {
        Dictionary<String, Object> properties = new Hashtable<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.put((String) keyValues[i], keyValues[i + 1]);
        }
        (factory ? configurationAdmin.createFactoryConfiguration(pid, "?")
                : configurationAdmin.getConfiguration(pid, "?")).update(properties);
    }

    /** Waits (bounded) for the ULP's log line saying it added the device's driver: the bind is done. */
    private void awaitUlpBound(String device) throws InterruptedException {
        String expected = "offload driver " + device + " added";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        for (;;) {
            String message = ulpLog.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertNotNull("the ULP did not bind " + device + " within " + WAIT_SECONDS + " s", message);
            if (message.startsWith(expected)) {
                return;
            }
        }
    }

    <T> T await(Class<T> type) {
        return awaitFilter("(objectClass=" + type.getName() + ")", type);
    }

    private Object awaitFilter(String filter) {
        return awaitFilter(filter, Object.class);
    }

    private <T> T awaitFilter(String filter, Class<T> type) {
        ServiceTracker<Object, Object> tracker;
        try {
            tracker = new ServiceTracker<>(context, context.createFilter(filter), null);
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalArgumentException(filter, e);
        }
        tracker.open(true);
        try {
            Object service = tracker.waitForService(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            assertNotNull("no service " + filter + " within " + WAIT_SECONDS + " s", service);
            return type.cast(service);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + filter);
        } finally {
            tracker.close();
        }
    }

    private <T> T hold(Class<T> type) {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context, type, null);
        tracker.open();
        try {
            T service = tracker.waitForService(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            assertNotNull("no " + type.getSimpleName() + " service within " + WAIT_SECONDS + " s", service);
            return service;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + type.getSimpleName());
        }
    }
}
