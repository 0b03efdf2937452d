package dev.nvmeof.target;

import dev.nvmeof.testkit.ManualClock;
import dev.nvmeof.testkit.NvmeTcpTestClient;
import static dev.nvmeof.target.TargetFixture.NQN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.nvmeof.protocol.AdminCommands;

/** Keep Alive Timeout on an injected clock: torn down after KATO of silence, never before. */
class KeepAliveTest {
    private static final int KATO_MILLIS = 5000;

    private final ManualClock clock = new ManualClock();
    private TargetFixture fixture;

    @BeforeEach
    void start() throws Exception {
        fixture = new TargetFixture(TargetOptions.defaults().withEventLoops(2).withClock(clock),
                TargetFixture.defaultSubsystem());
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void shouldTearDownTheControllerAfterKatoOfSilenceAndNotBefore() throws Exception {
        NvmeTcpTestClient admin = fixture.open();
        int cntlid = admin.connectAndEnable(NQN, KATO_MILLIS);
        assertTrue(admin.command(sqe -> AdminCommands.setNumberOfQueues(sqe, 0, 2, 2), null, null).ok());
        NvmeTcpTestClient io1 = fixture.ioQueue(NQN, cntlid, 1);
        NvmeTcpTestClient io2 = fixture.ioQueue(NQN, cntlid, 2);
        assertEquals(1, fixture.target.controllerCount());

        clock.advance(Duration.ofMillis(KATO_MILLIS - 1));
        fixture.target.checkDeadlines().get(5, TimeUnit.SECONDS);
        assertEquals(1, fixture.target.controllerCount(), "alive at KATO - 1 ms");

        clock.advance(Duration.ofMillis(2));
        fixture.target.checkDeadlines().get(5, TimeUnit.SECONDS);
        assertEquals(0, fixture.target.controllerCount(), "torn down past KATO");
        assertTrue(admin.awaitClose(), "admin queue closed");
        assertTrue(io1.awaitClose(), "I/O queue 1 closed");
        assertTrue(io2.awaitClose(), "I/O queue 2 closed");
    }

    @Test
    void shouldRestartTheTimerWhenAnyQueueSendsACommand() throws Exception {
        NvmeTcpTestClient admin = fixture.open();
        int cntlid = admin.connectAndEnable(NQN, KATO_MILLIS);
        NvmeTcpTestClient io = fixture.ioQueue(NQN, cntlid, 1);

        clock.advance(Duration.ofMillis(KATO_MILLIS - 1000));
        assertTrue(admin.command(sqe -> AdminCommands.keepAlive(sqe, 0), null, null).ok());
        clock.advance(Duration.ofMillis(KATO_MILLIS - 1000));
        TargetFixture.assertIoWorks(io, 1); // I/O counts as activity too
        clock.advance(Duration.ofMillis(KATO_MILLIS - 1));
        fixture.target.checkDeadlines().get(5, TimeUnit.SECONDS);
        assertEquals(1, fixture.target.controllerCount(), "each command restarted the timer");

        clock.advance(Duration.ofMillis(2));
        fixture.target.checkDeadlines().get(5, TimeUnit.SECONDS);
        assertEquals(0, fixture.target.controllerCount());
        assertTrue(admin.awaitClose());
        assertTrue(io.awaitClose());
    }

    @Test
    void shouldUseTheKatoSetThroughSetFeatures() throws Exception {
        NvmeTcpTestClient admin = fixture.open();
        admin.connectAndEnable(NQN, 0);
        clock.advance(Duration.ofHours(1));
        fixture.target.checkDeadlines().get(5, TimeUnit.SECONDS);
        assertEquals(1, fixture.target.controllerCount(), "KATO 0: no keep alive");

        assertTrue(admin.command(sqe -> AdminCommands.setKeepAliveTimer(sqe, 0, 2000), null, null).ok());
        clock.advance(Duration.ofMillis(1999));
        fixture.target.checkDeadlines().get(5, TimeUnit.SECONDS);
        assertEquals(1, fixture.target.controllerCount());
        clock.advance(Duration.ofMillis(2));
        fixture.target.checkDeadlines().get(5, TimeUnit.SECONDS);
        assertEquals(0, fixture.target.controllerCount());
        assertTrue(admin.awaitClose());
    }
}
