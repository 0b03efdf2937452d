package dev.nvmeof.host.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.ControllerFailure;
import dev.nvmeof.api.ControllerState;
import dev.nvmeof.api.IoRequest;

/** Keep-alive, command timeouts and error recovery on a manual clock, the work loop driven by the test. */
class HostRecoveryTest {
    private static final Duration NS = Duration.ofNanos(1);

    private final HostFixture f = new HostFixture();

    private HostController connect(ConnectOptions.Builder options) throws Exception {
        return f.connect(HostFixture.build(options));
    }

    private long keepAlives() {
        return f.transport.commands().stream().filter(c -> c.equals("q0 Keep Alive")).count();
    }

    private List<HostFixture.Counted> writes(int count) {
        List<HostFixture.Counted> requests = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            HostFixture.Counted r = new HostFixture.Counted();
            ByteBuffer data = ByteBuffer.allocate(512);
            data.put(0, (byte) (i + 1));
            f.device().submit(r.request.write(i, data, false));
            requests.add(r);
        }
        return requests;
    }

    private static void assertHostPathError(HostFixture.Counted r) {
        assertEquals(1, r.completions.get());
        assertEquals(0x370, r.request.failure().status().typeAndCode());
    }

    @Test
    void shouldSendKeepAliveAtHalfTheKeepAliveTimeout() throws Exception {
        connect(f.options().keepAliveTmo(10));
        f.advance(Duration.ofSeconds(5).minus(NS));
        assertEquals(0, keepAlives());
        f.advance(NS);
        assertEquals(1, keepAlives());
        f.advance(Duration.ofSeconds(5).minus(NS));
        assertEquals(1, keepAlives());
        f.advance(NS);
        assertEquals(2, keepAlives());
    }

    @Test
    void shouldRecoverWhenTheKeepAliveIsLost() throws Exception {
        HostController c = connect(f.options().keepAliveTmo(10).reconnectDelay(1));
        f.transport.drop = name -> name.equals("q0 Keep Alive");
        f.advance(Duration.ofSeconds(5));
        assertEquals(1, keepAlives());
        f.advance(Duration.ofSeconds(10).minus(NS));
        assertEquals(ControllerState.LIVE, c.state());
        f.advance(NS);
        assertEquals(ControllerState.CONNECTING, c.state(), "torn down, waiting for reconnect_delay");
        f.transport.drop = name -> false;
        f.advance(Duration.ofSeconds(1));
        assertEquals(ControllerState.LIVE, c.state());
        assertEquals(2, f.transport.associations());
    }

    @Test
    void shouldReissueRequestsAfterACommandTimeoutAndCompleteThemOnceWithoutError() throws Exception {
        HostController c = connect(f.options().keepAliveTmo(0));
        f.transport.dropIo = true;
        List<HostFixture.Counted> requests = writes(3);
        f.advance(Duration.ofSeconds(30).minus(NS));
        assertEquals(ControllerState.LIVE, c.state());
        f.advance(NS);
        assertEquals(ControllerState.CONNECTING, c.state());
        assertEquals(3, c.heldCount());
        f.transport.dropIo = false;
        f.advance(Duration.ofSeconds(10).minus(NS));
        assertEquals(1, f.transport.associations(), "no attempt before reconnect_delay");
        f.advance(NS);
        assertEquals(ControllerState.LIVE, c.state());
        for (int i = 0; i < 3; i++) {
            assertEquals(1, requests.get(i).completions.get(), "request " + i);
            assertNull(requests.get(i).request.failure());
            assertEquals(i + 1, f.target.ram().get(i * 512));
        }
        assertEquals(0, c.heldCount());
    }

    @Test
    void shouldReissueRequestsWhenTheTransportFailsAQueue() throws Exception {
        HostController c = connect(f.options().nrIoQueues(1).reconnectDelay(2));
        f.transport.autoComplete = false;
        List<HostFixture.Counted> requests = writes(2);
        f.transport.queue(1).fail("connection reset");
        assertEquals(ControllerState.RESETTING, c.state());
        f.advance(Duration.ZERO);
        assertEquals(ControllerState.CONNECTING, c.state());
        HostFixture.Counted whileDown = writes(1).get(0);
        f.transport.autoComplete = true;
        f.advance(Duration.ofSeconds(2));
        assertEquals(ControllerState.LIVE, c.state());
        for (HostFixture.Counted r : requests) {
            assertEquals(1, r.completions.get());
            assertTrue(r.request.succeeded());
        }
        assertEquals(1, whileDown.completions.get());
        assertTrue(whileDown.request.succeeded());
    }

    @Test
    void shouldFailEveryRequestWithHostPathErrorWhenCtrlLossTmoExpires() throws Exception {
        HostController c = connect(f.options().keepAliveTmo(0).reconnectDelay(10).ctrlLossTmo(30));
        f.transport.dropIo = true;
        List<HostFixture.Counted> requests = writes(2);
        f.transport.refuseAssociations = 1000;
        f.advance(Duration.ofSeconds(30)); // the timeout: lost now
        assertEquals(ControllerState.CONNECTING, c.state());
        f.advance(Duration.ofSeconds(10)); // attempt 1 refused
        f.advance(Duration.ofSeconds(10)); // attempt 2 refused
        f.advance(Duration.ofSeconds(10).minus(NS));
        assertEquals(ControllerState.CONNECTING, c.state());
        assertEquals(0, requests.get(0).completions.get());
        f.advance(NS);
        assertEquals(ControllerState.DEAD, c.state());
        requests.forEach(HostRecoveryTest::assertHostPathError);
        assertTrue(f.host.controllers().isEmpty());
        HostFixture.Counted late = writes(1).get(0);
        assertHostPathError(late);
    }

    @Test
    void shouldStopReconnectingAtOnceWhenAReconnectFailsAuthentication() throws Exception {
        HostController c = connect(f.options().keepAliveTmo(0).reconnectDelay(10).ctrlLossTmo(600));
        f.transport.dropIo = true;
        List<HostFixture.Counted> requests = writes(2);
        f.target.requireAuthentication = true; // the subsystem now wants a secret this host does not have
        f.advance(Duration.ofSeconds(30)); // the timeout: lost now
        assertEquals(ControllerState.CONNECTING, c.state());
        f.advance(Duration.ofSeconds(10)); // the first attempt fails authentication: not retried until ctrl_loss_tmo

        assertEquals(ControllerState.DEAD, c.state());
        ControllerFailure failure = c.lastFailure().orElseThrow();
        assertEquals(ControllerFailure.Reason.RECONNECT_REFUSED, failure.reason());
        assertTrue(failure.message().contains("authentication failed on queue 0"), failure.message());
        requests.forEach(HostRecoveryTest::assertHostPathError);
    }

    @Test
    void shouldCompleteFiveHundredWritesHeldDuringAnOutageOnASixteenEntryQueueWithoutError() throws Exception {
        HostController c = connect(f.options().keepAliveTmo(0).reconnectDelay(1).ctrlLossTmo(60).queueSize(16)
                .nrIoQueues(1));
        f.transport.refuseAssociations = 1000;
        f.transport.queue(1).fail("gone");
        f.advance(Duration.ZERO); // lost now
        List<HostFixture.Counted> held = writes(500);
        f.advance(Duration.ofSeconds(1)); // attempt refused
        assertEquals(ControllerState.CONNECTING, c.state());
        f.transport.refuseAssociations = 0;
        f.transport.holdIo = true;
        f.advance(Duration.ofSeconds(1)); // reconnected: 500 reissued onto 15 free tags and the backlog
        assertEquals(ControllerState.LIVE, c.state());
        assertEquals(15, f.transport.ioCommands(), "16 tags, one reserved for Connect");
        for (int round = 0; round < 100 && held.stream().anyMatch(r -> r.completions.get() == 0); round++) {
            f.transport.completePending();
        }
        for (int i = 0; i < held.size(); i++) {
            assertEquals(1, held.get(i).completions.get(), "write " + i);
            assertNull(held.get(i).request.failure(), "write " + i);
        }
    }

    @Test
    void shouldHoldABatchSubmittedDuringAnOutageAndCompleteEachOfItsRequestsOnceAfterTheReconnect() throws Exception {
        HostController c = connect(f.options().keepAliveTmo(0).reconnectDelay(1).ctrlLossTmo(60).queueSize(16)
                .nrIoQueues(1));
        f.transport.refuseAssociations = 1000;
        f.transport.queue(1).fail("gone");
        f.advance(Duration.ZERO); // lost now
        List<HostFixture.Counted> held = new ArrayList<>();
        IoRequest[] batch = new IoRequest[40];
        for (int i = 0; i < batch.length; i++) {
            HostFixture.Counted r = new HostFixture.Counted();
            held.add(r);
            batch[i] = r.request.write(i, ByteBuffer.allocate(512).put(0, (byte) (i + 1)), false);
        }
        f.device().submit(batch, 0, batch.length);
        assertTrue(held.stream().allMatch(r -> r.completions.get() == 0), "held, not failed");
        f.transport.refuseAssociations = 0;
        f.advance(Duration.ofSeconds(1)); // reconnected: the batch reissued onto 15 tags and the backlog

        assertEquals(ControllerState.LIVE, c.state());
        for (int i = 0; i < held.size(); i++) {
            assertEquals(1, held.get(i).completions.get(), "write " + i);
            assertNull(held.get(i).request.failure(), "write " + i);
            assertEquals((byte) (i + 1), f.target.ram().get(i * 512), "write " + i + " reached the namespace");
        }
    }

    @Test
    void shouldStillFailTheOthersAndGoDeadWhenACallbackThrowsAsCtrlLossTmoExpires() throws Exception {
        HostController c = connect(f.options().keepAliveTmo(0).reconnectDelay(10).ctrlLossTmo(30));
        f.transport.dropIo = true;
        List<HostFixture.Counted> requests = writes(3);
        requests.get(0).request.callback(r -> {
            requests.get(0).completions.incrementAndGet();
            throw new IllegalStateException("a caller's bug");
        });
        requests.get(1).request.callback(r -> {
            requests.get(1).completions.incrementAndGet();
            throw new StackOverflowError("a caller's deeper bug");
        });
        f.transport.refuseAssociations = 1000;
        f.advance(Duration.ofSeconds(30)); // the timeout: lost now
        f.advance(Duration.ofSeconds(30));
        assertEquals(ControllerState.DEAD, c.state());
        requests.forEach(HostRecoveryTest::assertHostPathError);
        assertTrue(f.host.controllers().isEmpty());
    }

    @Test
    void shouldFailQueuedIoEarlyWhenFastIoFailTmoExpiresAndWorkAgainAfterReconnect() throws Exception {
        HostController c = connect(f.options().keepAliveTmo(0).reconnectDelay(10).fastIoFailTmo(15));
        f.transport.refuseAssociations = 1000;
        f.transport.autoComplete = false;
        List<HostFixture.Counted> inFlight = writes(1);
        f.transport.queue(1).fail("gone");
        f.advance(Duration.ZERO); // lost now
        List<HostFixture.Counted> held = writes(1);
        f.advance(Duration.ofSeconds(15).minus(NS));
        assertEquals(0, inFlight.get(0).completions.get());
        assertEquals(0, held.get(0).completions.get());
        f.advance(NS);
        assertHostPathError(inFlight.get(0));
        assertHostPathError(held.get(0));
        assertHostPathError(writes(1).get(0));
        assertEquals(ControllerState.CONNECTING, c.state());

        f.transport.refuseAssociations = 0;
        f.transport.autoComplete = true;
        f.advance(Duration.ofSeconds(10));
        assertEquals(ControllerState.LIVE, c.state());
        HostFixture.Counted after = writes(1).get(0);
        assertTrue(after.request.succeeded());
        assertFalse(c.namespaces().isEmpty());
    }

    @Test
    void shouldAbandonAnAttemptStillRunningWhenCtrlLossTmoExpires() throws Exception {
        HostController c = connect(f.options().keepAliveTmo(0).reconnectDelay(10).ctrlLossTmo(20));
        f.transport.autoComplete = false;
        HostFixture.Counted request = writes(1).get(0);
        f.transport.queue(1).fail("gone");
        f.advance(Duration.ZERO); // lost now
        f.transport.autoComplete = true;
        f.transport.clearCommands();
        f.transport.drop = name -> name.startsWith("q0 Identify CNS 1");
        f.clock.advance(Duration.ofSeconds(10));
        // The attempt blocks its thread (in production the worker) until Identify answers or it is abandoned.
        java.util.concurrent.CompletableFuture<Integer> turn = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> c.doWork(f.clock.nanoTime()));
        assertTrue(f.transport.awaitCommand("q0 Identify CNS 1", 10_000));
        assertEquals(ControllerState.CONNECTING, c.state());
        f.clock.advance(Duration.ofSeconds(10)); // ctrl_loss_tmo from the loss; Identify's own 60 s still far
        turn.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(ControllerState.DEAD, c.state());
        assertHostPathError(request);
    }
}
