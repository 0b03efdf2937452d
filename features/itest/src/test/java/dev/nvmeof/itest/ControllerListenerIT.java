package dev.nvmeof.itest;

import static dev.nvmeof.itest.InFramework.awaitListener;
import static dev.nvmeof.itest.InFramework.awaitService;
import static dev.nvmeof.itest.InFramework.configure;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.net.InetSocketAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;

import dev.nvmeof.api.ControllerEvent;
import dev.nvmeof.api.ControllerListener;
import dev.nvmeof.api.NvmeHost;
import dev.nvmeof.target.NvmeTarget;

/**
 * The whiteboard: a {@link ControllerListener} registered as a service hears a controller declared by ConfigAdmin
 * go LIVE, and DEAD without a failure when its configuration is deleted.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class ControllerListenerIT {
    private static final String NQN = "nqn.2026-11.dev.nvmeof:listener-itest";

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    @Inject
    private LogReaderService logReader;

    private final BlockingQueue<ControllerEvent> events = new LinkedBlockingQueue<>();

    @Configuration
    public Option[] config() {
        return StackOptions.stack();
    }

    @Test
    public void shouldTellAListenerServiceThatADeclaredControllerWentLiveAndDead() throws Exception {
        configure(configurationAdmin, "dev.nvmeof.target", null, "listen", new String[] {"127.0.0.1:0"},
                "eventLoops", 1);
        configure(configurationAdmin, "dev.nvmeof.target.subsystem", "?", "nqn", NQN);
        configure(configurationAdmin, "dev.nvmeof.target.namespace", "?", "subsystem", NQN, "nsid", 1, "size", "1M");
        InetSocketAddress address = awaitListener(context, awaitService(context, NvmeTarget.class));
        awaitService(context, NvmeHost.class); // the host component is active, so it binds the listener at once
        ServiceRegistration<ControllerListener> registration =
                context.registerService(ControllerListener.class, events::add, null);

        String controller = configure(configurationAdmin, "dev.nvmeof.host.controller", "?", "transport", "tcp",
                "traddr", "127.0.0.1", "trsvcid", String.valueOf(address.getPort()), "nqn", NQN, "nr_io_queues", 1);

        assertEquals("nvme0: NEW -> CONNECTING", next().toString());
        ControllerEvent live = next();
        assertEquals("nvme0: CONNECTING -> LIVE", live.toString());
        assertEquals(NQN, live.controller().subsystemNqn());

        configurationAdmin.listConfigurations("(service.pid=" + controller + ")")[0].delete();
        assertEquals("nvme0: LIVE -> DELETING", next().toString());
        ControllerEvent dead = next();
        assertEquals("nvme0: DELETING -> DEAD", dead.toString());
        assertTrue("a disconnect is no failure", dead.failure().isEmpty());

        registration.unregister();
    }

    /**
     * The host core is plain Java and logs through {@code dev.nvmeof.protocol.log.Log}; in the framework its records
     * reach the OSGi Log Service: here the warning about a listener that throws.
     */
    @Test
    public void shouldLogAThrowingListenerThroughTheOsgiLogService() throws Exception {
        BlockingQueue<LogEntry> hostLog = new LinkedBlockingQueue<>();
        LogListener logListener = entry -> {
            if ("dev.nvmeof.host".equals(entry.getLoggerName())) {
                hostLog.add(entry);
            }
        };
        logReader.addLogListener(logListener);
        try {
            configure(configurationAdmin, "dev.nvmeof.target", null, "listen", new String[] {"127.0.0.1:0"},
                    "eventLoops", 1);
            configure(configurationAdmin, "dev.nvmeof.target.subsystem", "?", "nqn", NQN);
            configure(configurationAdmin, "dev.nvmeof.target.namespace", "?", "subsystem", NQN, "nsid", 1, "size",
                    "1M");
            InetSocketAddress address = awaitListener(context, awaitService(context, NvmeTarget.class));
            awaitService(context, NvmeHost.class);
            context.registerService(ControllerListener.class, event -> {
                throw new IllegalStateException("listener bug");
            }, null);
            configure(configurationAdmin, "dev.nvmeof.host.controller", "?", "transport", "tcp", "traddr",
                    "127.0.0.1", "trsvcid", String.valueOf(address.getPort()), "nqn", NQN, "nr_io_queues", 1);

            LogEntry entry = hostLog.poll(InFramework.WAIT_SECONDS, TimeUnit.SECONDS);
            assertNotNull("no record of logger dev.nvmeof.host reached the OSGi Log Service", entry);
            assertEquals(LogLevel.WARN, entry.getLogLevel());
            assertTrue(entry.getMessage(), entry.getMessage().contains("failed on nvme0: NEW -> CONNECTING"));
            assertEquals("listener bug", entry.getException().getMessage());
        } finally {
            logReader.removeLogListener(logListener);
        }
    }

    private ControllerEvent next() throws InterruptedException {
        ControllerEvent event = events.poll(InFramework.WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull("no controller event within " + InFramework.WAIT_SECONDS + " s", event);
        return event;
    }
}
