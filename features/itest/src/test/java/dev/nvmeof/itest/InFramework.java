package dev.nvmeof.itest;

import static org.junit.Assert.assertNotNull;

import java.net.InetSocketAddress;
import java.util.Dictionary;
import java.util.Hashtable;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

import dev.nvmeof.target.NvmeTarget;

/** What the in-framework tests do alike: configure, wait (bounded) for services, find the target's listener. */
final class InFramework {
    static final int WAIT_SECONDS = 20;
    /** The factory PID of an emulated NIC function. */
    static final String NIC_FUNCTION_PID = "dev.nvmeof.nic.emulated.function";

    private InFramework() {
    }

    /** Creates (a location given: a factory configuration) or updates a configuration; returns its PID. */
    static String configure(ConfigurationAdmin configurationAdmin, String pid, String location, Object... keyValues)
            throws Exception {
        Dictionary<String, Object> properties = new Hashtable<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.put((String) keyValues[i], keyValues[i + 1]);
        }
        org.osgi.service.cm.Configuration configuration = location == null
                ? configurationAdmin.getConfiguration(pid, "?")
                : configurationAdmin.createFactoryConfiguration(pid, location);
        configuration.update(properties);
        return configuration.getPid();
    }

    /** The service, waiting at most {@link #WAIT_SECONDS}; fails the test when none comes. */
    static <T> T awaitService(BundleContext context, Class<T> type) throws Exception {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context, type, null);
        tracker.open();
        T service = tracker.waitForService(WAIT_SECONDS * 1000L);
        assertNotNull("no " + type.getSimpleName() + " service", service);
        return service;
    }

    /** The first service matching {@code filter}, waiting at most {@link #WAIT_SECONDS}; fails the test when none comes. */
    static ServiceReference<?> awaitReference(BundleContext context, String filter) throws Exception {
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context, context.createFilter(filter), null);
        tracker.open();
        try {
            assertNotNull("no service matching " + filter, tracker.waitForService(WAIT_SECONDS * 1000L));
            return tracker.getServiceReference();
        } finally {
            tracker.close();
        }
    }

    /** The target's ephemeral listener, once namespace 1 of the configured subsystem is served. */
    static InetSocketAddress awaitListener(BundleContext context, NvmeTarget target) throws Exception {
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context,
                context.createFilter("(&(objectClass=dev.nvmeof.target.internal.ds.NamespaceComponent)(nsid=1))"),
                null);
        tracker.open();
        try {
            assertNotNull("the namespace did not come up", tracker.waitForService(WAIT_SECONDS * 1000L));
        } finally {
            tracker.close();
        }
        return target.listeners().get(0);
    }
}
