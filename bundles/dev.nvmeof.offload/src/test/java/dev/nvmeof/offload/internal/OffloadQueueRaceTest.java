package dev.nvmeof.offload.internal;

import static dev.nvmeof.offload.internal.OffloadTransportTest.options;
import static dev.nvmeof.offload.internal.OffloadTransportTest.queue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nvmeof.api.NvmeTransportException;
import dev.nvmeof.spi.offload.OffloadQueue;
import dev.nvmeof.spi.offload.OffloadQueueHandle;
import dev.nvmeof.spi.transport.QueueCallbacks;
import dev.nvmeof.spi.transport.TransportAssociation;
import dev.nvmeof.spi.transport.TransportQueue;
import dev.nvmeof.spi.transport.TransportRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A driver leaving, a queue closing or failing while requests are submitted and completed on other threads. */
class OffloadQueueRaceTest {

    private static final long WAIT_SECONDS = 10;
    private static final int SUBMITTERS = 4;
    private static final int REQUESTS_PER_SUBMITTER = 20_000;

    private final OffloadTransport transport = new OffloadTransport();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() throws InterruptedException {
        threads.shutdownNow();
        assertTrue(threads.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS));
    }

    /** The core's side, thread-safe: each request completed at most once, nothing after the failure. */
    static final class CoreCallbacks implements QueueCallbacks {
        final Set<TransportRequest> completed = ConcurrentHashMap.newKeySet();
        final AtomicInteger doubles = new AtomicInteger();
        final AtomicInteger afterFailure = new AtomicInteger();
        final AtomicInteger failures = new AtomicInteger();
        final AtomicReference<NvmeTransportException> failure = new AtomicReference<>();
        final CountDownLatch firstCompletions;
        volatile boolean failed;

        CoreCallbacks(int firstCompletions) {
            this.firstCompletions = new CountDownLatch(firstCompletions);
        }

        @Override
        public void completed(TransportRequest request) {
            if (failed) {
                afterFailure.incrementAndGet();
            }
            if (!completed.add(request)) {
                doubles.incrementAndGet();
            }
            firstCompletions.countDown();
        }

        @Override
        public void failed(NvmeTransportException cause) {
            failure.set(cause);
            failed = true;
            failures.incrementAndGet();
        }
    }

    /**
     * Hardware completing on its own thread, in order; its drain stops that thread and waits for it, leaving what was
     * not completed yet to the core. Counts every call made after its drain began.
     */
    static final class ThreadedQueue implements OffloadQueue {
        private static final TransportRequest STOP = new TransportRequest();
        final OffloadQueueHandle handle;
        final BlockingQueue<TransportRequest> ring = new LinkedBlockingQueue<>();
        final AtomicInteger completedByHardware = new AtomicInteger();
        final AtomicInteger callsAfterDrain = new AtomicInteger();
        final AtomicInteger destroyed = new AtomicInteger();
        final Thread completer;
        volatile boolean stopping;

        ThreadedQueue(OffloadQueueHandle handle) {
            this.handle = handle;
            this.completer = new Thread(this::complete, "fake-hardware");
            completer.setDaemon(true);
            completer.start();
        }

        private void complete() {
            try {
                while (true) {
                    TransportRequest request = ring.take();
                    if (stopping || request == STOP) {
                        return;
                    }
                    request.complete(0, 0, 0);
                    completedByHardware.incrementAndGet();
                    handle.completed(request);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void sendReq(TransportRequest request) {
            if (stopping) {
                callsAfterDrain.incrementAndGet();
            }
            ring.add(request);
        }

        @Override
        public int pollQueue() {
            if (stopping) {
                callsAfterDrain.incrementAndGet();
            }
            return 0;
        }

        @Override
        public void drainQueue() {
            if (stopping) {
                callsAfterDrain.incrementAndGet();
                return;
            }
            stopping = true;
            ring.add(STOP);
            try {
                completer.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (completer.isAlive()) {
                throw new AssertionError("the fake hardware did not stop");
            }
        }

        @Override
        public void destroyQueue() {
            destroyed.incrementAndGet();
        }
    }

    @Test
    void shouldLoseNoRequestCompleteNoneTwiceAndCallNothingAfterRemovalWhenADriverLeavesUnderLoad()
            throws Exception {
        FakeDriver driver = new FakeDriver("p1p1");
        driver.queueFactory = ThreadedQueue::new;
        transport.addDriver(driver, 0, 1);
        TransportAssociation association = transport.associate(options());
        CoreCallbacks core = new CoreCallbacks(1_000);
        TransportQueue queue = association.createQueue(queue(1), core);
        ThreadedQueue hardware = (ThreadedQueue) driver.created.get(0);

        CountDownLatch start = new CountDownLatch(1);
        List<Future<Set<TransportRequest>>> submitters = new ArrayList<>();
        for (int t = 0; t < SUBMITTERS; t++) {
            submitters.add(threads.submit(() -> {
                Set<TransportRequest> submitted = ConcurrentHashMap.newKeySet();
                start.await(WAIT_SECONDS, TimeUnit.SECONDS);
                for (int i = 0; i < REQUESTS_PER_SUBMITTER; i++) {
                    TransportRequest request = new TransportRequest();
                    submitted.add(request);
                    queue.submit(request);
                    if ((i & 63) == 0) {
                        queue.poll();
                    }
                }
                return submitted;
            }));
        }
        start.countDown();
        assertTrue(core.firstCompletions.await(WAIT_SECONDS, TimeUnit.SECONDS), "no completions");

        transport.removeDriver(driver);
        int callsAtRemoval = driver.calls.get();
        assertEquals(1, hardware.destroyed.get());
        assertEquals(1, core.failures.get(), "the core hears failed once, when removeDriver returns");
        assertTrue(core.failure.get().getMessage().contains("offload device p1p1 left"),
                core.failure.get().getMessage());

        Set<TransportRequest> submitted = ConcurrentHashMap.newKeySet();
        for (Future<Set<TransportRequest>> submitter : submitters) {
            submitted.addAll(submitter.get(WAIT_SECONDS, TimeUnit.SECONDS));
        }
        assertEquals(SUBMITTERS * REQUESTS_PER_SUBMITTER, submitted.size());
        assertEquals(0, hardware.callsAfterDrain.get(), "the driver was called after its queue was drained");
        assertEquals(callsAtRemoval, driver.calls.get(), "the driver was called after removeDriver returned");
        assertEquals(1, core.failures.get(), "submits after the removal fail the queue only once");
        assertEquals(0, core.doubles.get(), "completed twice");
        assertEquals(0, core.afterFailure.get(), "completed after failed");
        // Nothing completed by the hardware was dropped; everything else is the core's again (it heard failed).
        assertEquals(hardware.completedByHardware.get(), core.completed.size());
        assertTrue(submitted.containsAll(core.completed));
    }

    @Test
    void shouldFailTheCoreOnceAndSendNothingWhenSubmittingAfterClose() throws Exception {
        FakeDriver driver = new FakeDriver("p1p1");
        transport.addDriver(driver, 0, 1);
        try (TransportAssociation association = transport.associate(options())) {
            CoreCallbacks core = new CoreCallbacks(0);
            TransportQueue queue = association.createQueue(queue(2), core);
            queue.close();
            int calls = driver.calls.get();
            queue.submit(new TransportRequest());
            queue.submit(new TransportRequest());
            assertEquals(0, queue.poll());
            assertEquals(1, core.failures.get());
            assertEquals("connection lost: offload device p1p1 queue 2: queue 2 is closed",
                    core.failure.get().getMessage());
            assertTrue(driver.queues.get(0).sent.isEmpty());
            assertEquals(calls, driver.calls.get());
        }
    }

    @Test
    void shouldDeliverACompletionInProgressBeforeTheFailureReportedMeanwhile() throws Exception {
        FakeDriver driver = new FakeDriver("p1p1");
        transport.addDriver(driver, 0, 1);
        try (TransportAssociation association = transport.associate(options())) {
            CountDownLatch inCompletion = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            List<String> seen = new ArrayList<>();
            QueueCallbacks core = new QueueCallbacks() {
                @Override
                public void completed(TransportRequest request) {
                    inCompletion.countDown();
                    await(release);
                    synchronized (seen) {
                        seen.add("completed");
                    }
                }

                @Override
                public void failed(NvmeTransportException cause) {
                    synchronized (seen) {
                        seen.add("failed: " + cause.getMessage());
                    }
                }
            };
            association.createQueue(queue(1), core);
            OffloadQueueHandle handle = driver.queues.get(0).handle;
            Future<?> completion = threads.submit(() -> handle.completed(new TransportRequest()));
            assertTrue(inCompletion.await(WAIT_SECONDS, TimeUnit.SECONDS));

            handle.reportError(new IllegalStateException("link down"));
            synchronized (seen) {
                assertTrue(seen.isEmpty(), "failed must wait for the completion in progress: " + seen);
            }
            handle.completed(new TransportRequest());
            release.countDown();
            completion.get(WAIT_SECONDS, TimeUnit.SECONDS);
            synchronized (seen) {
                assertEquals(List.of("completed", "failed: connection lost: offload device p1p1 queue 1: link down"),
                        seen);
            }
        }
    }

    @Test
    void shouldNeverCallADriverAfterRemoveDriverReturnsWhileASetupIsInProgress() throws Exception {
        FakeDriver driver = new FakeDriver("p1p1");
        CountDownLatch inSetup = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        driver.duringSetup = () -> {
            inSetup.countDown();
            await(release);
        };
        transport.addDriver(driver, 0, 1);
        Future<TransportAssociation> connecting = threads.submit(() -> transport.associate(options()));
        assertTrue(inSetup.await(WAIT_SECONDS, TimeUnit.SECONDS));
        CountDownLatch removing = new CountDownLatch(1);
        Future<Integer> removal = threads.submit(() -> {
            removing.countDown();
            transport.removeDriver(driver);
            return driver.calls.get();
        });
        assertTrue(removing.await(WAIT_SECONDS, TimeUnit.SECONDS));
        release.countDown();
        int callsWhenRemoved = removal.get(WAIT_SECONDS, TimeUnit.SECONDS);

        TransportAssociation association = connecting.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertFalse(association == null);
        assertEquals(1, driver.controllersClosed, "the controller set up meanwhile is released by the removal");
        CoreCallbacks core = new CoreCallbacks(0);
        try {
            association.createQueue(queue(1), core);
        } catch (NvmeTransportException expected) {
            assertTrue(expected.getMessage().contains("p1p1"), expected.getMessage());
        }
        association.close();
        assertEquals(callsWhenRemoved, driver.calls.get());
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("not released within " + WAIT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
