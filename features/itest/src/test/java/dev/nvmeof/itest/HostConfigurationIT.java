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

import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;


import dev.nvmeof.api.BlockDevice;
import dev.nvmeof.api.ControllerState;
import dev.nvmeof.api.NvmeController;
import dev.nvmeof.api.NvmeHost;
import dev.nvmeof.target.NvmeTarget;

/**
 * The host in Felix, driven by ConfigAdmin against the embedded target configured in the same framework: a
 * controller declared by a factory configuration connects over {@code tcp}; its namespace appears as a
 * {@code BlockDevice} service with its properties; a namespace added to the target at run time appears as a new
 * service (Asynchronous Event); deleting the controller's configuration disconnects it and withdraws the services.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class HostConfigurationIT {
    private static final String NQN = "nqn.2026-11.dev.nvmeof:host-itest";
    private static final long WAIT_SECONDS = 20;

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private final ServiceListener listener = event -> {
        ServiceReference<?> ref = event.getServiceReference();
        String kind = event.getType() == ServiceEvent.REGISTERED ? "+"
                : event.getType() == ServiceEvent.UNREGISTERING ? "-" : "~";
        events.add(kind + ref.getProperty(BlockDevice.NAME) + " nqn=" + ref.getProperty(BlockDevice.NQN)
                + " nsid=" + ref.getProperty(BlockDevice.NSID) + " size=" + ref.getProperty(BlockDevice.SIZE)
                + " bs=" + ref.getProperty(BlockDevice.BLOCK_SIZE));
    };

    @Configuration
    public Option[] config() {
        return StackOptions.stack();
    }

    @After
    public void removeListener() {
        context.removeServiceListener(listener);
    }

    @Test
    public void shouldPublishTheNamespacesOfAConfiguredControllerAndWithdrawThemWhenItIsDeleted() throws Exception {
        configure(configurationAdmin, "dev.nvmeof.target",
                null, "listen", new String[] {"127.0.0.1:0"}, "eventLoops", 1);
        configure(configurationAdmin, "dev.nvmeof.target.subsystem", "?", "nqn", NQN);
        configure(configurationAdmin, "dev.nvmeof.target.namespace", "?", "subsystem", NQN, "nsid", 1, "size", "1M");
        InetSocketAddress address = awaitListener(context, awaitService(context, NvmeTarget.class));
        context.addServiceListener(listener, "(objectClass=" + BlockDevice.class.getName() + ")");

        String controller = configure(configurationAdmin, "dev.nvmeof.host.controller",
                "?", "transport", "tcp", "traddr",
                "127.0.0.1", "trsvcid", String.valueOf(address.getPort()), "nqn", NQN, "nr_io_queues", 1);
        assertEquals("+nvme0n1 nqn=" + NQN + " nsid=1 size=1048576 bs=512", next());
        NvmeHost host = awaitService(context, NvmeHost.class);
        assertEquals(1, host.controllers().size());
        NvmeController c = host.controllers().get(0);
        assertEquals(ControllerState.LIVE, c.state());
        BlockDevice device = awaitService(context, BlockDevice.class);
        assertEquals(1048576, device.sizeBytes());

        configure(configurationAdmin, "dev.nvmeof.target.namespace", "?", "subsystem", NQN, "nsid", 2, "size", "2M");
        assertEquals("a namespace added at run time is announced (AEN) and published",
                "+nvme0n2 nqn=" + NQN + " nsid=2 size=2097152 bs=512", next());

        configurationAdmin.listConfigurations("(service.pid=" + controller + ")")[0].delete();
        String first = next();
        String second = next();
        assertTrue(first + ", " + second, first.startsWith("-nvme0n1") && second.startsWith("-nvme0n2")
                || first.startsWith("-nvme0n2") && second.startsWith("-nvme0n1"));
        assertTrue("disconnected", host.controllers().isEmpty());
        assertEquals(ControllerState.DEAD, c.state());
    }

    private String next() throws InterruptedException {
        String event = events.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull("no BlockDevice service event within " + WAIT_SECONDS + " s", event);
        return event;
    }
}
