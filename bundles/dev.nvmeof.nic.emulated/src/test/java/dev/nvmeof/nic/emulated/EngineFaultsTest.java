package dev.nvmeof.nic.emulated;

import dev.nvmeof.protocol.DataDirection;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nvmeof.protocol.AdminCommands;
import dev.nvmeof.protocol.IdentifyCns;
import dev.nvmeof.protocol.NvmCommands;

import java.io.IOException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Each injected fault does what NicFaults says, against the embedded target over real sockets. */
class EngineFaultsTest {
    EngineRig rig;

    @BeforeEach
    void start() throws Exception {
        rig = new EngineRig();
    }

    @AfterEach
    void stop() {
        rig.close();
    }

    @Test
    @Timeout(60)
    void shouldReturnFromDrainWithinItsBoundWhenACallbackBlocksTheEngineThread() throws Exception {
        try (RingClient admin = rig.admin(false)) {
            admin.connectAdmin(EngineRig.NQN);
            CountDownLatch blocking = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            // A completion's future is completed in the listener, so this runs on the engine thread and blocks it.
            admin.submit(s -> AdminCommands.keepAlive(s, 0), null, DataDirection.NONE).thenRun(() -> {
                blocking.countDown();
                try {
                    release.await(50, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertTrue(blocking.await(10, TimeUnit.SECONDS), "the engine thread is blocked in a callback");

            CompletableFuture.runAsync(admin.queuePair()::drain).get(30, TimeUnit.SECONDS);
            assertFalse(admin.queuePair().live(), "drained, from outside the stuck engine thread");
            release.countDown();
        }
    }

    @Test
    void shouldNeverPublishADroppedCompletionWhileLaterOnesArrive() throws Exception {
        try (RingClient admin = rig.admin(false)) {
            admin.connectAdmin(EngineRig.NQN);
            rig.nic.faults().dropNextCompletion(admin.queuePair());
            CompletableFuture<RingClient.Completion> dropped = admin.submit(s -> AdminCommands.keepAlive(s, 0), null,
                    DataDirection.NONE);
            // the target answers one queue in order, so the later command's completion comes after the dropped one
            assertTrue(admin.run(s -> AdminCommands.keepAlive(s, 0), null, DataDirection.NONE).ok());
            assertFalse(dropped.isDone(), "the dropped completion never arrives");
            assertEquals(1, rig.nic.counters().completionsDropped());
            assertTrue(admin.queuePair().live());
        }
    }

    @Test
    void shouldReportAResetConnectionOnceAndRefuseFurtherDoorbells() throws Exception {
        try (RingClient admin = rig.admin(false)) {
            admin.connectAdmin(EngineRig.NQN);
            rig.nic.faults().resetConnection(admin.queuePair());
            IOException cause = admin.failure.get(5, TimeUnit.SECONDS);
            assertInstanceOf(SocketException.class, cause);
            assertTrue(cause.getMessage().contains("reset"), cause.getMessage());
            assertFalse(admin.queuePair().live());
            assertEquals(1, rig.nic.counters().connectionsReset());
            QueuePair qp = admin.queuePair();
            assertEquals(cause, qp.failure().orElseThrow(), "a polling driver reads the same cause");
            assertThrows(IllegalStateException.class, () -> qp.ringDoorbell(qp.tail() + 1));
        }
    }

    @Test
    void shouldFailQueuePairsAndRefuseNewOnesWhileTheLinkIsDown() throws Exception {
        try (RingClient admin = rig.admin(false)) {
            admin.connectAdmin(EngineRig.NQN);
            rig.nic.faults().linkDown("p1p1");
            assertTrue(admin.failure.get(5, TimeUnit.SECONDS).getMessage().contains("link down on p1p1"));
        }
        ExecutionException refused = assertThrows(ExecutionException.class, () -> rig.admin(false));
        assertTrue(refused.getCause().getMessage().contains("link down on p1p1"), refused.getCause().getMessage());
        assertTrue(rig.nic.netDevice().route(rig.address.getAddress()).isEmpty(), "no route over a downed link");

        rig.nic.faults().linkUp("p1p1");
        try (RingClient admin = rig.admin(false)) {
            admin.connectAdmin(EngineRig.NQN);
        }
    }

    @Test
    void shouldServeNothingWhileStalledAndCatchUpWhenResumed() throws Exception {
        try (RingClient admin = rig.admin(false)) {
            admin.connectAdmin(EngineRig.NQN);
            QueuePair qp = admin.queuePair();
            rig.nic.faults().stall(qp, true);
            long pdusOut = rig.nic.counters().pdusOut();
            CompletableFuture<RingClient.Completion> held = admin.submit(s -> AdminCommands.keepAlive(s, 0), null,
                    DataDirection.NONE);
            // two engine tasks after the doorbell: the engine has looked at the ring at least once since
            rig.nic.faults().stall(qp, true);
            rig.nic.faults().stall(qp, true);
            assertEquals(pdusOut, rig.nic.counters().pdusOut(), "nothing sent while stalled");
            assertFalse(held.isDone());
            rig.nic.faults().stall(qp, false);
            assertTrue(held.get(5, TimeUnit.SECONDS).ok());
        }
    }

    @Test
    void shouldTouchNoHostBufferAndNotifyNothingAfterDrainReturns() throws Exception {
        try (RingClient admin = rig.admin(false)) {
            int cntlid = admin.connectAdmin(EngineRig.NQN);
            try (RingClient io = RingClient.open(rig.nic, "p1p1", rig.address, 1, false)) {
                assertTrue(io.connect(EngineRig.NQN, cntlid).ok());
                int reads = 20;
                int length = 128 << 10;
                ByteBuffer canary = ByteBuffer.allocateDirect(reads * length).order(ByteOrder.LITTLE_ENDIAN);
                List<CompletableFuture<RingClient.Completion>> inFlight = new ArrayList<>();
                for (int i = 0; i < reads; i++) {
                    ByteBuffer region = canary.slice(i * length, length);
                    inFlight.add(io.submit(s -> NvmCommands.read(s, 0, 1, 0, length / EngineRig.BLOCK, false),
                            region, DataDirection.CONTROLLER_TO_HOST));
                }
                io.queuePair().drain();
                byte[] atDrain = new byte[canary.capacity()];
                canary.get(0, atDrain);
                int notified = io.notifications.get();
                long completed = inFlight.stream().filter(CompletableFuture::isDone).count();

                rig.nic.faults().stall(admin.queuePair(), false); // two engine turns after the drain
                rig.nic.faults().stall(admin.queuePair(), false);
                byte[] later = new byte[canary.capacity()];
                canary.get(0, later);
                assertArrayEquals(atDrain, later, "no host memory written after drain returned");
                assertEquals(notified, io.notifications.get(), "no notification after drain returned");
                assertEquals(completed, inFlight.stream().filter(CompletableFuture::isDone).count());
                assertFalse(io.queuePair().live());
                assertFalse(io.failure.isDone(), "a drained queue pair is not reported as failed");
                assertTrue(io.queuePair().failure().isEmpty());
                QueuePair qp = io.queuePair();
                assertThrows(IllegalStateException.class, () -> qp.ringDoorbell(qp.tail() + 1));
            }
            assertTrue(admin.run(s -> AdminCommands.identify(s, 0, IdentifyCns.CONTROLLER, 0),
                    ByteBuffer.allocateDirect(4096), DataDirection.CONTROLLER_TO_HOST).ok(),
                    "other queue pairs carry on");
        }
    }
}
