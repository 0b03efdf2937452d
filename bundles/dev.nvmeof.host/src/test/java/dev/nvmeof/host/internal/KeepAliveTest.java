package dev.nvmeof.host.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.nvmeof.testkit.ManualClock;

class KeepAliveTest {
    private static final long KATO = TimeUnit.SECONDS.toNanos(5);

    private final ManualClock clock = new ManualClock();

    @Test
    void shouldNotBeDueWhenOneNanosecondBeforeHalfKato() {
        KeepAlive ka = new KeepAlive(clock, KATO);
        assertEquals(KATO / 2, ka.periodNanos());
        assertFalse(ka.due(clock.advance(KATO / 2 - 1)));
    }

    @Test
    void shouldBeDueWhenHalfKatoHasPassed() {
        KeepAlive ka = new KeepAlive(clock, KATO);
        clock.advance(KATO / 2 - 1);
        assertFalse(ka.due(clock.nanoTime()));
        assertTrue(ka.due(clock.advance(1)));
        assertTrue(ka.due(clock.nanoTime()), "still due until sent");
    }

    @Test
    void shouldNotBeDueAgainWhileOneIsOutstanding() {
        KeepAlive ka = new KeepAlive(clock, KATO);
        ka.sent(clock.advance(KATO / 2));
        assertTrue(ka.isOutstanding());
        assertFalse(ka.due(clock.advance(KATO / 2)));
    }

    @Test
    void shouldBeDueHalfKatoAfterTheLastWasSentWhenItCompleted() {
        KeepAlive ka = new KeepAlive(clock, KATO);
        long sentAt = clock.advance(KATO / 2);
        ka.sent(sentAt);
        ka.completed(clock.advance(TimeUnit.MILLISECONDS.toNanos(300))); // round trip
        assertFalse(ka.isOutstanding());
        assertEquals(sentAt + KATO / 2, ka.nextCheckAt());
        clock.advance(KATO / 2 - TimeUnit.MILLISECONDS.toNanos(300) - 1);
        assertFalse(ka.due(clock.nanoTime()));
        assertTrue(ka.due(clock.advance(1)));
    }

    @Test
    void shouldBeDueAtOnceWhenTheRoundTripOutlastedThePeriod() {
        KeepAlive ka = new KeepAlive(clock, KATO);
        ka.sent(clock.advance(KATO / 2));
        ka.completed(clock.advance(KATO / 2 + 1));
        assertTrue(ka.due(clock.nanoTime()));
    }

    @Test
    void shouldStillSendWhenCommandsCompletedButTheControllerLacksTbkas() {
        KeepAlive ka = new KeepAlive(clock, KATO, false);
        ka.commandCompleted(clock.advance(1));
        assertTrue(ka.due(clock.advance(KATO / 2)));
    }

    @Test
    void shouldSkipTheKeepAliveWhenACommandCompletedRecentlyWithTbkas() {
        KeepAlive ka = new KeepAlive(clock, KATO, true);
        long quarter = KATO / 4;
        assertEquals(quarter, ka.periodNanos());
        ka.commandCompleted(clock.advance(quarter / 2)); // submitted after the last check
        assertFalse(ka.due(clock.advance(quarter - quarter / 2)), "traffic stands in for the Keep Alive");
        // The traffic was consumed: with none since, the next check sends.
        assertFalse(ka.due(clock.advance(quarter - 1)));
        assertTrue(ka.due(clock.advance(1)));
    }

    @Test
    void shouldNotCountACommandSubmittedBeforeTheLastCheckWithTbkas() {
        KeepAlive ka = new KeepAlive(clock, KATO, true);
        long submittedAt = clock.nanoTime() - 1; // a long-running command from before the start
        clock.advance(KATO / 8);
        ka.commandCompleted(submittedAt);
        assertTrue(ka.due(clock.advance(KATO / 8)));
    }

    @Test
    void shouldForgetTrafficWhenAKeepAliveCompletes() {
        KeepAlive ka = new KeepAlive(clock, KATO, true);
        long sentAt = clock.advance(KATO / 4);
        assertTrue(ka.due(sentAt));
        ka.sent(sentAt);
        ka.commandCompleted(sentAt + 1);
        ka.completed(clock.advance(10));
        assertTrue(ka.due(clock.advance(KATO / 4)), "traffic before the completion does not postpone the next");
    }

    @Test
    void shouldNotBeLostWhenOneNanosecondBeforeKato() {
        KeepAlive ka = new KeepAlive(clock, KATO);
        ka.sent(clock.advance(KATO / 2));
        assertFalse(ka.lost(clock.advance(KATO - 1)));
    }

    @Test
    void shouldBeLostWhenKatoPassesWithoutCompletion() {
        KeepAlive ka = new KeepAlive(clock, KATO);
        ka.sent(clock.advance(KATO / 2));
        clock.advance(KATO - 1);
        assertFalse(ka.lost(clock.nanoTime()));
        assertTrue(ka.lost(clock.advance(1)));
    }

    @Test
    void shouldNeverBeLostWhenNothingIsOutstanding() {
        KeepAlive ka = new KeepAlive(clock, KATO);
        assertFalse(ka.lost(clock.advance(10 * KATO)));
        ka.sent(clock.nanoTime());
        ka.completed(clock.advance(KATO - 1));
        assertFalse(ka.lost(clock.advance(10 * KATO)));
    }

    @Test
    void shouldNeverBeDueWhenKatoIsZero() {
        KeepAlive ka = new KeepAlive(clock, 0);
        assertFalse(ka.isEnabled());
        assertFalse(ka.due(clock.nanoTime()));
        assertFalse(ka.due(clock.advance(TimeUnit.DAYS.toNanos(1))));
        assertFalse(ka.lost(clock.nanoTime()));
    }

    @Test
    void shouldStartAFreshPeriodWhenRestartedAfterReconnect() {
        KeepAlive ka = new KeepAlive(clock, KATO);
        ka.sent(clock.advance(KATO / 2));
        assertTrue(ka.lost(clock.advance(KATO)));
        ka.restart(clock.advance(TimeUnit.SECONDS.toNanos(30)));
        assertFalse(ka.isOutstanding());
        assertFalse(ka.lost(clock.nanoTime()));
        assertFalse(ka.due(clock.advance(KATO / 2 - 1)));
        assertTrue(ka.due(clock.advance(1)));
    }

    @Test
    void shouldRefuseANegativeKato() {
        assertThrows(IllegalArgumentException.class, () -> new KeepAlive(clock, -1));
    }
}
