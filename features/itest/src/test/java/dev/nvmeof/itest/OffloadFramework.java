package dev.nvmeof.itest;

import static dev.nvmeof.itest.InFramework.NIC_FUNCTION_PID;
import static dev.nvmeof.itest.InFramework.WAIT_SECONDS;
import static dev.nvmeof.itest.InFramework.awaitListener;
import static dev.nvmeof.itest.InFramework.awaitReference;
import static dev.nvmeof.itest.InFramework.awaitService;
import static dev.nvmeof.itest.InFramework.configure;
import static org.junit.Assert.assertNotNull;

import java.net.InetSocketAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;

import dev.nvmeof.spi.transport.Transport;

/**
 * The offload stack the driver-lifecycle tests share, configured through ConfigAdmin: our target on 127.0.0.1
 * (ephemeral port), an Acme NIC function in slot 1 ({@code p1p1 127.0.0.2/24}, 100 Gb/s, so its claim wins on link
 * speed) and a Vortex one in slot 2 ({@code p2p1 127.0.0.3/24}, 25 Gb/s). The ULP binds a driver on the thread that
 * registers it, possibly after a test saw the service; {@link #awaitUlpBound} waits (bounded) for the ULP's own log
 * line about it (the framework must log at INFO), which follows the bind.
 */
final class OffloadFramework implements AutoCloseable {
    static final String ACME_BUNDLE = "dev.nvmeof.driver.acme";
    static final String VORTEX_BUNDLE = "dev.nvmeof.driver.vortex";
    static final String ACME_SERIAL = "ACME0101";
    static final String VORTEX_SERIAL = "VRTX0202";
    static final String ACME = "acme-" + ACME_SERIAL;
    static final String VORTEX = "vortex-" + VORTEX_SERIAL;

    private final BundleContext context;
    private final ConfigurationAdmin configurationAdmin;
    private final LogReaderService logReader;
    private final BlockingQueue<String> ulpLog = new LinkedBlockingQueue<>();
    private final LogListener logListener = entry -> {
        if (entry.getBundle() != null && "dev.nvmeof.offload".equals(entry.getBundle().getSymbolicName())) {
            ulpLog.add(entry.getMessage());
        }
    };

    OffloadFramework(BundleContext context, ConfigurationAdmin configurationAdmin, LogReaderService logReader) {
        this.context = context;
        this.configurationAdmin = configurationAdmin;
        this.logReader = logReader;
        logReader.addLogListener(logListener);
    }

    /** Target ({@code nqn}, one namespace of {@code size}), both NIC functions, both drivers bound; the listener. */
    InetSocketAddress start(String nqn, String size) throws Exception {
        configure(configurationAdmin, "dev.nvmeof.target", null, "listen", new String[] {"127.0.0.1:0"},
                "eventLoops", 1);
        configure(configurationAdmin, "dev.nvmeof.target.subsystem", "?", "nqn", nqn);
        configure(configurationAdmin, "dev.nvmeof.target.namespace", "?", "subsystem", nqn, "nsid", 1, "size", size);
        InetSocketAddress target = awaitListener(context, awaitService(context,
                dev.nvmeof.target.NvmeTarget.class));
        configure(configurationAdmin, NIC_FUNCTION_PID, "?", "vendor.id", 0x1AC3, "device.id", 0x0100,
                "serial", ACME_SERIAL, "slot", 1, "link.speed.mbps", 100_000L, "hardware.vectors", 4, "ports", 1,
                "addresses", new String[] {"p1p1 127.0.0.2/24"});
        configure(configurationAdmin, NIC_FUNCTION_PID, "?", "vendor.id", 0x1F7A, "device.id", 0x0200,
                "serial", VORTEX_SERIAL, "slot", 2, "link.speed.mbps", 25_000L, "hardware.vectors", 4, "ports", 1,
                "addresses", new String[] {"p2p1 127.0.0.3/24"});
        awaitUlpBound(ACME);
        awaitUlpBound(VORTEX);
        awaitReference(context, "(&(objectClass=" + Transport.class.getName() + ")(" + Transport.NAME_PROPERTY
                + "=tcp_offload))");
        return target;
    }

    /** Waits (bounded) for the ULP's log line saying it added the device's driver: the bind is done. */
    void awaitUlpBound(String device) throws InterruptedException {
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

    /** The installed bundle with this symbolic name. */
    Bundle bundle(String symbolicName) {
        for (Bundle bundle : context.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        throw new AssertionError("no bundle " + symbolicName);
    }

    @Override
    public void close() {
        logReader.removeLogListener(logListener);
    }
}
