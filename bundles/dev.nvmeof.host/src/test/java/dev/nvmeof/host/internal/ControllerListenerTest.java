package dev.nvmeof.host.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.nvmeof.api.ControllerEvent;
import dev.nvmeof.api.ControllerFailure;
import dev.nvmeof.api.ControllerListener;
import dev.nvmeof.api.ControllerState;
import dev.nvmeof.api.NvmeException;
import dev.nvmeof.api.NvmeTransportException;

/**
 * The public {@link ControllerListener} on a manual clock with the fake transport: each change with its cause, in
 * order, on the host's event thread; {@code lastFailure()}; a throwing listener changes nothing for the others.
 */
class ControllerListenerTest {
    private final HostFixture f = new HostFixture();
    private final Recorder recorder = new Recorder();

    /** Collects events; waits for them with a bound. */
    private static final class Recorder implements ControllerListener {
        final BlockingQueue<ControllerEvent> events = new LinkedBlockingQueue<>();
        final List<String> threads = new ArrayList<>();

        @Override
        public void stateChanged(ControllerEvent event) {
            synchronized (threads) {
                threads.add(Thread.currentThread().getName());
            }
            events.add(event);
        }

        ControllerEvent next() throws InterruptedException {
            ControllerEvent event = events.poll(10, TimeUnit.SECONDS);
            assertNotNull(event, "no event within 10 s");
            return event;
        }

        /** The next {@code count} events as {@code FROM->TO}. */
        List<String> next(int count) throws InterruptedException {
            List<String> changes = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ControllerEvent event = next();
                changes.add(event.from() + "->" + event.to());
            }
            return changes;
        }
    }

    private static ControllerEvent expect(ControllerEvent event, ControllerState from, ControllerState to) {
        assertEquals(from + "->" + to, event.from() + "->" + event.to(), event.toString());
        return event;
    }

    @Test
    void shouldReportATransportErrorAsResettingWithThatCauseThenLive() throws Exception {
        f.host.addListener(recorder);
        HostController c = f.connect(HostFixture.build(f.options().nrIoQueues(1).reconnectDelay(2)));
        assertEquals(List.of("NEW->CONNECTING", "CONNECTING->LIVE"), recorder.next(2));
        assertEquals(Optional.empty(), c.lastFailure());

        f.transport.queue(1).fail("connection reset by peer");

        ControllerEvent resetting = expect(recorder.next(), ControllerState.LIVE, ControllerState.RESETTING);
        assertSame(c, resetting.controller());
        ControllerFailure failure = resetting.failure().orElseThrow();
        assertEquals(ControllerFailure.Reason.TRANSPORT_ERROR, failure.reason());
        assertEquals("connection lost: connection reset by peer", failure.message());
        assertInstanceOf(NvmeTransportException.class, failure.exception());
        assertSame(failure, c.lastFailure().orElseThrow());

        f.advance(Duration.ZERO);
        f.advance(Duration.ofSeconds(2));
        assertEquals(ControllerState.LIVE, c.state());
        ControllerEvent connecting = expect(recorder.next(), ControllerState.RESETTING, ControllerState.CONNECTING);
        assertTrue(connecting.failure().isEmpty());
        assertTrue(expect(recorder.next(), ControllerState.CONNECTING, ControllerState.LIVE).failure().isEmpty());
        assertSame(failure, c.lastFailure().orElseThrow(), "kept after recovery, for nvme list");
    }

    @Test
    void shouldNameACommandTimeoutAndALostKeepAlive() throws Exception {
        f.host.addListener(recorder);
        HostController c = f.connect(HostFixture.build(f.options().keepAliveTmo(0).reconnectDelay(1)));
        recorder.next(2);
        f.transport.dropIo = true;
        f.device().submit(new HostFixture.Counted().request.read(0, java.nio.ByteBuffer.allocate(512)));
        f.advance(Duration.ofSeconds(30));
        ControllerEvent timeout = expect(recorder.next(), ControllerState.LIVE, ControllerState.RESETTING);
        assertEquals(ControllerFailure.Reason.COMMAND_TIMEOUT, timeout.failure().orElseThrow().reason());
        assertEquals("command timeout", timeout.failure().orElseThrow().message());
        f.transport.dropIo = false;
        f.advance(Duration.ofSeconds(1));
        assertEquals(ControllerState.LIVE, c.state());
        c.disconnect();
        // Events reach listeners on a host thread: take this controller's last ones before the next part.
        assertEquals(List.of("RESETTING->CONNECTING", "CONNECTING->LIVE", "LIVE->DELETING", "DELETING->DEAD"),
                recorder.next(4));

        HostFixture g = new HostFixture();
        g.host.addListener(recorder);
        recorder.events.clear();
        HostController k = g.connect(HostFixture.build(g.options().keepAliveTmo(10)));
        recorder.next(2);
        g.transport.drop = name -> name.equals("q0 Keep Alive");
        g.advance(Duration.ofSeconds(5));
        g.advance(Duration.ofSeconds(10));
        ControllerEvent lost = expect(recorder.next(), ControllerState.LIVE, ControllerState.RESETTING);
        assertEquals(ControllerFailure.Reason.KEEP_ALIVE_LOST, lost.failure().orElseThrow().reason());
        assertEquals("connection lost: keep-alive lost", k.lastFailure().orElseThrow().message());
    }

    @Test
    void shouldReportDeadWithTheCauseWhenCtrlLossTmoPassesAfterTheHostForgotTheController() throws Exception {
        List<Integer> controllersAtDead = new ArrayList<>();
        f.host.addListener(event -> {
            if (event.to() == ControllerState.DEAD) {
                controllersAtDead.add(f.host.controllers().size());
            }
        });
        f.host.addListener(recorder);
        HostController c = f.connect(HostFixture.build(f.options().keepAliveTmo(0).reconnectDelay(10)
                .ctrlLossTmo(30)));
        f.transport.dropIo = true;
        f.device().submit(new HostFixture.Counted().request.read(0, java.nio.ByteBuffer.allocate(512)));
        f.transport.refuseAssociations = 1000;
        f.advance(Duration.ofSeconds(30));
        for (int i = 0; i < 3; i++) {
            f.advance(Duration.ofSeconds(10));
        }
        assertEquals(ControllerState.DEAD, c.state());

        assertEquals(List.of("NEW->CONNECTING", "CONNECTING->LIVE", "LIVE->RESETTING", "RESETTING->CONNECTING",
                "CONNECTING->DELETING"), recorder.next(5));
        ControllerEvent dead = expect(recorder.next(), ControllerState.DELETING, ControllerState.DEAD);
        ControllerFailure failure = dead.failure().orElseThrow();
        assertEquals(ControllerFailure.Reason.CONTROLLER_LOSS_TIMEOUT, failure.reason());
        assertTrue(failure.message().startsWith("ctrl_loss_tmo (30 s) passed without a reconnect since command "
                + "timeout; last attempt: "), failure.message());
        assertNotNull(failure.exception().getCause(), "the last attempt's error");
        assertSame(failure, c.lastFailure().orElseThrow());
        assertEquals(List.of(0), controllersAtDead, "DEAD comes once the host forgot the controller");
    }

    @Test
    void shouldReportDeadWithoutACauseOnDisconnectAndConnectFailedOnAFailedFirstConnect() throws Exception {
        f.host.addListener(recorder);
        HostController c = f.connect();
        c.disconnect();
        assertEquals(List.of("NEW->CONNECTING", "CONNECTING->LIVE", "LIVE->DELETING"), recorder.next(3));
        assertTrue(expect(recorder.next(), ControllerState.DELETING, ControllerState.DEAD).failure().isEmpty());
        assertEquals(Optional.empty(), c.lastFailure());

        f.transport.refuseAssociations = 1;
        NvmeException thrown = assertThrows(NvmeException.class, () -> f.connect());
        assertEquals(List.of("NEW->CONNECTING", "CONNECTING->DELETING"), recorder.next(2));
        ControllerFailure failure = expect(recorder.next(), ControllerState.DELETING, ControllerState.DEAD).failure()
                .orElseThrow();
        assertEquals(ControllerFailure.Reason.CONNECT_FAILED, failure.reason());
        assertSame(thrown, failure.exception());
    }

    @Test
    void shouldDeliverEveryControllersEventsInOrderOnTheHostsThreadToEveryListener() throws Exception {
        Recorder second = new Recorder();
        f.host.addListener(recorder);
        f.host.addListener(second);
        f.host.addListener(recorder); // twice: no second delivery
        HostController one = f.connect(HostFixture.build(f.options().nrIoQueues(1).reconnectDelay(1)));
        HostController two = f.connect(HostFixture.build(f.options().nrIoQueues(1).duplicateConnect(true)
                .reconnectDelay(1)));
        ExecutorService io = Executors.newSingleThreadExecutor(); // errors come from a transport's thread
        try {
            for (int round = 0; round < 3; round++) {
                String why = "round " + round;
                for (HostController c : List.of(one, two)) {
                    io.submit(() -> c.errorRecovery(ControllerFailure.Reason.TRANSPORT_ERROR,
                            NvmeTransportException.connectionLost(why, null))).get(10, TimeUnit.SECONDS);
                }
                one.doWork(f.clock.nanoTime());
                two.doWork(f.clock.nanoTime());
                f.clock.advance(Duration.ofSeconds(1));
                one.doWork(f.clock.nanoTime());
                two.doWork(f.clock.nanoTime());
                assertEquals(ControllerState.LIVE, one.state());
                assertEquals(ControllerState.LIVE, two.state());
            }
        } finally {
            io.shutdownNow();
        }
        one.disconnect();
        two.disconnect();

        int total = 2 * (2 + 3 * 3 + 2);
        List<ControllerEvent> heard = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            heard.add(recorder.next());
        }
        for (HostController c : List.of(one, two)) {
            ControllerState last = ControllerState.NEW;
            int resets = 0;
            for (ControllerEvent event : heard) {
                if (event.controller() == c) {
                    assertEquals(last, event.from(), "in order for " + c.name() + ": " + heard);
                    last = event.to();
                    resets += event.to() == ControllerState.RESETTING ? 1 : 0;
                }
            }
            assertEquals(ControllerState.DEAD, last);
            assertEquals(3, resets, c.name());
        }
        List<ControllerEvent> secondHeard = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            secondHeard.add(second.next());
        }
        assertEquals(heard, secondHeard, "every listener hears the same events in the same order");
        assertEquals(null, recorder.events.poll(), "added twice, told once");
        synchronized (recorder.threads) {
            assertTrue(recorder.threads.stream().allMatch("nvme-host-events"::equals), recorder.threads.toString());
        }
        assertNotEquals("nvme-host-events", Thread.currentThread().getName());
    }

    @Test
    void shouldKeepTheHostAndTheOtherListenersGoingWhenAListenerThrows() throws Exception {
        f.host.addListener(event -> {
            throw new IllegalStateException("a listener's bug");
        });
        f.host.addListener(recorder);
        HostController c = f.connect(HostFixture.build(f.options().nrIoQueues(1).reconnectDelay(1)));
        f.transport.queue(1).fail("connection reset");
        f.advance(Duration.ZERO);
        f.advance(Duration.ofSeconds(1));
        assertEquals(ControllerState.LIVE, c.state());
        assertEquals(List.of("NEW->CONNECTING", "CONNECTING->LIVE", "LIVE->RESETTING", "RESETTING->CONNECTING",
                "CONNECTING->LIVE"), recorder.next(5));
        HostFixture.Counted write = new HostFixture.Counted();
        f.device().submit(write.request.write(0, java.nio.ByteBuffer.allocate(512), false));
        assertTrue(write.request.succeeded(), "I/O still flows");

        Recorder after = new Recorder();
        f.host.addListener(after);
        f.host.removeListener(recorder);
        c.disconnect();
        assertEquals(List.of("LIVE->DELETING", "DELETING->DEAD"), after.next(2));
        assertEquals(null, recorder.events.poll(), "removed: told nothing more");
    }
}
