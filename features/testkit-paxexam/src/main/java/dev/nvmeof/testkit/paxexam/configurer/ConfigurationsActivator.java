package dev.nvmeof.testkit.paxexam.configurer;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.util.Dictionary;
import java.util.List;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;
import org.osgi.util.tracker.ServiceTrackerCustomizer;

/**
 * The one class of a configuration bundle {@code NvmeofOptions} generates (Pax Exam's own ConfigAdmin options,
 * pax-exam-cm, are not in our build): when ConfigurationAdmin comes, creates the configurations listed in the
 * bundle's {@value #RESOURCE}, once, in order. A failure throws, so the framework reports it (the bundle does not
 * start, or the service event names it) and the test's bounded wait for the configured service fails.
 *
 * <p>Runs inside the framework and is copied there alone (it has no nested classes): it uses nothing else of its jar.
 */
public final class ConfigurationsActivator
        implements BundleActivator, ServiceTrackerCustomizer<ConfigurationAdmin, ConfigurationAdmin> {
    /** The serialized {@code List<Object[]>}: {@code {"factory" | "pid", String pid, Dictionary properties}}. */
    public static final String RESOURCE = "dev/nvmeof/testkit/paxexam/configurer/configurations.ser";
    public static final String FACTORY = "factory";
    public static final String SINGLETON = "pid";

    private BundleContext context;
    private List<Object[]> configurations;
    private boolean applied;
    private ServiceTracker<ConfigurationAdmin, ConfigurationAdmin> tracker;

    @Override
    public void start(BundleContext bundleContext) throws Exception {
        context = bundleContext;
        configurations = read(bundleContext);
        tracker = new ServiceTracker<>(bundleContext, ConfigurationAdmin.class, this);
        tracker.open();
    }

    @Override
    public void stop(BundleContext bundleContext) {
        tracker.close(); // the configurations stay: they belong to the framework now
    }

    @Override
    public ConfigurationAdmin addingService(ServiceReference<ConfigurationAdmin> reference) {
        ConfigurationAdmin admin = context.getService(reference);
        synchronized (this) {
            if (!applied) {
                applied = true;
                apply(admin, configurations);
            }
        }
        return admin;
    }

    @Override
    public void modifiedService(ServiceReference<ConfigurationAdmin> reference, ConfigurationAdmin admin) {
    }

    @Override
    public void removedService(ServiceReference<ConfigurationAdmin> reference, ConfigurationAdmin admin) {
        context.ungetService(reference);
    }

    @SuppressWarnings("unchecked")
    private static List<Object[]> read(BundleContext context) throws IOException, ClassNotFoundException {
        try (InputStream in = context.getBundle().getEntry(RESOURCE).openStream();
                ObjectInputStream objects = new ObjectInputStream(in)) {
            return (List<Object[]>) objects.readObject();
        }
    }

    @SuppressWarnings("unchecked")
    private static void apply(ConfigurationAdmin admin, List<Object[]> configurations) {
        for (Object[] entry : configurations) {
            String kind = (String) entry[0];
            String pid = (String) entry[1];
            try {
                Configuration configuration = FACTORY.equals(kind) ? admin.createFactoryConfiguration(pid, "?")
                        : admin.getConfiguration(pid, "?");
                configuration.update((Dictionary<String, Object>) entry[2]);
            } catch (IOException e) {
                throw new IllegalStateException("cannot create the configuration " + pid + " " + entry[2], e);
            }
        }
    }
}
