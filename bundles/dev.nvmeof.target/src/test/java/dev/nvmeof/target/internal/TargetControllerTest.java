package dev.nvmeof.target.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.nvmeof.protocol.AsyncEvent;
import dev.nvmeof.target.ListenerSecurity;
import dev.nvmeof.target.NamespaceConfig;
import dev.nvmeof.target.SubsystemConfig;
import dev.nvmeof.target.TargetOptions;

/**
 * The controller's state machines without sockets: cntlid allocation, queue grants, the keep-alive deadline and the
 * asynchronous event queue. The admin "connection" is never connected and its loop never started: nothing here
 * sends anything, and a teardown only queues the close.
 */
class TargetControllerTest {
    private static final String HOST = "nqn.2014-08.org.nvmexpress:uuid:test";

    private final AtomicLong now = new AtomicLong(5_000_000_000L);
    private Engine engine;
    private Subsystem subsystem;
    private SocketChannel channel;
    private Connection admin;

    @BeforeEach
    void start() throws Exception {
        engine = Engine.start(TargetOptions.defaults().withEventLoops(1).withClock(now::get));
        subsystem = Subsystem.open(SubsystemConfig.of("unit", NamespaceConfig.ram(1, 1 << 20, 512))
                .withMaxIoQueues(8));
        channel = SocketChannel.open();
        admin = new Connection(engine, new EventLoop(engine, 9), channel, InetAddress.getLoopbackAddress(),
                ListenerSecurity.none());
    }

    @AfterEach
    void stop() throws Exception {
        channel.close();
        subsystem.shutdown();
        engine.close();
    }

    private TargetController create(long katoMillis) {
        return subsystem.createController(engine, HOST, UUID.randomUUID(), katoMillis, admin);
    }

    @Test
    void shouldAllocateDistinctCntlidsAndForgetTornDownControllers() {
        TargetController a = create(0);
        TargetController b = create(0);
        assertNotEquals(a.cntlid, b.cntlid);
        assertEquals(a, subsystem.controller(a.cntlid));
        a.teardown("test");
        assertTrue(a.isDead());
        assertEquals(null, subsystem.controller(a.cntlid));
        assertEquals(1, subsystem.controllers().size());
    }

    @Test
    void shouldDrawCntlidsAtRandomWithinTheValidRangeAndNotInSequence() {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            ids.add(create(0).cntlid);
        }
        assertTrue(ids.stream().allMatch(id -> id >= 1 && id <= TargetOptions.MAX_CNTLID), ids::toString);
        assertEquals(64, ids.stream().distinct().count(), "unique within the subsystem");
        int steps = 0;
        for (int i = 1; i < ids.size(); i++) {
            steps += ids.get(i) == ids.get(i - 1) + 1 ? 1 : 0;
        }
        assertTrue(steps < 4, "one after the other like a counter: " + ids);
    }

    @Test
    void shouldRefuseAControllerBeyondMaxControllersAndTakeOneAgainAfterATeardown() throws Exception {
        engine.close();
        engine = Engine.start(TargetOptions.defaults().withEventLoops(1).withClock(now::get).withMaxControllers(3));
        TargetController first = create(0);
        create(0);
        create(0);
        assertEquals(null, create(0), "a fourth controller with maxControllers 3");
        first.teardown("test");
        assertNotEquals(null, create(0), "room again after a teardown");
    }

    @Test
    void shouldGrantTheMinimumOfRequestedAndMaxIoQueuesButAtLeastOne() {
        TargetController c = create(0);
        assertEquals(8, c.grantedIoQueues(), "maxIoQueues until Set Features");
        assertEquals(3, c.grantIoQueues(3));
        assertEquals(8, c.grantIoQueues(500));
        assertEquals(1, c.grantIoQueues(0));
    }

    @Test
    void shouldExpireOnlyPastKatoSinceTheLastActivity() {
        TargetController c = create(2000);
        long start = now.get();
        assertFalse(c.checkKeepAlive(start + TimeUnit.MILLISECONDS.toNanos(2000)), "at KATO exactly");
        c.touch(start + TimeUnit.MILLISECONDS.toNanos(1500));
        assertFalse(c.checkKeepAlive(start + TimeUnit.MILLISECONDS.toNanos(3499)));
        assertTrue(c.checkKeepAlive(start + TimeUnit.MILLISECONDS.toNanos(3501)));
        assertTrue(c.isDead());
        assertFalse(c.checkKeepAlive(start + TimeUnit.MILLISECONDS.toNanos(9999)), "torn down once");
    }

    @Test
    void shouldNeverExpireWhenKatoIsZero() {
        TargetController c = create(0);
        assertFalse(c.checkKeepAlive(now.get() + TimeUnit.DAYS.toNanos(1)));
    }

    @Test
    void shouldGiveAPendingEventToTheNextAerAtOnceWithoutHoldingIt() {
        TargetController c = create(0);
        c.namespaceChanged(4);
        c.namespaceChanged(5); // masked until the log is read: no second event
        CommandSlot aer = new CommandSlot(0);
        aer.reset(1);
        aer.outcome = CommandSlot.Outcome.HELD;
        assertTrue(c.holdAer(aer));
        assertEquals(CommandSlot.Outcome.RESPOND, aer.outcome, "completes through the normal path, once");
        assertTrue(AsyncEvent.of(aer.dw0).isNamespaceAttributeChanged());
        assertArrayEquals(new int[] {4, 5}, c.takeChangedNamespaces(false));
        assertArrayEquals(new int[0], c.takeChangedNamespaces(false));
    }

    @Test
    void shouldRefuseAersBeyondTheLimit() {
        TargetController c = create(0);
        for (int i = 0; i < TargetController.AER_LIMIT; i++) {
            CommandSlot slot = new CommandSlot(i);
            slot.reset(i);
            assertTrue(c.holdAer(slot));
        }
        CommandSlot extra = new CommandSlot(9);
        extra.reset(9);
        assertFalse(c.holdAer(extra), "AER_LIMIT outstanding already");
    }

    @Test
    void shouldKeepTheChangedListWhenReadWithRetainAsyncEvent() {
        TargetController c = create(0);
        c.namespaceChanged(2);
        assertArrayEquals(new int[] {2}, c.takeChangedNamespaces(true));
        assertArrayEquals(new int[] {2}, c.takeChangedNamespaces(false));
        assertArrayEquals(new int[0], c.takeChangedNamespaces(false));
    }
}
