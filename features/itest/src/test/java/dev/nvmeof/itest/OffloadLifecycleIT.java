package dev.nvmeof.itest;

import static dev.nvmeof.itest.InFramework.WAIT_SECONDS;
import static dev.nvmeof.itest.InFramework.awaitService;

import static dev.nvmeof.itest.OffloadFramework.ACME;
import static dev.nvmeof.itest.OffloadFramework.ACME_BUNDLE;
import static dev.nvmeof.itest.OffloadFramework.ACME_SERIAL;
import static dev.nvmeof.itest.OffloadFramework.VORTEX;
import static dev.nvmeof.itest.OffloadFramework.VORTEX_BUNDLE;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

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
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.log.LogReaderService;

import dev.nvmeof.api.BlockDevice;
import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.ControllerState;
import dev.nvmeof.api.NvmeController;
import dev.nvmeof.api.NvmeHost;
import dev.nvmeof.api.NvmeStatusException;
import dev.nvmeof.protocol.NvmeStatus;
import dev.nvmeof.spi.offload.OffloadDriver;

/**
 * Driver bundles coming and going under the offload ULP in Felix, the stack configured by ConfigAdmin: the target on
 * 127.0.0.1 (ephemeral port), an Acme NIC function in slot 1 ({@code p1p1 127.0.0.2/24}, 100 Gb/s, so its claim wins
 * on link speed) and a Vortex one in slot 2 ({@code p2p1 127.0.0.3/24}, 25 Gb/s).
 *
 * <ul>
 * <li>Stopping the winning driver's bundle with no controller on it takes its claims away (a {@code tcp_offload}
 * connect goes to the other device, whose description names no other); starting it again brings them back (the
 * description names both, the winner with its reason).</li>
 * <li>A LIVE controller on the winner fails over to the other device when the winner's bundle stops under 200 writes
 * of 64 KiB at queue depth 8: every write completes, the region reads back as written. A controller with
 * {@code ctrl_loss_tmo=2} on the only device left ends DEAD when that bundle stops too, and its queued writes fail
 * with Host Path Error within a bounded time.</li>
 * </ul>
 *
 * <p>The ULP binds a driver service on the thread that registers it, possibly after this test saw the service; the
 * test waits (bounded) for the ULP's own log line about it, which follows the bind. {@code Bundle.stop()} returns
 * after the ULP's unbind (service events are synchronous), so nothing is awaited there; it runs on its own thread
 * and a stop that does not return in time fails the test with every thread's stack.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class OffloadLifecycleIT {
    private static final String NQN = "nqn.2026-11.dev.nvmeof:offload-lifecycle";
    /** Both names, the Acme claim winning on link speed. */
    private static final String ACME_WINS = "tcp_offload via " + ACME + " from 127.0.0.2: " + ACME
            + " won: link speed 100 Gb/s (" + VORTEX + ": 25 Gb/s); " + VORTEX + " lost: link speed 25 Gb/s ("
            + ACME + ": 100 Gb/s)";
    private static final String VORTEX_ALONE = "tcp_offload via " + VORTEX + " from 127.0.0.3: " + VORTEX
            + " won: the only claim";

    private static final int BLOCK_SIZE = 512;
    private static final int IO_SIZE = 64 * 1024;
    private static final int WRITES = 1000;
    private static final int QUEUE_DEPTH = 8;
    /** Ample for ctrl_loss_tmo=2 and reconnect_delay=1, far below a hang. */
    private static final long DEAD_WITHIN_SECONDS = 10;

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    @Inject
    private LogReaderService logReader;

    /** The offload ULP's log messages, in order. */
    private OffloadFramework stack;
    private final List<Writes> writers = new ArrayList<>();

    @Configuration
    public Option[] config() {
        // INFO: the ULP logs each driver it binds, which is what the test waits for (the default level is WARN).
        return OptionUtils.combine(StackOptions.stack(),
                frameworkProperty("org.osgi.service.log.admin.loglevel").value("INFO"));
    }

    @Before
    public void listenToTheUlp() {
        stack = new OffloadFramework(context, configurationAdmin, logReader);
    }

    @After
    public void stopWritersAndListener() throws Exception {
        stack.close();
        for (Writes writes : writers) {
            writes.thread.interrupt();
            writes.thread.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        }
    }

    @Test
    public void shouldDropAStoppedDriversClaimsAndRestoreThemWhenItStartsAgain() throws Exception {
        InetSocketAddress target = startStack();
        NvmeHost host = awaitService(context, NvmeHost.class);
        assertEquals(ACME_WINS, describeAConnect(host, target));

        Bundle acme = stack.bundle(ACME_BUNDLE);
        stop(acme);
        assertNull("the stopped bundle's driver is gone", context.getServiceReferences(OffloadDriver.class.getName(),
                "(nic.serial=" + ACME_SERIAL + ")"));
        assertEquals("a connect goes to the device left, which is the only one named", VORTEX_ALONE,
                describeAConnect(host, target));

        acme.start();
        stack.awaitUlpBound(ACME);
        assertEquals("the restarted driver's claim is back and wins again", ACME_WINS, describeAConnect(host, target));
    }

    @Test
    public void shouldFailOverALiveControllerUnderWritesAndEndDeadWhenTheLastDriverStops() throws Exception {
        InetSocketAddress target = startStack();
        NvmeHost host = awaitService(context, NvmeHost.class);

        // 1. Failover: the winner's bundle stops while writes are in flight.
        NvmeController controller = host.connect(options(target, "reconnect_delay=1,ctrl_loss_tmo=30"));
        assertEquals(ACME_WINS, controller.transportDescription());
        BlockDevice device = controller.namespaces().get(0).device();
        Writes writes = write(device, 1);
        AtomicInteger inFlightWhenTheDriverLeft = new AtomicInteger(-1);
        ServiceListener leaving = event -> {
            if (event.getType() == ServiceEvent.UNREGISTERING) {
                inFlightWhenTheDriverLeft.compareAndSet(-1, writes.inFlight());
            }
        };
        context.addServiceListener(leaving, "(&(objectClass=" + OffloadDriver.class.getName() + ")(nic.serial="
                + ACME_SERIAL + "))");
        try {
            writes.awaitRunning();
            stop(stack.bundle(ACME_BUNDLE));
        } finally {
            context.removeServiceListener(leaving);
        }
        List<Throwable> outcomes = writes.outcomes(WAIT_SECONDS);
        assertTrue("writes were in flight when the driver left: " + inFlightWhenTheDriverLeft,
                inFlightWhenTheDriverLeft.get() > 0);
        for (int i = 0; i < WRITES; i++) {
            assertNull("write " + i + " failed", outcomes.get(i));
        }
        assertEquals(ControllerState.LIVE, controller.state());
        assertEquals("failed over to the device left", VORTEX_ALONE, controller.transportDescription());
        readBack(device, 1);
        controller.disconnect();

        // 2. The last driver goes: a controller with a short ctrl_loss_tmo ends DEAD, its I/O fails with 0x370.
        NvmeController last = host.connect(options(target, "reconnect_delay=1,ctrl_loss_tmo=2"));
        assertEquals(VORTEX_ALONE, last.transportDescription());
        CountDownLatch withdrawn = new CountDownLatch(1);
        ServiceListener withdrawal = event -> {
            if (event.getType() == ServiceEvent.UNREGISTERING) {
                withdrawn.countDown();
            }
        };
        context.addServiceListener(withdrawal, "(&(objectClass=" + BlockDevice.class.getName() + ")("
                + BlockDevice.NAME + "=" + last.name() + "n1))");
        try {
            Writes doomed = write(last.namespaces().get(0).device(), 2);
            doomed.awaitRunning();
            long lost = System.nanoTime();
            stop(stack.bundle(VORTEX_BUNDLE));
            List<Throwable> failed = doomed.outcomes(DEAD_WITHIN_SECONDS);
            assertTrue("the block device was withdrawn", withdrawn.await(DEAD_WITHIN_SECONDS, TimeUnit.SECONDS));
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - lost);
            assertTrue("DEAD within " + DEAD_WITHIN_SECONDS + " s, took " + seconds + " s",
                    seconds < DEAD_WITHIN_SECONDS);
            assertEquals(ControllerState.DEAD, last.state());
            assertFalse(host.controllers().contains(last));
            int pathErrors = 0;
            for (int i = 0; i < WRITES; i++) {
                Throwable failure = failed.get(i);
                if (failure != null) {
                    assertHostPathError("write " + i, failure);
                    pathErrors++;
                }
            }
            assertTrue("the writes queued after the loss failed: " + pathErrors, pathErrors >= QUEUE_DEPTH);
            ByteBuffer late = ByteBuffer.allocate(IO_SIZE);
            assertHostPathError("a write after DEAD", outcome(last.namespaces().get(0).device()
                    .write(0, late, false), WAIT_SECONDS));
        } finally {
            context.removeServiceListener(withdrawal);
        }
    }

    // ---- the stack ----

    /** Target, both NIC functions (both drivers bound by the ULP); returns the target's listener. */
    private InetSocketAddress startStack() throws Exception {
        // Room for WRITES x IO_SIZE: enough writes that a bundle stop lands while they run, however fast the path.
        return stack.start(NQN, "64M");
    }

    private static ConnectOptions options(InetSocketAddress target, String more) throws Exception {
        return ConnectOptions.parse("transport=tcp_offload,traddr=127.0.0.1,trsvcid=" + target.getPort() + ",nqn="
                + NQN + ",nr_io_queues=2" + (more.isEmpty() ? "" : "," + more));
    }

    /** Connects, and disconnects again: the description of the association the ULP chose. */
    private static String describeAConnect(NvmeHost host, InetSocketAddress target) throws Exception {
        NvmeController controller = host.connect(options(target, ""));
        try {
            assertEquals(ControllerState.LIVE, controller.state());
            return controller.transportDescription();
        } finally {
            controller.disconnect();
        }
    }

    /** Stops a bundle on another thread; one that does not stop in time fails the test with every thread's stack. */
    private static void stop(Bundle bundle) throws Exception {
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        Thread stopper = new Thread(() -> {
            try {
                bundle.stop();
                stopped.complete(null);
            } catch (Throwable e) {
                stopped.completeExceptionally(e);
            }
        }, "stop " + bundle.getSymbolicName());
        stopper.setDaemon(true);
        stopper.start();
        try {
            stopped.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException hung) {
            fail(bundle.getSymbolicName() + " did not stop within " + WAIT_SECONDS + " s:\n" + threadDump());
        }
        assertEquals(Bundle.RESOLVED, bundle.getState());
    }

    private static String threadDump() {
        StringBuilder dump = new StringBuilder();
        for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
            dump.append('"').append(info.getThreadName()).append("\" ").append(info.getThreadState());
            if (info.getLockName() != null) {
                dump.append(" on ").append(info.getLockName());
            }
            if (info.getLockOwnerName() != null) {
                dump.append(" owned by \"").append(info.getLockOwnerName()).append('"');
            }
            dump.append('\n');
            for (StackTraceElement frame : info.getStackTrace()) {
                dump.append("    at ").append(frame).append('\n');
            }
        }
        return dump.toString();
    }

    // ---- I/O ----

    private Writes write(BlockDevice device, int seed) {
        Writes writes = new Writes(device, seed);
        writers.add(writes);
        writes.thread.start();
        return writes;
    }

    /** Reads the region back in {@link #IO_SIZE} pieces and compares it with what {@link Writes} wrote. */
    private static void readBack(BlockDevice device, int seed) throws Exception {
        for (int i = 0; i < WRITES; i++) {
            ByteBuffer read = ByteBuffer.allocate(IO_SIZE);
            assertNull("read " + i, outcome(device.read(lba(i), read), WAIT_SECONDS));
            assertEquals("block " + i + " reads back as written", pattern(seed, i), read.clear());
        }
    }

    private static long lba(int index) {
        return (long) index * (IO_SIZE / BLOCK_SIZE);
    }

    /** Write {@code index} of run {@code seed}: every long names both, and its offset. */
    private static ByteBuffer pattern(int seed, int index) {
        ByteBuffer buffer = ByteBuffer.allocate(IO_SIZE);
        for (int offset = 0; offset < IO_SIZE; offset += Long.BYTES) {
            buffer.putLong(((long) seed << 56) | ((long) index << 32) | offset);
        }
        return buffer.flip();
    }

    /** Null when the future succeeded within {@code seconds}, else why it failed. */
    private static Throwable outcome(CompletableFuture<Void> future, long seconds) throws Exception {
        try {
            future.get(seconds, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException failed) {
            return failed.getCause();
        }
    }

    private static void assertHostPathError(String what, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
                : failure;
        if (!(cause instanceof NvmeStatusException status)) {
            throw new AssertionError(what + " failed with " + cause, cause);
        }
        assertEquals(what + ": " + status.getMessage(), NvmeStatus.HOST_PATH_ERROR, status.status());
    }

    /**
     * {@link #WRITES} writes of {@link #IO_SIZE} to consecutive LBAs from LBA 0, at most {@link #QUEUE_DEPTH} in
     * flight, submitted from its own thread; records each write's outcome.
     */
    private static final class Writes {
        private final BlockDevice device;
        private final int seed;
        private final Semaphore slots = new Semaphore(QUEUE_DEPTH);
        private final AtomicInteger submitted = new AtomicInteger();
        private final AtomicInteger completed = new AtomicInteger();
        private final CountDownLatch progress = new CountDownLatch(QUEUE_DEPTH);
        private final List<CompletableFuture<Void>> done = new ArrayList<>();
        final Thread thread;

        Writes(BlockDevice device, int seed) {
            this.device = device;
            this.seed = seed;
            for (int i = 0; i < WRITES; i++) {
                done.add(new CompletableFuture<>());
            }
            thread = new Thread(this::run, "offload-lifecycle-writes-" + seed);
            thread.setDaemon(true);
        }

        private void run() {
            for (int i = 0; i < WRITES; i++) {
                int index = i;
                try {
                    if (!slots.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS)) {
                        failFrom(i, new TimeoutException("no write of " + QUEUE_DEPTH + " in flight completed within "
                                + WAIT_SECONDS + " s"));
                        return;
                    }
                } catch (InterruptedException e) {
                    failFrom(i, e);
                    return;
                }
                submitted.incrementAndGet();
                CompletableFuture<Void> write;
                try {
                    write = device.write(lba(index), pattern(seed, index), false);
                } catch (RuntimeException e) {
                    write = CompletableFuture.failedFuture(e);
                }
                write.whenComplete((ignored, failure) -> {
                    completed.incrementAndGet();
                    slots.release();
                    progress.countDown();
                    if (failure == null) {
                        done.get(index).complete(null);
                    } else {
                        done.get(index).completeExceptionally(failure);
                    }
                });
            }
        }

        private void failFrom(int first, Throwable why) {
            for (int i = first; i < WRITES; i++) {
                done.get(i).completeExceptionally(why);
            }
        }

        int inFlight() {
            return submitted.get() - completed.get();
        }

        /** Waits (bounded) until the first {@link #QUEUE_DEPTH} writes completed: the I/O path runs. */
        void awaitRunning() throws InterruptedException {
            assertTrue("not " + QUEUE_DEPTH + " writes completed within " + WAIT_SECONDS + " s",
                    progress.await(WAIT_SECONDS, TimeUnit.SECONDS));
        }

        /** Each write's failure, null where it succeeded; all must be done within {@code seconds}. */
        List<Throwable> outcomes(long seconds) throws Exception {
            try {
                CompletableFuture.allOf(done.toArray(new CompletableFuture<?>[0])).handle((v, e) -> null)
                        .get(seconds, TimeUnit.SECONDS);
            } catch (TimeoutException hung) {
                fail(done.stream().filter(f -> !f.isDone()).count() + " of " + WRITES + " writes not done within "
                        + seconds + " s (in flight " + inFlight() + ")");
            }
            List<Throwable> outcomes = new ArrayList<>();
            for (CompletableFuture<Void> future : done) {
                outcomes.add(outcome(future, 0));
            }
            return outcomes;
        }
    }
}
