package dev.nvmeof.itest;

import static dev.nvmeof.itest.InFramework.NIC_FUNCTION_PID;
import static dev.nvmeof.itest.InFramework.WAIT_SECONDS;
import static dev.nvmeof.itest.InFramework.awaitReference;
import static dev.nvmeof.itest.InFramework.configure;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

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

import dev.nvmeof.spi.offload.OffloadDriver;

/**
 * The vendor drivers' probe in Felix: a NIC function configured with a vendor's PCI ids gets that vendor's
 * {@link OffloadDriver} service (one per function, with its vendor, device name and serial), a function of other
 * ids gets none, and the driver goes when the function's configuration is deleted.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class DriverProbeIT {
    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    @Configuration
    public Option[] config() {
        return StackOptions.stack();
    }

    private String function(int vendorId, int deviceId, String serial) throws Exception {
        return configure(configurationAdmin, NIC_FUNCTION_PID, "?", "vendor.id", vendorId, "device.id", deviceId,
                "serial", serial, "hardware.vectors", 4, "ports", 1, "addresses", new String[] {"p1p1 127.0.0.2/24"});
    }

    private static String driverFilter(String serial) {
        return "(&(objectClass=" + OffloadDriver.class.getName() + ")(nic.serial=" + serial + "))";
    }

    @Test
    public void shouldRegisterEachVendorsDriverForItsFunctionsOnly() throws Exception {
        function(0x1077, 0x8070, "OTHER0001");
        function(0x1AC3, 0x0100, "ACME0001");
        function(0x1F7A, 0x0200, "VRTX0001");

        ServiceReference<?> acme = awaitReference(context, driverFilter("ACME0001"));
        ServiceReference<?> vortex = awaitReference(context, driverFilter("VRTX0001"));

        assertEquals("acme", acme.getProperty("offload.vendor"));
        assertEquals("acme-ACME0001", acme.getProperty("offload.device"));
        assertEquals("dev.nvmeof.driver.acme", acme.getBundle().getSymbolicName());
        assertEquals("vortex", vortex.getProperty("offload.vendor"));
        assertEquals("vortex-VRTX0001", vortex.getProperty("offload.device"));
        assertEquals("dev.nvmeof.driver.vortex", vortex.getBundle().getSymbolicName());
        // Configurations are applied in order and bound synchronously, so the first function was probed by now.
        awaitReference(context, "(&(objectClass=dev.nvmeof.nic.emulated.NicFunction)(nic.serial=OTHER0001))");
        assertEquals(null, context.getServiceReferences(OffloadDriver.class.getName(),
                "(nic.serial=OTHER0001)"));
        assertEquals(2, context.getServiceReferences(OffloadDriver.class.getName(), null).length);
    }

    @Test
    public void shouldUnregisterTheDriverWhenItsFunctionIsDeleted() throws Exception {
        String pid = function(0x1AC3, 0x0100, "ACME0002");
        awaitReference(context, driverFilter("ACME0002"));

        CountDownLatch gone = new CountDownLatch(1);
        ServiceListener listener = event -> {
            if (event.getType() == ServiceEvent.UNREGISTERING) {
                gone.countDown();
            }
        };
        context.addServiceListener(listener, driverFilter("ACME0002"));
        try {
            org.osgi.service.cm.Configuration[] configurations =
                    configurationAdmin.listConfigurations("(service.pid=" + pid + ")");
            assertNotNull(configurations);
            configurations[0].delete();
            assertTrue("the driver was not unregistered", gone.await(WAIT_SECONDS, TimeUnit.SECONDS));
        } finally {
            context.removeServiceListener(listener);
        }
    }
}
