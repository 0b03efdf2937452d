package dev.nvmeof.host.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.ControllerState;
import dev.nvmeof.api.IoRequest;
import dev.nvmeof.api.QueueCounts;
import dev.nvmeof.spi.transport.QueueParameters;
import dev.nvmeof.spi.transport.TransportLimits;

/**
 * nr_io_queues, nr_write_queues and nr_poll_queues against a fake transport: what Number of Queues asks, how the grant
 * splits, which queues are polled, where reads, writes and polled requests go, and that polled requests complete only
 * through {@code poll()}.
 */
class HostIoQueuesTest {
    private static final TransportLimits POLLING = new TransportLimits(8, 1 << 20, 1, true);

    private final HostFixture f = new HostFixture();

    private HostController connect(int io, int write, int poll) throws Exception {
        ConnectOptions.Builder options = f.options().nrIoQueues(io);
        if (write > 0) {
            options.nrWriteQueues(write);
        }
        if (poll > 0) {
            options.nrPollQueues(poll);
        }
        return f.connect(HostFixture.build(options));
    }

    private List<Boolean> polledFlags() {
        return f.transport.queueParameters().stream().map(QueueParameters::polled).toList();
    }

    @Test
    void shouldAskForEveryKindAndSplitTheGrant() throws Exception {
        f.transport.limits = POLLING;
        HostController c = connect(2, 1, 1);

        assertTrue(f.transport.commands().contains("q0 Set Features 7 0x30003"), "asks 2 + 1 + 1");
        assertEquals(new QueueCounts(1, 2, 1), c.queueCounts());
        assertEquals(4, c.ioQueueCount());
        assertEquals(List.of(false, false, false, false, true), polledFlags(), "admin, default, 2 read, poll");
        assertTrue(f.transport.commands().contains("q4 Connect qid=4 sqsize=127 kato=0"),
                "the poll queue's Connect completed by polling it");
    }

    @Test
    void shouldSplitAGrantBelowTheSumReadQueuesFirst() throws Exception {
        f.transport.limits = POLLING;
        f.target.grantedQueues = 3;
        HostController c = connect(2, 2, 1);

        assertTrue(f.transport.commands().contains("q0 Set Features 7 0x40004"), "asks 5");
        assertEquals(new QueueCounts(1, 2, 0), c.queueCounts());
        assertEquals(List.of(false, false, false, false), polledFlags());
    }

    @Test
    void shouldShareQueuesWhenNoMoreThanNrIoQueuesAreGranted() throws Exception {
        f.target.grantedQueues = 2;
        HostController c = connect(2, 2, 1);

        assertEquals(new QueueCounts(2, 0, 0), c.queueCounts());
    }

    @Test
    void shouldCapTheSumByTheTransportLimit() throws Exception {
        f.transport.limits = new TransportLimits(4, 1 << 20, 1, true);
        HostController c = connect(3, 0, 2);

        assertTrue(f.transport.commands().contains("q0 Set Features 7 0x30003"), "asks min(3 + 2, 4)");
        assertEquals(new QueueCounts(3, 0, 1), c.queueCounts());
        assertEquals(List.of(false, false, false, false, true), polledFlags());
    }

    @Test
    void shouldCreatePollQueuesUnpolledOnATransportThatCannotPoll() throws Exception {
        HostController c = connect(1, 0, 1);
        HostBlockDevice device = f.device();
        HostFixture.Counted read = new HostFixture.Counted();
        read.request.polled(true);

        device.submit(read.request.read(0, ByteBuffer.allocate(512)));

        assertEquals(new QueueCounts(1, 0, 1), c.queueCounts());
        assertEquals(List.of(false, false, false), polledFlags());
        assertEquals(1, f.transport.ioCommands(2), "still on the poll queue");
        assertEquals(1, read.completions.get(), "completed by the transport itself");
        assertEquals(0, device.poll());
    }

    @Test
    void shouldSendReadsToReadQueuesAndEverythingElseToDefaultQueues() throws Exception {
        connect(1, 1, 0); // QID 1 default (writes), QID 2 read
        HostBlockDevice device = f.device();
        HostFixture.Counted request = new HostFixture.Counted();
        ByteBuffer data = ByteBuffer.allocate(512);

        device.submit(request.request.write(0, data, false));
        device.submit(request.request.flush());
        device.submit(request.request.writeZeroes(1, 1, false));
        device.submit(request.request.read(0, data));

        assertEquals(3, f.transport.ioCommands(1));
        assertEquals(1, f.transport.ioCommands(2));
        assertEquals(4, request.completions.get());
    }

    @Test
    void shouldKeepARequestSubmittedFromACompletionCallbackOnTheQueueItCompletedOn() throws Exception {
        connect(2, 0, 0); // QIDs 1-2 default
        HostBlockDevice device = f.device();
        long self = Thread.currentThread().getId();
        int ours = (int) (self % 2) + 1;
        int other = 3 - ours;
        ExecutorService deliverer = null;
        for (int attempt = 0; attempt < 10 && deliverer == null; attempt++) {
            ExecutorService candidate = Executors.newSingleThreadExecutor();
            long id = candidate.submit(() -> Thread.currentThread().getId()).get(10, TimeUnit.SECONDS);
            if (id % 2 != self % 2) {
                deliverer = candidate; // a thread whose own queue is the other one, as a shared event loop's may be
            } else {
                candidate.shutdown();
            }
        }
        assertNotNull(deliverer, "no thread mapping to the other queue in ten tries");
        try {
            f.transport.holdIo = true;
            HostFixture.Counted next = new HostFixture.Counted();
            IoRequest first = new IoRequest().callback(r -> device.submit(next.request.read(1,
                    ByteBuffer.allocate(512))));
            device.submit(first.read(0, ByteBuffer.allocate(512)));
            f.transport.holdIo = false;
            deliverer.submit(() -> f.transport.queue(ours).completePending()).get(10, TimeUnit.SECONDS);

            assertEquals(1, next.completions.get());
            assertEquals(2, f.transport.ioCommands(ours), "the callback's read followed its queue");
            assertEquals(0, f.transport.ioCommands(other));
            HostFixture.Counted outside = new HostFixture.Counted();
            deliverer.submit(() -> device.submit(outside.request.read(2, ByteBuffer.allocate(512))))
                    .get(10, TimeUnit.SECONDS);
            assertEquals(1, f.transport.ioCommands(other), "outside a callback the thread's own queue");
        } finally {
            deliverer.shutdown();
        }
    }

    @Test
    void shouldCompleteAPolledRequestOnlyWhenItsThreadPolls() throws Exception {
        f.transport.limits = POLLING;
        connect(1, 1, 1); // QID 1 default, 2 read, 3 poll
        HostBlockDevice device = f.device();
        ByteBuffer pattern = ByteBuffer.allocate(1024);
        for (int i = 0; i < 1024; i++) {
            pattern.put(i, (byte) (i * 7));
        }
        device.write(4, pattern, false).join();
        AtomicReference<Thread> completedOn = new AtomicReference<>();
        IoRequest read = new IoRequest().polled(true).callback(r -> completedOn.set(Thread.currentThread()));
        ByteBuffer back = ByteBuffer.allocate(1024);

        device.submit(read.read(4, back));

        assertEquals(1, f.transport.ioCommands(3), "on the poll queue");
        assertEquals(1, f.transport.queue(3).reapable(), "answered, not completed");
        assertEquals(null, completedOn.get());
        assertEquals(1, device.poll());
        assertSame(Thread.currentThread(), completedOn.get());
        assertTrue(read.succeeded());
        assertArrayEquals(pattern.array(), back.array());
        assertEquals(0, device.poll(), "nothing more to reap");
    }

    @Test
    void shouldSendPolledWritesAndEveryPieceOfASplitPolledRequestToThePollQueue() throws Exception {
        f.transport.limits = new TransportLimits(8, 4096, 1, true);
        connect(2, 0, 1); // QIDs 1-2 default, 3 poll
        HostBlockDevice device = f.device();
        HostFixture.Counted write = new HostFixture.Counted();
        write.request.polled(true);

        device.submit(write.request.write(0, ByteBuffer.allocate(4 * 4096), false));

        assertEquals(4, f.transport.ioCommands(3));
        assertEquals(0, write.completions.get());
        assertEquals(4, device.poll(), "four commands");
        assertEquals(1, write.completions.get(), "one caller's completion");
        assertTrue(write.request.succeeded());
    }

    @Test
    void shouldTreatAPolledRequestAsOrdinaryIoWithoutPollQueues() throws Exception {
        f.transport.limits = POLLING;
        connect(2, 0, 0);
        HostBlockDevice device = f.device();
        HostFixture.Counted read = new HostFixture.Counted();
        read.request.polled(true);

        device.submit(read.request.read(0, ByteBuffer.allocate(512)));

        assertEquals(1, read.completions.get());
        assertEquals(0, device.poll());
        assertEquals(List.of(false, false, false), polledFlags());
    }

    @Test
    void shouldReissueAPolledRequestToItsSubmittersPollQueueAfterAReconnect() throws Exception {
        f.transport.limits = POLLING;
        HostController c = f.connect(HostFixture.build(f.options().nrIoQueues(1).nrPollQueues(2)
                .reconnectDelay(1))); // QID 1 default, 2-3 poll
        HostBlockDevice device = f.device();
        long self = Thread.currentThread().getId();
        ExecutorService submitter = null;
        for (int attempt = 0; attempt < 10 && submitter == null; attempt++) {
            ExecutorService candidate = Executors.newSingleThreadExecutor();
            long id = candidate.submit(() -> Thread.currentThread().getId()).get(10, TimeUnit.SECONDS);
            if (id % 2 != self % 2) {
                submitter = candidate; // its poll queue is not ours, the thread recovery reissues on
            } else {
                candidate.shutdown();
            }
        }
        assertNotNull(submitter, "a thread mapped to the other poll queue");
        try {
            ExecutorService other = submitter;
            int qid = 2 + (int) (other.submit(() -> Thread.currentThread().getId()).get(10, TimeUnit.SECONDS) % 2);
            f.transport.autoComplete = false;
            HostFixture.Counted read = new HostFixture.Counted();
            read.request.polled(true);
            other.submit(() -> device.submit(read.request.read(0, ByteBuffer.allocate(512))))
                    .get(10, TimeUnit.SECONDS);
            assertEquals(1, f.transport.ioCommands(qid));
            f.transport.autoComplete = true;

            f.transport.queue(qid).fail("connection reset");
            f.advance(Duration.ZERO);
            f.advance(Duration.ofSeconds(1)); // reconnect; the reissue runs on this thread

            assertEquals(ControllerState.LIVE, c.state());
            assertEquals(2, f.transport.ioCommands(qid), "reissued to the submitter's poll queue");
            assertEquals(0, device.poll(), "not on this thread's poll queue");
            assertEquals(0, read.completions.get());
            assertEquals(1, other.submit(device::poll).get(10, TimeUnit.SECONDS));
            assertEquals(1, read.completions.get());
            assertTrue(read.request.succeeded());
        } finally {
            submitter.shutdown();
        }
    }

    @Test
    void shouldNotAllocateOnTheSubmitAndPollPathsOfReusedRequests() throws Exception {
        f.transport.limits = POLLING;
        connect(1, 1, 1);
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        HostBlockDevice device = f.device();
        ByteBuffer data = ByteBuffer.allocateDirect(4096);
        int[] done = new int[1];
        IoRequest plain = new IoRequest().callback(r -> done[0]++);
        IoRequest polled = new IoRequest().polled(true).callback(r -> done[0]++);
        int rounds = 20_000;
        for (int i = 0; i < rounds; i++) { // warm-up: let the JIT settle
            round(device, plain, polled, data, i);
        }
        // The least of three windows: a one-off of the JIT (a recompilation, a deoptimisation) can land in one;
        // an allocation per round shows in all three (16 B a round is 320 KB a window).
        long allocated = Long.MAX_VALUE;
        for (int window = 0; window < 3; window++) {
            long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
            for (int i = 0; i < rounds; i++) {
                round(device, plain, polled, data, i);
            }
            allocated = Math.min(allocated, threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before);
        }
        assertEquals(4 * 4 * rounds, done[0]);
        assertTrue(allocated < 1024, "allocated " + allocated + " bytes over " + rounds + " rounds");
    }

    private static void round(HostBlockDevice device, IoRequest plain, IoRequest polled, ByteBuffer data, int i) {
        device.submit(plain.write(i % 1000, data, false));
        device.submit(plain.read(i % 1000, data));
        device.submit(polled.read(i % 1000, data));
        device.poll();
        device.submit(polled.write(i % 1000, data, false));
        device.poll();
    }
}
