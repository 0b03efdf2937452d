package dev.nvmeof.offload.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.NvmeTransportException;
import dev.nvmeof.spi.offload.OffloadLimits;
import dev.nvmeof.spi.transport.QueueCallbacks;
import dev.nvmeof.spi.transport.QueueParameters;
import dev.nvmeof.spi.transport.TransportAssociation;
import dev.nvmeof.spi.transport.TransportLimits;
import dev.nvmeof.spi.transport.TransportQueue;
import dev.nvmeof.spi.transport.TransportRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OffloadTransportTest {

    private final OffloadTransport transport = new OffloadTransport();

    /** The core's side of a queue: what it was told. */
    static final class RecordingCallbacks implements QueueCallbacks {
        final List<TransportRequest> completed = new ArrayList<>();
        final List<NvmeTransportException> failed = new ArrayList<>();

        @Override
        public void completed(TransportRequest request) {
            completed.add(request);
        }

        @Override
        public void failed(NvmeTransportException cause) {
            failed.add(cause);
        }
    }

    static ConnectOptions options() throws Exception {
        return ConnectOptions.parse("transport=tcp_offload,traddr=127.0.0.1,trsvcid=4420,nqn=testnqn");
    }

    static QueueParameters queue(int qid) {
        return new QueueParameters(qid, 32, 8192, false, false, false, Duration.ofSeconds(10));
    }

    @Test
    void shouldCallItselfTcpOffload() {
        assertEquals("tcp_offload", transport.name());
    }

    @Test
    void shouldSetUpTheControllerOnTheWinnerAndDescribeWhy() throws Exception {
        FakeDriver p1 = new FakeDriver("p1p1");
        FakeDriver p2 = new FakeDriver("p2p1").prefix(16);
        transport.addDriver(p1, 0, 1);
        transport.addDriver(p2, 0, 2);
        try (TransportAssociation association = transport.associate(options())) {
            assertEquals("tcp_offload via p1p1 from 127.0.0.2: p1p1 won: longest route prefix /24 (p2p1: /16);"
                    + " p2p1 lost: longest route prefix /16 (p1p1: /24)", association.describe());
            assertEquals(new TransportLimits(8, 128 * 1024, 32, false), association.limits());
            association.createQueue(queue(0), new RecordingCallbacks());
            assertEquals(1, p1.queues.size());
            assertEquals(0, p2.queues.size());
        }
        assertEquals(1, p1.controllersClosed);
        assertEquals(1, p1.queues.get(0).destroyed);
    }

    @Test
    void shouldTreatADriverWhoseClaimThrowsAsDeclining() throws Exception {
        FakeDriver broken = new FakeDriver("p1p1").prefix(32);
        broken.claimFailure = new IllegalStateException("firmware not ready");
        FakeDriver fine = new FakeDriver("p2p1");
        transport.addDriver(broken, 0, 1);
        transport.addDriver(fine, 0, 2);
        try (TransportAssociation association = transport.associate(options())) {
            assertTrue(association.describe().contains("p2p1 won: the only claim"), association.describe());
        }
        transport.removeDriver(fine);
        NvmeTransportException refused = assertThrows(NvmeTransportException.class,
                () -> transport.associate(options()));
        assertEquals("no offload device claims the connection to 127.0.0.1:4420 (1 driver asked): p1p1 declined:"
                + " claimDev failed: firmware not ready", refused.getMessage());
    }

    @Test
    void shouldSkipADriverThatLeavesWhileItIsAsked() throws Exception {
        FakeDriver leaving = new FakeDriver("p1p1").prefix(32);
        FakeDriver staying = new FakeDriver("p2p1");
        leaving.duringClaim = () -> transport.removeDriver(leaving);
        transport.addDriver(leaving, 0, 1);
        transport.addDriver(staying, 0, 2);
        try (TransportAssociation association = transport.associate(options())) {
            assertTrue(association.describe().contains("via p2p1"), association.describe());
        }
        assertEquals(0, leaving.queues.size());
    }

    @Test
    void shouldSkipADriverThatLeavesWithAnExceptionWhileItIsAsked() throws Exception {
        FakeDriver leaving = new FakeDriver("p1p1");
        leaving.duringClaim = () -> {
            transport.removeDriver(leaving);
            throw new IllegalStateException("service unregistered");
        };
        transport.addDriver(leaving, 0, 1);
        NvmeTransportException refused = assertThrows(NvmeTransportException.class,
                () -> transport.associate(options()));
        assertTrue(refused.getMessage().endsWith("p1p1 left: left during ranking"), refused.getMessage());
    }

    @Test
    void shouldNeverCallARemovedDriverAgain() throws Exception {
        FakeDriver gone = new FakeDriver("p1p1").prefix(32);
        FakeDriver other = new FakeDriver("p2p1");
        transport.addDriver(gone, 0, 1);
        transport.addDriver(other, 0, 2);
        transport.removeDriver(gone);
        int before = gone.calls.get();
        try (TransportAssociation association = transport.associate(options())) {
            assertTrue(association.describe().contains("via p2p1"));
        }
        assertEquals(before, gone.calls.get());
    }

    @Test
    void shouldQuiesceAndFailTheQueuesOfADriverWhenItLeavesThenNeverCallItAgain() throws Exception {
        FakeDriver driver = new FakeDriver("p1p1");
        transport.addDriver(driver, 0, 1);
        TransportAssociation association = transport.associate(options());
        RecordingCallbacks callbacks = new RecordingCallbacks();
        TransportQueue queue = association.createQueue(queue(1), callbacks);

        transport.removeDriver(driver);

        FakeDriver.FakeQueue hardware = driver.queues.get(0);
        assertEquals(1, hardware.drained);
        assertEquals(1, hardware.destroyed);
        assertEquals(1, driver.controllersClosed);
        assertEquals(1, callbacks.failed.size());
        assertTrue(callbacks.failed.get(0).getMessage().contains("offload device p1p1 left"));
        int after = driver.calls.get();
        queue.submit(new TransportRequest());
        queue.poll();
        queue.drain();
        queue.close();
        association.close();
        assertThrows(NvmeTransportException.class, () -> association.createQueue(queue(2), callbacks));
        assertEquals(after, driver.calls.get());
    }

    @Test
    void shouldTearTheIoQueuesDownBeforeTheAdminQueueWhenTheDriverLeavesAndOnClose() throws Exception {
        for (boolean leaving : new boolean[] {true, false}) {
            OffloadTransport fresh = new OffloadTransport();
            FakeDriver driver = new FakeDriver("p1p1");
            fresh.addDriver(driver, 0, 1);
            TransportAssociation association = fresh.associate(options());
            for (int qid = 0; qid <= 2; qid++) {
                association.createQueue(queue(qid), new RecordingCallbacks());
            }
            List<FakeDriver.FakeQueue> created = List.copyOf(driver.queues);
            List<Integer> destroyed = new ArrayList<>();
            for (int qid = 0; qid <= 2; qid++) {
                int q = qid;
                created.get(qid).onDestroy = () -> destroyed.add(q);
            }
            if (leaving) {
                fresh.removeDriver(driver);
            } else {
                association.close();
            }
            assertEquals(List.of(2, 1, 0), destroyed, leaving ? "device left" : "closed");
        }
    }

    @Test
    void shouldForwardSubmitPollDrainAndCloseToTheHardwareQueue() throws Exception {
        FakeDriver driver = new FakeDriver("p1p1");
        transport.addDriver(driver, 0, 1);
        try (TransportAssociation association = transport.associate(options())) {
            RecordingCallbacks callbacks = new RecordingCallbacks();
            TransportQueue queue = association.createQueue(queue(3), callbacks);
            assertEquals(3, queue.qid());
            TransportRequest request = new TransportRequest();
            queue.submit(request);
            FakeDriver.FakeQueue hardware = driver.queues.get(0);
            assertSame(request, hardware.sent.get(0));
            assertEquals(0, queue.poll());
            queue.drain();
            assertEquals(1, hardware.drained);

            request.complete(0, 7, 0);
            hardware.handle.completed(request);
            assertEquals(List.of(request), callbacks.completed);

            queue.close();
            queue.close();
            assertEquals(1, hardware.destroyed);
        }
    }

    @Test
    void shouldPassAPolledQueueToADeviceThatPollsAndPollItThere() throws Exception {
        FakeDriver driver = new FakeDriver("p1p1");
        driver.limits = new OffloadLimits(128 * 1024, 32, 4, true);
        transport.addDriver(driver, 0, 1);
        try (TransportAssociation association = transport.associate(options())) {
            assertTrue(association.limits().polling());
            QueueParameters polled = new QueueParameters(3, 32, 8192, false, false, true, Duration.ofSeconds(10));
            TransportQueue queue = association.createQueue(polled, new RecordingCallbacks());

            assertEquals(List.of(polled), driver.queueParameters);
            queue.poll();
            assertEquals(1, driver.queues.get(0).polls);
        }
    }

    @Test
    void shouldNeverGiveAPolledQueueToADeviceThatCannotPoll() throws Exception {
        FakeDriver driver = new FakeDriver("p1p1");
        transport.addDriver(driver, 0, 1);
        try (TransportAssociation association = transport.associate(options())) {
            assertFalse(association.limits().polling());
            QueueParameters polled = new QueueParameters(1, 32, 8192, false, false, true, Duration.ofSeconds(10));

            NvmeTransportException refused = assertThrows(NvmeTransportException.class,
                    () -> association.createQueue(polled, new RecordingCallbacks()));

            assertTrue(refused.getMessage().contains("p1p1 cannot poll: queue 1 refused"), refused.getMessage());
            assertTrue(driver.queueParameters.isEmpty(), "the device was not asked");
        }
    }

    @Test
    void shouldTurnTheFirstErrorReportIntoOneFailureWithItsCauseAndDropLaterCompletions() throws Exception {
        FakeDriver driver = new FakeDriver("p1p1");
        transport.addDriver(driver, 0, 1);
        try (TransportAssociation association = transport.associate(options())) {
            RecordingCallbacks callbacks = new RecordingCallbacks();
            TransportQueue queue = association.createQueue(queue(1), callbacks);
            FakeDriver.FakeQueue hardware = driver.queues.get(0);
            IllegalStateException linkDown = new IllegalStateException("link down");
            hardware.handle.reportError(linkDown);
            hardware.handle.reportError(new IllegalStateException("reset"));
            hardware.handle.completed(new TransportRequest());

            assertEquals(1, callbacks.failed.size());
            NvmeTransportException failure = callbacks.failed.get(0);
            assertSame(linkDown, failure.getCause());
            assertTrue(failure.reconnectable());
            assertEquals("connection lost: offload device p1p1 queue 1: link down", failure.getMessage());
            assertTrue(callbacks.completed.isEmpty());
            queue.submit(new TransportRequest());
            assertTrue(hardware.sent.isEmpty());
        }
    }

    @Test
    void shouldRefuseAnUnresolvableTargetAddress() throws Exception {
        ConnectOptions options = ConnectOptions.parse(
                "transport=tcp_offload,traddr=no-such-host.invalid,trsvcid=4420,nqn=testnqn");
        NvmeTransportException refused = assertThrows(NvmeTransportException.class,
                () -> transport.associate(options));
        assertInstanceOf(java.net.UnknownHostException.class, refused.getCause());
    }
}
