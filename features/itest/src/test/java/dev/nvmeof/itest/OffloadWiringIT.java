package dev.nvmeof.itest;

import static dev.nvmeof.itest.InFramework.NIC_FUNCTION_PID;
import static dev.nvmeof.itest.InFramework.WAIT_SECONDS;
import static dev.nvmeof.itest.InFramework.awaitReference;
import static dev.nvmeof.itest.InFramework.configure;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.concurrent.CountDownLatch;
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
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

import dev.nvmeof.api.NvmeHost;
import dev.nvmeof.nic.emulated.NicFunction;
import dev.nvmeof.nic.emulated.PortAddress;
import dev.nvmeof.spi.transport.Transport;

/**
 * The offload wiring in Felix: a NIC function configured through ConfigAdmin comes up as a {@link NicFunction}
 * service with the properties drivers probe by and its port addressed; the ULP is there as the {@code tcp_offload}
 * {@link Transport}; deleting the configuration withdraws the function.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class OffloadWiringIT {
    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    @Configuration
    public Option[] config() {
        return StackOptions.stack();
    }

    @Test
    public void shouldRegisterTheTcpOffloadTransport() throws Exception {
        ServiceReference<?> reference = awaitReference(context, "(&(objectClass=" + Transport.class.getName()
                + ")(" + Transport.NAME_PROPERTY + "=tcp_offload))");
        Transport transport = (Transport) context.getService(reference);
        try {
            assertEquals("tcp_offload", transport.name());
            assertEquals("dev.nvmeof.offload", reference.getBundle().getSymbolicName());
        } finally {
            context.ungetService(reference);
        }
        // The host says when it has bound it: what a connect can rely on, not the Transport service alone.
        awaitReference(context, "(&(objectClass=" + NvmeHost.class.getName() + ")(" + NvmeHost.TRANSPORTS_PROPERTY
                + "=tcp_offload)(" + NvmeHost.TRANSPORTS_PROPERTY + "=tcp))");
    }

    @Test
    public void shouldPublishAConfiguredNicFunctionWithItsIdsAndAddressesAndWithdrawItWhenDeleted() throws Exception {
        String pid = configure(configurationAdmin, NIC_FUNCTION_PID, "?", "vendor.id", 0x1077, "device.id", 0x8070,
                "serial", "ITEST0001", "link.speed.mbps", 50_000L, "hardware.vectors", 4, "ports", 2,
                "addresses", new String[] {"p1p1 127.0.0.2/24", "p1p2 127.0.1.2/16"});
        ServiceReference<?> reference = awaitReference(context, "(&(objectClass=" + NicFunction.class.getName()
                + ")(nic.serial=ITEST0001))");
        assertEquals(0x1077, reference.getProperty("nic.vendor.id"));
        assertEquals(0x8070, reference.getProperty("nic.device.id"));
        assertEquals(50_000L, reference.getProperty("nic.link.speed.mbps"));
        assertEquals(4, reference.getProperty("nic.hardware.vectors"));
        assertArrayEquals(new String[] {"p1p1", "p1p2"}, (String[]) reference.getProperty("nic.ports"));

        NicFunction function = (NicFunction) context.getService(reference);
        try {
            assertEquals("ITEST0001", function.capabilities().serial());
            assertEquals(List.of(PortAddress.parse("127.0.0.2/24")),
                    function.netDevice().port("p1p1").addresses());
            assertEquals(List.of(PortAddress.parse("127.0.1.2/16")),
                    function.netDevice().port("p1p2").addresses());
        } finally {
            context.ungetService(reference);
        }

        CountDownLatch withdrawn = new CountDownLatch(1);
        ServiceListener listener = event -> {
            if (event.getType() == ServiceEvent.UNREGISTERING) {
                withdrawn.countDown();
            }
        };
        context.addServiceListener(listener, "(&(objectClass=" + NicFunction.class.getName()
                + ")(nic.serial=ITEST0001))");
        try {
            org.osgi.service.cm.Configuration[] configurations =
                    configurationAdmin.listConfigurations("(service.pid=" + pid + ")");
            assertNotNull(configurations);
            configurations[0].delete();
            assertTrue("the NIC function was not withdrawn", withdrawn.await(WAIT_SECONDS, TimeUnit.SECONDS));
        } finally {
            context.removeServiceListener(listener);
        }
    }
}
