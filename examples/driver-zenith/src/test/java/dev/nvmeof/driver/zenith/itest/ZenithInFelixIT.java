package dev.nvmeof.driver.zenith.itest;

import static dev.nvmeof.testkit.paxexam.NvmeofOptions.driver;
import static dev.nvmeof.testkit.paxexam.NvmeofOptions.embeddedTarget;
import static dev.nvmeof.testkit.paxexam.NvmeofOptions.emulatedNic;
import static dev.nvmeof.testkit.paxexam.NvmeofOptions.hostStack;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.log.LogReaderService;
import org.osgi.util.tracker.ServiceTracker;

import dev.nvmeof.api.BlockDevice;
import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.NvmeController;
import dev.nvmeof.api.NvmeHost;
import dev.nvmeof.nic.emulated.NicFunction;
import dev.nvmeof.spi.offload.OffloadDriver;
import dev.nvmeof.target.NvmeTarget;
import dev.nvmeof.testkit.driver.VerifiedWorkload;
import dev.nvmeof.testkit.paxexam.EmulatedNic;

/**
 * The Zenith driver bundle in Felix, as a vendor tests theirs: {@link dev.nvmeof.testkit.paxexam.NvmeofOptions}
 * provisions the host stack, our target (127.0.0.1, ephemeral port), a Zenith card declared through ConfigAdmin
 * ({@code p1p1 127.0.0.2/24}) beside a card of other PCI ids, and this module's bundle. Its probe binds the Zenith
 * card only, the ULP takes its driver, and a {@code tcp_offload} connect goes through it: verified writes from several
 * threads read back as acknowledged.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class ZenithInFelixIT {
    private static final String NQN = "nqn.2026-12.com.example.zenith:itest";
    private static final String ZENITH = "zenith-Z0001";
    private static final long WAIT_SECONDS = 20;
    @Inject
    private BundleContext context;

    @Inject
    private LogReaderService logReader;

    /**
     * Runs on the Pax Exam driver side only: NvmeofOptions and EmulatedNic are not in the framework, so they appear
     * here and nowhere else in the class (a field of their type would not load in the probe).
     */
    @Configuration
    public Option[] config() {
        EmulatedNic zenith = EmulatedNic.of(0x5A17, 0x0300, "Z0001").withSlot(1).withAddresses("p1p1 127.0.0.2/24")
                .withLinkSpeedMbps(40_000).withHardwareVectors(4).withMaxIoSize(256 * 1024);
        // Another vendor's card (Acme's ids; no Acme driver here): Zenith must leave it alone.
        EmulatedNic other = EmulatedNic.of(0x1AC3, 0x0100, "A0001").withSlot(2).withAddresses("p2p1 127.0.0.3/24");
        return options(hostStack(), embeddedTarget(NQN, "64M"), emulatedNic(zenith), emulatedNic(other),
                driver(Path.of(System.getProperty("zenith.bundle"))),
                // INFO: the ULP's and the target's lines the test waits for; a history long enough to hold them.
                frameworkProperty("org.osgi.service.log.admin.loglevel").value("INFO"),
                frameworkProperty("org.apache.felix.log.maxSize").value("1000"));
    }

    @Test
    public void shouldRegisterOneDriverForTheZenithCardOnly() throws Exception {
        ServiceReference<?> zenith = await("(&(objectClass=" + OffloadDriver.class.getName() + ")(nic.serial=Z0001))");
        await("(&(objectClass=" + NicFunction.class.getName() + ")(nic.serial=A0001))");

        assertEquals("dev.nvmeof.driver.zenith", zenith.getBundle().getSymbolicName());
        assertEquals("zenith", zenith.getProperty("offload.vendor"));
        assertEquals(ZENITH, zenith.getProperty("offload.device"));
        assertEquals("the other vendor's card has no driver here", 1,
                context.getServiceReferences(OffloadDriver.class.getName(), null).length);
    }

    @Test
    public void shouldStartTheTlsBundleAndBouncyCastleTheHostStackBrings() {
        // The tcp transport's and the target's TLS channel, and the BouncyCastle bundles it imports.
        List<String> notActive = new ArrayList<>(List.of("dev.nvmeof.tls", "bctls", "bcutil", "bcprov"));
        for (Bundle bundle : context.getBundles()) {
            if (bundle.getState() == Bundle.ACTIVE) {
                notActive.remove(bundle.getSymbolicName());
            }
        }
        assertTrue("not active: " + notActive, notActive.isEmpty());
    }

    @Test
    public void shouldCarryVerifiedIoOverTcpOffloadThroughTheZenithDriver() throws Exception {
        int port;
        try (LogLines log = new LogLines(logReader)) {
            log.await("dev.nvmeof.offload", "offload driver " + ZENITH + " added", WAIT_SECONDS);
            log.await("dev.nvmeof.target", "added namespace 1 ", WAIT_SECONDS);
            port = service(NvmeTarget.class).listeners().get(0).getPort();
        }
        NvmeHost host = service(NvmeHost.class);

        NvmeController controller = host.connect(ConnectOptions.parse("transport=tcp_offload,traddr=127.0.0.1,trsvcid="
                + port + ",nqn=" + NQN + ",nr_io_queues=2"));
        try {
            assertEquals("tcp_offload via " + ZENITH + " from 127.0.0.2: " + ZENITH + " won: the only claim",
                    controller.transportDescription());
            BlockDevice device = controller.namespaces().get(0).device();
            VerifiedWorkload workload = VerifiedWorkload.on(device, VerifiedWorkload.Settings.defaults()
                    .withBounds(2_000, Duration.ofSeconds(30), Duration.ofSeconds(WAIT_SECONDS)));

            VerifiedWorkload.Result result = workload.start().get(60, TimeUnit.SECONDS);
            assertTrue("every write done, none hung: " + result, result.allDone());
            assertEquals("no write failed: " + result.firstFailure(), 0, result.failed());
            assertTrue(result.toString(), result.acknowledged() > 0);
            VerifiedWorkload.Verification verification = workload.verify(Duration.ofSeconds(60));
            assertEquals("first mismatch: " + verification.firstMismatch(), 0, verification.mismatches());
            assertTrue(verification.toString(), verification.chunksChecked() > 0);
        } finally {
            controller.disconnect();
        }
    }

    private <T> T service(Class<T> type) throws InterruptedException {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context, type, null);
        tracker.open();
        try {
            T service = tracker.waitForService(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            assertNotNull("no " + type.getSimpleName() + " service within " + WAIT_SECONDS + " s", service);
            return service;
        } finally {
            tracker.close();
        }
    }

    private ServiceReference<?> await(String filter) throws Exception {
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context, context.createFilter(filter), null);
        tracker.open();
        try {
            assertNotNull("no service " + filter + " within " + WAIT_SECONDS + " s",
                    tracker.waitForService(TimeUnit.SECONDS.toMillis(WAIT_SECONDS)));
            return tracker.getServiceReference();
        } finally {
            tracker.close();
        }
    }
}
