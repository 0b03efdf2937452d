package dev.nvmeof.itest;

import static dev.nvmeof.itest.OffloadFramework.ACME;
import static dev.nvmeof.itest.OffloadFramework.ACME_BUNDLE;
import static dev.nvmeof.itest.OffloadFramework.VORTEX;
import static dev.nvmeof.itest.OffloadFramework.VORTEX_BUNDLE;
import static dev.nvmeof.itest.InFramework.WAIT_SECONDS;
import static dev.nvmeof.itest.InFramework.awaitService;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.log.LogReaderService;

import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.ControllerListener;
import dev.nvmeof.api.ControllerState;
import dev.nvmeof.api.NvmeController;
import dev.nvmeof.api.NvmeHost;
import dev.nvmeof.testkit.driver.MixedVerifiedLoad;
import dev.nvmeof.testkit.driver.SwapMeasurement;
import dev.nvmeof.testkit.driver.SwapMeasurement.Figures;

/**
 * Hot-swapping the serving driver bundle in Felix under verified load, with default options: QD32 mixed reads and
 * writes on 2 I/O queues over {@code tcp_offload}, the driver bundle carrying the controller stopped and started,
 * updated, or uninstalled and installed again, {@value #SWAPS} times (more with {@code -Dnvmeof.hotswap.swaps}).
 * Every acknowledged write reads back; no caller sees an error; the I/O pause of each swap (the longest gap between
 * two completions) is reported, and each stays under 2 s, which no {@code reconnect_delay} wait (10 s) could; so is
 * the time from each swap's start until a 10 ms window after its pause runs at 90 % of the IOPS of the 200 ms before
 * it (benchmark f's "time to 90 %"). And after swaps, a driver bundle uninstalled leaves no thread and its class
 * loader is collected.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class HotSwapIT {
    private static final String NQN = "nqn.2026-12.dev.nvmeof:hot-swap";
    private static final int SWAPS = Integer.getInteger("nvmeof.hotswap.swaps", 100);
    private static final long PAUSE_BOUND_MILLIS = 2_000;
    private static final int QUEUE_DEPTH = 32;
    private static final int BLOCK_BYTES = 4096;

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    @Inject
    private LogReaderService logReader;

    private OffloadFramework stack;

    @Configuration
    public Option[] config() {
        // INFO: the ULP logs each driver it binds, which is what a swap waits for.
        return OptionUtils.combine(StackOptions.stack(),
                frameworkProperty("org.osgi.service.log.admin.loglevel").value("INFO"),
                systemProperty("nvmeof.hotswap.swaps").value(System.getProperty("nvmeof.hotswap.swaps", "100")),
                systemProperty("nvmeof.hotswap.trace").value(System.getProperty("nvmeof.hotswap.trace", "false")));
    }

    @Before
    public void listenToTheUlp() {
        stack = new OffloadFramework(context, configurationAdmin, logReader);
    }

    @After
    public void stopListening() {
        stack.close();
    }

    @Test
    public void shouldSwapTheServingDriverUnderMixedVerifiedLoadWithNoCallerErrorAndShortPauses() throws Exception {
        NvmeController controller = startStackAndConnect();
        MixedVerifiedLoad load = new MixedVerifiedLoad(controller.namespaces().get(0).device(), QUEUE_DEPTH, 64, BLOCK_BYTES)
                .start();
        long running = System.nanoTime();
        assertTrue("the load runs", load.awaitProgress(1000, WAIT_SECONDS, TimeUnit.SECONDS));
        SwapMeasurement swaps = new SwapMeasurement(load, 2 * QUEUE_DEPTH, WAIT_SECONDS);
        assertTrue("the load runs steadily", swaps.warmUp(running));

        for (int swap = 0; swap < SWAPS; swap++) {
            String serving = controller.transportDescription();
            boolean acmeServes = serving.startsWith("tcp_offload via " + ACME);
            Bundle driver = stack.bundle(acmeServes ? ACME_BUNDLE : VORTEX_BUNDLE);
            String device = acmeServes ? ACME : VORTEX;
            int kind = swap % 3;
            SwapMeasurement.Measured measured = swaps.measure(() -> {
                switch (kind) {
                    case 0 -> {
                        driver.stop();
                        driver.start();
                    }
                    case 1 -> driver.update();
                    default -> {
                        String location = driver.getLocation();
                        driver.uninstall();
                        context.installBundle(location).start();
                    }
                }
                stack.awaitUlpBound(device);
            });
            assertNotNull("swap " + swap + ": I/O did not flow again: " + load.firstError(), measured);
            if (Boolean.getBoolean("nvmeof.hotswap.trace")) {
                System.out.println("swap " + swap + " (" + driver.getSymbolicName() + ", kind " + kind + "): pause "
                        + measured.pauseMillis() + " ms, 90 % of " + Math.round(measured.perSecondBefore())
                        + " IOPS after " + (measured.back() ? measured.recoveryMillis() + " ms"
                                : "more than the settling time") + ", cause " + controller.lastFailure() + ", now "
                        + controller.transportDescription());
            }
            assertNull("swap " + swap + ": " + load.firstError(), load.firstError());
        }
        assertTrue("the load stopped", load.stop(WAIT_SECONDS, TimeUnit.SECONDS));
        assertNull(load.firstError());
        assertEquals("every acknowledged write reads back", List.of(),
                load.verifyAll(WAIT_SECONDS, TimeUnit.SECONDS));
        assertEquals(ControllerState.LIVE, controller.state());

        SwapMeasurement.Figures f = swaps.figures();
        long max = f.pause(1);
        System.out.println("hot swap: " + SWAPS + " swaps under QD" + QUEUE_DEPTH + " verified I/O, pause per swap"
                + " p50 " + f.pause(0.5) + " ms, p90 " + f.pause(0.9) + " ms, max " + max + " ms; "
                + "time to 90 % of the IOPS before it p50 " + Figures.millis(f.recovery(0.5)) + ", p90 "
                + Figures.millis(f.recovery(0.9)) + ", max " + Figures.millis(f.recovery(1)) + " (" + f.notBack()
                + " not back within " + SwapMeasurement.SETTLE_SECONDS + " s of I/O); " + load.completions()
                + " I/Os");
        assertTrue("a swap paused I/O for " + max + " ms: " + Arrays.toString(f.pauses()),
                max < PAUSE_BOUND_MILLIS);
        fullRefresh();
    }

    @Test
    public void shouldLeaveNoThreadAndNoClassLoaderOfAnUninstalledDriverAfterSwaps() throws Exception {
        NvmeController controller = startStackAndConnect();
        MixedVerifiedLoad load = new MixedVerifiedLoad(controller.namespaces().get(0).device(), 8, 16, BLOCK_BYTES).start();
        for (int swap = 0; swap < 10; swap++) { // the serving driver each time: both carry queues in turn
            boolean acmeServes = controller.transportDescription().startsWith("tcp_offload via " + ACME);
            Bundle serving = stack.bundle(acmeServes ? ACME_BUNDLE : VORTEX_BUNDLE);
            serving.stop();
            serving.start();
            stack.awaitUlpBound(acmeServes ? ACME : VORTEX);
            assertTrue(load.awaitProgress(16, WAIT_SECONDS, TimeUnit.SECONDS));
        }
        assertTrue(load.stop(WAIT_SECONDS, TimeUnit.SECONDS));
        assertNull(load.firstError());

        Bundle acme = stack.bundle(ACME_BUNDLE);
        ReferenceQueue<ClassLoader> collected = new ReferenceQueue<>();
        WeakReference<ClassLoader> loader = new WeakReference<>(acme.adapt(BundleWiring.class).getClassLoader(),
                collected);
        acme.uninstall();
        fullRefresh();

        List<String> left = new ArrayList<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.isAlive() && (thread.getName().contains(ACME)
                    || thread.getContextClassLoader() == loader.get())) {
                left.add(thread.getName());
            }
        }
        assertEquals("threads of the uninstalled driver", List.of(), left);
        Reference<? extends ClassLoader> gone = null;
        for (int round = 0; round < 50 && gone == null; round++) {
            System.gc();
            gone = collected.remove(100);
        }
        assertNotNull("the uninstalled driver's class loader is still reachable after GC", gone);
        awaitLive(controller);
        assertTrue("the controller went on over vortex: " + controller.transportDescription(),
                controller.transportDescription().startsWith("tcp_offload via " + VORTEX));
    }

    // ---- the stack ----

    /** The offload stack (acme wins on link speed), both drivers bound; a controller with default options. */
    private NvmeController startStackAndConnect() throws Exception {
        InetSocketAddress target = stack.start(NQN, "16M");
        NvmeHost host = awaitService(context, NvmeHost.class);
        NvmeController controller = host.connect(ConnectOptions.parse("transport=tcp_offload,traddr=127.0.0.1,"
                + "trsvcid=" + target.getPort() + ",nqn=" + NQN + ",nr_io_queues=2"));
        assertEquals(2, controller.ioQueueCount());
        return controller;
    }

    /** Waits (bounded) until {@code controller} is LIVE (a failover may still be connecting). */
    private void awaitLive(NvmeController controller) throws Exception {
        NvmeHost host = awaitService(context, NvmeHost.class);
        CompletableFuture<Void> live = new CompletableFuture<>();
        ControllerListener listener = event -> {
            if (event.controller() == controller && event.to() == ControllerState.LIVE) {
                live.complete(null);
            }
        };
        host.addListener(listener);
        try {
            if (controller.state() != ControllerState.LIVE) {
                live.get(WAIT_SECONDS, TimeUnit.SECONDS);
            }
        } finally {
            host.removeListener(listener);
        }
    }

    /** Refreshes every bundle pending removal (old revisions of updated or uninstalled bundles), bounded. */
    private void fullRefresh() throws Exception {
        CompletableFuture<Void> refreshed = new CompletableFuture<>();
        context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(null, event -> {
            if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
                refreshed.complete(null);
            } else {
                refreshed.completeExceptionally(new AssertionError("refresh: " + event));
            }
        });
        try {
            refreshed.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            fail("the framework did not refresh within " + WAIT_SECONDS + " s");
        }
    }
}
