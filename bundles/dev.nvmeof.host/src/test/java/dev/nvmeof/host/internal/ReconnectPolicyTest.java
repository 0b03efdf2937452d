package dev.nvmeof.host.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.nvmeof.testkit.ManualClock;

class ReconnectPolicyTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final ManualClock clock = new ManualClock();

    /** The defaults: reconnect_delay 10 s, ctrl_loss_tmo 600 s, fast_io_fail_tmo off. */
    private final ReconnectPolicy defaults = new ReconnectPolicy(10, 600, -1);

    @Test
    void shouldDueTheFirstAttemptWhenReconnectDelayHasPassedSinceTheLoss() {
        assertTrue(defaults.lost(clock.nanoTime()));
        assertFalse(defaults.nextAttemptDue(clock.advance(10 * SECOND - 1)));
        assertTrue(defaults.nextAttemptDue(clock.advance(1)));
    }

    @Test
    void shouldDueNothingWhenNotLost() {
        assertFalse(defaults.nextAttemptDue(clock.advance(100 * SECOND)));
        assertFalse(defaults.giveUp(clock.nanoTime()));
        assertFalse(defaults.fastFail(clock.nanoTime()));
        assertThrows(IllegalStateException.class, () -> defaults.attemptStarted(clock.nanoTime()));
    }

    @Test
    void shouldWaitReconnectDelayAfterEachFailedAttempt() {
        defaults.lost(clock.nanoTime());
        defaults.attemptStarted(clock.advance(10 * SECOND));
        assertTrue(defaults.isAttemptRunning());
        assertFalse(defaults.nextAttemptDue(clock.advance(SECOND)), "one attempt at a time");
        defaults.attemptFailed(clock.advance(2 * SECOND)); // failed at t = 13 s
        assertFalse(defaults.nextAttemptDue(clock.advance(10 * SECOND - 1)));
        assertTrue(defaults.nextAttemptDue(clock.advance(1))); // t = 23 s
        defaults.attemptStarted(clock.nanoTime());
        assertEquals(2, defaults.attempts());
    }

    @Test
    void shouldKeepTheFirstLossWhenLostAgainDuringRecovery() {
        long lossAt = clock.nanoTime();
        defaults.lost(lossAt);
        assertFalse(defaults.lost(clock.advance(100 * SECOND)));
        clock.advance(500 * SECOND - 1);
        assertFalse(defaults.giveUp(clock.nanoTime()));
        assertTrue(defaults.giveUp(clock.advance(1)));
    }

    @Test
    void shouldGiveUpWhenCtrlLossTmoHasPassedSinceTheLoss() {
        defaults.lost(clock.nanoTime());
        for (int i = 0; i < 59; i++) { // attempts at 10, 20, ... 590 s, each failing at once
            assertTrue(defaults.nextAttemptDue(clock.advance(10 * SECOND)), "attempt " + i);
            defaults.attemptStarted(clock.nanoTime());
            defaults.attemptFailed(clock.nanoTime());
            assertFalse(defaults.giveUp(clock.nanoTime()));
        }
        assertFalse(defaults.giveUp(clock.advance(10 * SECOND - 1)));
        assertTrue(defaults.giveUp(clock.advance(1))); // t = 600 s
        assertFalse(defaults.nextAttemptDue(clock.nanoTime()), "no attempt once given up");
        assertEquals(59, defaults.attempts());
    }

    @Test
    void shouldGiveUpOnTimeWhenAnAttemptRunsPastTheDeadline() {
        ReconnectPolicy policy = new ReconnectPolicy(1, 60, -1);
        policy.lost(clock.nanoTime());
        policy.attemptStarted(clock.advance(59 * SECOND)); // e.g. a connect hanging on an unreachable address
        assertFalse(policy.giveUp(clock.advance(SECOND - 1)));
        assertTrue(policy.giveUp(clock.advance(1)), "abandon the attempt: a wall-clock deadline, not a count");
        assertTrue(policy.isAttemptRunning());
    }

    @Test
    void shouldGiveUpAtOnceWhenCtrlLossTmoIsZero() {
        ReconnectPolicy policy = new ReconnectPolicy(10, 0, -1);
        policy.lost(clock.nanoTime());
        assertTrue(policy.giveUp(clock.nanoTime()));
        assertFalse(policy.nextAttemptDue(clock.advance(10 * SECOND)));
    }

    @Test
    void shouldNeverGiveUpWhenCtrlLossTmoIsNegative() {
        ReconnectPolicy policy = new ReconnectPolicy(10, -1, -1);
        policy.lost(clock.nanoTime());
        assertFalse(policy.giveUp(clock.advance(TimeUnit.DAYS.toNanos(365))));
        assertTrue(policy.nextAttemptDue(clock.nanoTime()));
    }

    @Test
    void shouldFastFailWhenFastIoFailTmoHasPassedSinceTheLoss() {
        ReconnectPolicy policy = new ReconnectPolicy(10, 600, 15);
        policy.lost(clock.nanoTime());
        assertFalse(policy.fastFail(clock.advance(15 * SECOND - 1)));
        assertTrue(policy.fastFail(clock.advance(1)));
        assertFalse(policy.giveUp(clock.nanoTime()), "attempts go on after fast fail");
        assertTrue(policy.nextAttemptDue(clock.nanoTime()));
    }

    @Test
    void shouldNeverFastFailWhenFastIoFailTmoIsOff() {
        defaults.lost(clock.nanoTime());
        assertFalse(defaults.fastFail(clock.advance(599 * SECOND)));
    }

    @Test
    void shouldForgetTheLossWhenReconnected() {
        ReconnectPolicy policy = new ReconnectPolicy(10, 60, 5);
        policy.lost(clock.nanoTime());
        policy.attemptStarted(clock.advance(10 * SECOND));
        assertTrue(policy.fastFail(clock.nanoTime()));
        policy.reconnected();
        assertFalse(policy.isLost());
        assertFalse(policy.fastFail(clock.nanoTime()));
        assertFalse(policy.giveUp(clock.advance(100 * SECOND)));
        // A later loss starts every deadline afresh.
        assertTrue(policy.lost(clock.nanoTime()));
        assertEquals(0, policy.attempts());
        assertFalse(policy.giveUp(clock.advance(60 * SECOND - 1)));
        assertTrue(policy.giveUp(clock.advance(1)));
    }

    @Test
    void shouldRefuseOptionsWhenOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> new ReconnectPolicy(0, 600, -1));
        assertThrows(IllegalArgumentException.class, () -> new ReconnectPolicy(-1, 600, -1));
        assertThrows(IllegalArgumentException.class, () -> new ReconnectPolicy(10, 1L << 40, -1));
        assertThrows(IllegalArgumentException.class, () -> new ReconnectPolicy(10, 600, 1L << 40));
        assertThrows(IllegalStateException.class, () -> defaults.attemptFailed(clock.nanoTime()));
    }

    @Test
    void shouldAttemptAtOnceWhenThePathWasWithdrawnAndWaitTheDelayOnlyAfterAFailedAttempt() {
        ReconnectPolicy policy = new ReconnectPolicy(10, 600, -1);
        long lossAt = clock.nanoTime();
        assertTrue(policy.lost(lossAt, true));
        assertTrue(policy.nextAttemptDue(lossAt), "no reconnect_delay before the first attempt");
        policy.attemptStarted(lossAt);
        policy.attemptFailed(clock.advance(SECOND));
        assertFalse(policy.nextAttemptDue(clock.advance(10 * SECOND - 1)), "then reconnect_delay as usual");
        assertTrue(policy.nextAttemptDue(clock.advance(1)));
    }
}
