package dev.nvmeof.driver.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.nvmeof.nic.emulated.NicCapabilities;
import dev.nvmeof.nic.emulated.NicFunction;
import dev.nvmeof.protocol.ConnectDataFlyweight;
import dev.nvmeof.protocol.ControllerProperty;
import dev.nvmeof.protocol.FabricsCommands;
import dev.nvmeof.spi.offload.ConnectRequest;
import dev.nvmeof.spi.offload.OffloadController;
import dev.nvmeof.spi.offload.OffloadQueue;
import dev.nvmeof.spi.offload.OffloadQueueHandle;
import dev.nvmeof.protocol.DataDirection;
import dev.nvmeof.spi.transport.QueueParameters;
import dev.nvmeof.spi.transport.TransportRequest;
import dev.nvmeof.target.NamespaceConfig;
import dev.nvmeof.target.NvmeTarget;
import dev.nvmeof.target.SubsystemConfig;
import dev.nvmeof.target.TargetOptions;

/**
 * The queue contract over a real admin queue to our target on 127.0.0.1 (a polling vortex NIC on 127.0.0.2): each
 * request completes exactly once, also when several threads send at once; a failure is reported once with its
 * cause; after a drain nothing more is delivered; destroying returns the queue to the device.
 */
class NicQueueTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** The ULP's side: every completion and error, in order. */
    static final class RecordingHandle implements OffloadQueueHandle {
        final List<TransportRequest> completed = new CopyOnWriteArrayList<>();
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        final CountDownLatch failed = new CountDownLatch(1);

        @Override
        public void completed(TransportRequest request) {
            completed.add(request);
        }

        @Override
        public void reportError(Throwable cause) {
            errors.add(cause);
            failed.countDown();
        }
    }

    private NvmeTarget target;
    private NicFunction nic;
    private NicOffloadDriver driver;
    private OffloadController controller;
    private final RecordingHandle handle = new RecordingHandle();

    @BeforeEach
    void start() throws Exception {
        target = NvmeTarget.start(TargetOptions.defaults().withEventLoops(1));
        target.addSubsystem(SubsystemConfig.of("testnqn", NamespaceConfig.ram(1, 1 << 20, 512)));
        InetSocketAddress address = target.listen(new InetSocketAddress("127.0.0.1", 0));
        nic = NicFunction.start(new NicCapabilities(0x1F7A, 0x0200, "V1", 100_000, 4, 1 << 20, 64, true), 1);
        nic.netDevice().addAddress("p1p1", "127.0.0.2/24");
        driver = new NicOffloadDriver(NicOffloadDriverTest.VORTEX, nic);
        ConnectRequest request = NicOffloadDriverTest.request("127.0.0.1", "");
        request = new ConnectRequest(request.options(), address, null, null, request.requested());
        controller = driver.setupCtrl(request, driver.claimDev(request).orElseThrow());
    }

    @AfterEach
    void stop() {
        controller.close();
        nic.close();
        target.close();
    }

    private OffloadQueue adminQueue(boolean polled) throws Exception {
        return controller.createQueue(new QueueParameters(0, 32, 8192, false, false, polled, WAIT), handle);
    }

    private static TransportRequest connect() {
        TransportRequest request = new TransportRequest();
        FabricsCommands.connect(request.sqe(), 31, 0, 31, 0, 0);
        ByteBuffer data = ByteBuffer.allocate(ConnectDataFlyweight.LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        UUID host = UUID.randomUUID();
        new ConnectDataFlyweight().wrap(data, 0).set(host, 0xFFFF, "testnqn", "nqn.2014-08.org.nvmexpress:uuid:"
                + host);
        return request.data(data, DataDirection.HOST_TO_CONTROLLER);
    }

    private static TransportRequest propertyGetCap(int cid) {
        TransportRequest request = new TransportRequest();
        FabricsCommands.propertyGet(request.sqe(), cid, ControllerProperty.CAP);
        return request;
    }

    /** A polled queue's completions arrive only when polled: poll until {@code done}, within {@link #WAIT}. */
    private static void pollUntil(OffloadQueue queue, BooleanSupplier done) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!done.getAsBoolean()) {
            queue.pollQueue();
            if (System.nanoTime() - deadline > 0) {
                fail("not done within " + WAIT);
            }
            Thread.onSpinWait();
        }
    }

    @Test
    void shouldCompleteEveryRequestExactlyOnceWhenSeveralThreadsSendToAPolledQueue() throws Exception {
        OffloadQueue queue = adminQueue(true);
        TransportRequest connect = connect();
        queue.sendReq(connect);
        pollUntil(queue, () -> handle.completed.size() == 1);
        assertEquals(0, connect.status());

        List<TransportRequest> requests = new ArrayList<>();
        for (int cid = 0; cid < 24; cid++) {
            requests.add(propertyGetCap(cid));
        }
        List<CompletableFuture<Void>> senders = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            List<TransportRequest> share = requests.subList(t * 6, t * 6 + 6);
            senders.add(CompletableFuture.runAsync(() -> share.forEach(queue::sendReq)));
        }
        CompletableFuture.allOf(senders.toArray(new CompletableFuture[0])).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        pollUntil(queue, () -> handle.completed.size() == 25);

        Map<TransportRequest, Integer> times = new IdentityHashMap<>();
        handle.completed.subList(1, 25).forEach(r -> times.merge(r, 1, Integer::sum));
        assertEquals(24, times.size(), "every request completed");
        assertTrue(times.values().stream().allMatch(n -> n == 1), "exactly once: " + times.values());
        assertTrue(requests.stream().allMatch(r -> r.status() == 0 && r.dw0() != 0), "CAP read by every request");
        assertTrue(handle.errors.isEmpty(), handle.errors.toString());
    }

    @Test
    void shouldPublishWhatCompletionCodeSendsOnTheInterruptThreadWhenItsReapEnds() throws Exception {
        int chains = 8;
        int rounds = 50;
        CountDownLatch connected = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(chains);
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        OffloadQueue[] self = new OffloadQueue[1];
        int[] left = new int[chains];
        OffloadQueueHandle resending = new OffloadQueueHandle() {
            @Override
            public void completed(TransportRequest request) {
                int cid = request.sqe().cid();
                if (cid == 31) {
                    connected.countDown();
                    return;
                }
                if (request.status() != 0 || request.dw0() == 0) {
                    errors.add(new AssertionError("CID " + cid + ": status " + request.status()));
                }
                threads.add(Thread.currentThread().getName());
                if (--left[cid] > 0) {
                    self[0].sendReq(propertyGetCap(cid)); // the next of this chain, from completion code
                } else {
                    done.countDown();
                }
            }

            @Override
            public void reportError(Throwable cause) {
                errors.add(cause);
            }
        };
        self[0] = controller.createQueue(new QueueParameters(0, 32, 8192, false, false, false, WAIT), resending);
        self[0].sendReq(connect());
        assertTrue(connected.await(WAIT.toSeconds(), TimeUnit.SECONDS), "connected");

        for (int cid = 0; cid < chains; cid++) {
            left[cid] = rounds;
            self[0].sendReq(propertyGetCap(cid));
        }

        assertTrue(done.await(WAIT.toSeconds(), TimeUnit.SECONDS), "every chain ran to its end: none was left"
                + " unpublished");
        assertTrue(errors.isEmpty(), errors.toString());
        assertEquals(chains * rounds, threads.size());
        assertTrue(threads.stream().allMatch(t -> t.startsWith("irq/")), "on the interrupt thread");
    }

    @Test
    void shouldReportTheFailureOnceWithItsCauseWhenTheControllerGoes() throws Exception {
        OffloadQueue queue = adminQueue(false);

        target.close();

        assertTrue(handle.failed.await(WAIT.toSeconds(), TimeUnit.SECONDS), "no error reported");
        queue.sendReq(propertyGetCap(0)); // ignored: the ULP owns its requests again
        queue.drainQueue();
        assertEquals(1, handle.errors.size());
        assertTrue(handle.errors.get(0).getMessage().contains("the controller closed the connection"),
                handle.errors.get(0).getMessage());
    }

    @Test
    void shouldReportAPolledQueueFailureWithItsCauseWhenPolled() throws Exception {
        OffloadQueue queue = adminQueue(true);

        target.close();

        pollUntil(queue, () -> !handle.errors.isEmpty());
        assertTrue(handle.errors.get(0).getMessage().contains("the controller closed the connection"),
                handle.errors.get(0).getMessage());
    }

    @Test
    void shouldDeliverNothingAfterADrainAndReturnTheQueueWhenDestroyed() throws Exception {
        OffloadQueue queue = adminQueue(true);
        assertEquals(1, driver.activeQueues());

        queue.drainQueue();
        queue.sendReq(connect());

        assertEquals(0, queue.pollQueue());
        assertTrue(handle.completed.isEmpty() && handle.errors.isEmpty());
        queue.destroyQueue();
        queue.destroyQueue();
        assertEquals(0, driver.activeQueues());
        assertEquals(4, driver.freeHardwareVectors());
    }
}
