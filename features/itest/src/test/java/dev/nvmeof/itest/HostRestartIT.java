package dev.nvmeof.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;

import java.io.File;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.util.tracker.ServiceTracker;

import dev.nvmeof.target.NamespaceConfig;
import dev.nvmeof.target.NvmeTarget;
import dev.nvmeof.target.SubsystemConfig;
import dev.nvmeof.target.TargetOptions;

/**
 * Controllers declared by ConfigAdmin come back after a restart: Felix is launched twice on the same storage
 * directory against a target running in this JVM (plain Java, ephemeral port). The first launch creates the
 * controller's factory configuration and sees its {@code BlockDevice}; the second, with nothing configured again,
 * sees the controller LIVE and the {@code BlockDevice} back. The framework's classes are shared with this test only
 * through {@code org.osgi.framework}, so the services are tracked regardless of class space and used through their
 * references and by reflection.
 */
public class HostRestartIT {
    private static final String NQN = "nqn.2026-11.dev.nvmeof:restart";
    private static final long WAIT_MILLIS = 20_000;

    private NvmeTarget target;
    private Path storage;
    private Framework framework;

    @Before
    public void startTarget() throws Exception {
        target = NvmeTarget.start(TargetOptions.defaults().withEventLoops(1));
        target.addSubsystem(SubsystemConfig.of(NQN, NamespaceConfig.ram(1, 1 << 20, 512)));
        target.listen(new InetSocketAddress("127.0.0.1", 0));
        storage = Files.createTempDirectory("nvmeof-restart");
    }

    @After
    public void stopAll() throws Exception {
        if (framework != null) {
            stop(framework);
        }
        target.close();
        try (var files = Files.walk(storage)) {
            files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).map(Path::toFile).forEach(File::delete);
        }
    }

    @Test
    public void shouldReconnectAConfiguredControllerAfterAFrameworkRestart() throws Exception {
        int port = target.listeners().get(0).getPort();

        framework = launch(true);
        Object configurationAdmin = awaitService(framework.getBundleContext(),
                "org.osgi.service.cm.ConfigurationAdmin");
        Object configuration = invoke(configurationAdmin, "createFactoryConfiguration",
                new Class<?>[] {String.class, String.class}, "dev.nvmeof.host.controller", "?");
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("transport", "tcp");
        properties.put("traddr", "127.0.0.1");
        properties.put("trsvcid", String.valueOf(port));
        properties.put("nqn", NQN);
        properties.put("nr_io_queues", 1);
        invoke(configuration, "update", new Class<?>[] {Dictionary.class}, properties);
        assertBlockDevice(framework.getBundleContext());
        String hostnqn = hostnqn(framework.getBundleContext());
        stop(framework);
        framework = null;

        framework = launch(false);
        BundleContext context = framework.getBundleContext();
        assertBlockDevice(context);
        Object host = awaitService(context, "dev.nvmeof.api.NvmeHost");
        List<?> controllers = (List<?>) invoke(host, "controllers", new Class<?>[0]);
        assertEquals(1, controllers.size());
        assertEquals("LIVE", String.valueOf(invoke(controllers.get(0), "state", new Class<?>[0])));
        assertEquals("the host identity is persisted", hostnqn, hostnqn(context));
    }

    private Framework launch(boolean first) throws Exception {
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        if (first) {
            config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        }
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).iterator().next();
        Framework launched = factory.newFramework(config);
        launched.start();
        BundleContext context = launched.getBundleContext();
        List<Bundle> bundles = new ArrayList<>();
        for (String property : List.of("nvmeof.runtime", "nvmeof.bundles")) {
            for (String path : System.getProperty(property, "").split("\\s+")) {
                if (!path.isBlank()) {
                    // on the second launch the bundle is already installed: the same location returns it
                    bundles.add(context.installBundle(new File(path).toURI().toString()));
                }
            }
        }
        for (Bundle bundle : bundles) {
            if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                bundle.start();
            }
        }
        return launched;
    }

    private static void stop(Framework framework) throws Exception {
        framework.stop();
        FrameworkEvent event = framework.waitForStop(WAIT_MILLIS);
        assertEquals("the framework stopped in time", FrameworkEvent.STOPPED, event.getType());
    }

    private static void assertBlockDevice(BundleContext context) throws Exception {
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context,
                context.createFilter("(&(objectClass=dev.nvmeof.api.BlockDevice)(nvme.nqn=" + NQN + "))"), null);
        tracker.open(true); // all services: this JVM's classpath has its own copies of their packages
        try {
            assertNotNull("no BlockDevice service", tracker.waitForService(WAIT_MILLIS));
            ServiceReference<Object> ref = tracker.getServiceReference();
            assertEquals("nvme0n1", ref.getProperty("nvme.name"));
            assertEquals(1, ref.getProperty("nvme.nsid"));
            assertEquals(1L << 20, ref.getProperty("nvme.size"));
            assertEquals(512, ref.getProperty("nvme.block.size"));
        } finally {
            tracker.close();
        }
    }

    private static String hostnqn(BundleContext context) throws Exception {
        Object host = awaitService(context, "dev.nvmeof.api.NvmeHost");
        Object identity = invoke(host, "identity", new Class<?>[0]);
        return String.valueOf(invoke(identity, "hostnqn", new Class<?>[0]));
    }

    private static Object awaitService(BundleContext context, String type) throws Exception {
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context,
                context.createFilter("(objectClass=" + type + ")"), null);
        tracker.open(true); // all services: this JVM's classpath has its own copies of their packages
        Object service = tracker.waitForService(WAIT_MILLIS);
        assertNotNull("no " + type + " service", service);
        return service;
    }

    /** Calls a public method through the interface that declares it (the implementation class may be private). */
    private static Object invoke(Object target, String name, Class<?>[] types, Object... args) throws Exception {
        for (Class<?> type = target.getClass(); type != null; type = type.getSuperclass()) {
            for (Class<?> api : type.getInterfaces()) {
                Method method = find(api, name, types);
                if (method != null) {
                    return method.invoke(target, args);
                }
            }
        }
        Method method = target.getClass().getMethod(name, types);
        method.setAccessible(true);
        return method.invoke(target, args);
    }

    private static Method find(Class<?> api, String name, Class<?>[] types) {
        try {
            return api.getMethod(name, types);
        } catch (NoSuchMethodException e) {
            for (Class<?> parent : api.getInterfaces()) {
                Method method = find(parent, name, types);
                if (method != null) {
                    return method;
                }
            }
            return null;
        }
    }

}
