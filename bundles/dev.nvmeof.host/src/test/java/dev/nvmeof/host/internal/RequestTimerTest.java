package dev.nvmeof.host.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.nvmeof.testkit.ManualClock;

class RequestTimerTest {
    private static final long IO_TIMEOUT = TimeUnit.SECONDS.toNanos(30);

    private final ManualClock clock = new ManualClock();
    private final RequestTimer timer = new RequestTimer(clock, 128);
    private final List<Integer> expired = new ArrayList<>();

    private int expire() {
        return timer.expired(clock.nanoTime(), expired::add);
    }

    @Test
    void shouldNotExpireWhenOneNanosecondBeforeTheDeadline() {
        timer.arm(5, IO_TIMEOUT);
        clock.advance(IO_TIMEOUT - 1);
        assertEquals(0, expire());
        assertEquals(List.of(), expired);
        assertTrue(timer.isArmed(5));
        assertEquals(1, timer.remaining(5, clock.nanoTime()));
    }

    @Test
    void shouldExpireWhenTheDeadlineIsReached() {
        timer.arm(5, IO_TIMEOUT);
        clock.advance(IO_TIMEOUT - 1);
        expire();
        clock.advance(1);
        assertEquals(1, expire());
        assertEquals(List.of(5), expired);
        assertFalse(timer.isArmed(5));
        assertEquals(0, timer.armedCount());
    }

    @Test
    void shouldReportOnceWhenPastTheDeadline() {
        timer.arm(0, IO_TIMEOUT);
        clock.advance(IO_TIMEOUT + 12345);
        assertEquals(1, expire());
        clock.advance(IO_TIMEOUT);
        assertEquals(0, expire());
        assertEquals(List.of(0), expired);
    }

    @Test
    void shouldNeverExpireWhenDisarmedBeforeTheDeadline() {
        timer.arm(9, IO_TIMEOUT);
        clock.advance(IO_TIMEOUT - 1);
        timer.disarm(9);
        timer.disarm(9); // harmless
        clock.advance(IO_TIMEOUT);
        assertEquals(0, expire());
        assertEquals(0, timer.armedCount());
    }

    @Test
    void shouldExpireOnlyThoseDueWhenTagsHaveDifferentDeadlines() {
        timer.arm(1, IO_TIMEOUT);
        clock.advance(TimeUnit.SECONDS.toNanos(10));
        timer.arm(2, IO_TIMEOUT);
        timer.arm(127, TimeUnit.SECONDS.toNanos(5));
        clock.advance(TimeUnit.SECONDS.toNanos(5)); // t = 15 s: 127 due
        assertEquals(1, expire());
        clock.advance(TimeUnit.SECONDS.toNanos(15) - 1); // t = 30 s - 1
        assertEquals(0, expire());
        clock.advance(1); // t = 30 s: 1 due
        assertEquals(1, expire());
        clock.advance(TimeUnit.SECONDS.toNanos(10)); // t = 40 s: 2 due
        assertEquals(1, expire());
        assertEquals(List.of(127, 1, 2), expired);
    }

    @Test
    void shouldRestartTheTimeoutWhenReArmed() {
        timer.arm(3, IO_TIMEOUT);
        clock.advance(IO_TIMEOUT - 1);
        timer.arm(3, IO_TIMEOUT);
        assertEquals(1, timer.armedCount());
        clock.advance(IO_TIMEOUT - 1);
        assertEquals(0, expire());
        clock.advance(1);
        assertEquals(1, expire());
    }

    @Test
    void shouldExpireAReArmedTagAgainWhenTheCallbackReArmsIt() {
        timer.arm(4, IO_TIMEOUT);
        timer.arm(6, 2 * IO_TIMEOUT);
        clock.advance(IO_TIMEOUT);
        assertEquals(1, timer.expired(clock.nanoTime(), tag -> {
            expired.add(tag);
            timer.arm(tag, IO_TIMEOUT / 2);
            timer.arm(0, IO_TIMEOUT / 4); // a lower tag, already scanned
        }));
        clock.advance(IO_TIMEOUT / 4);
        assertEquals(1, expire()); // 0
        clock.advance(IO_TIMEOUT / 4);
        assertEquals(1, expire()); // 4 again
        clock.advance(IO_TIMEOUT / 2);
        assertEquals(1, expire()); // 6
        assertEquals(List.of(4, 0, 4, 6), expired);
    }

    @Test
    void shouldNotExpireWhilePaused() {
        timer.arm(1, IO_TIMEOUT);
        clock.advance(IO_TIMEOUT - 1);
        timer.pause(clock.nanoTime());
        clock.advance(10 * IO_TIMEOUT);
        assertEquals(0, expire());
        assertTrue(timer.isPaused());
        assertEquals(1, timer.remaining(1, clock.nanoTime()));
    }

    @Test
    void shouldContinueWithTheRemainingTimeWhenResumed() {
        timer.arm(1, IO_TIMEOUT);
        clock.advance(TimeUnit.SECONDS.toNanos(20)); // 10 s left
        timer.pause(clock.nanoTime());
        clock.advance(TimeUnit.SECONDS.toNanos(100)); // reconnecting
        timer.resume(clock.nanoTime());
        assertFalse(timer.isPaused());
        clock.advance(TimeUnit.SECONDS.toNanos(10) - 1);
        assertEquals(0, expire());
        clock.advance(1);
        assertEquals(1, expire());
        assertEquals(List.of(1), expired);
    }

    @Test
    void shouldStartCountingAtTheResumeWhenArmedWhilePaused() {
        timer.pause(clock.nanoTime());
        clock.advance(TimeUnit.SECONDS.toNanos(7));
        timer.arm(2, IO_TIMEOUT);
        clock.advance(TimeUnit.SECONDS.toNanos(50));
        timer.resume(clock.nanoTime());
        clock.advance(IO_TIMEOUT - 1);
        assertEquals(0, expire());
        clock.advance(1);
        assertEquals(1, expire());
    }

    @Test
    void shouldIgnoreRepeatedPauseAndResumeWhenAlreadyInThatState() {
        timer.arm(1, IO_TIMEOUT);
        timer.resume(clock.advance(5)); // not paused: nothing moves
        timer.pause(clock.nanoTime());
        clock.advance(TimeUnit.SECONDS.toNanos(3));
        timer.pause(clock.nanoTime()); // still counts from the first pause
        timer.resume(clock.nanoTime());
        assertEquals(IO_TIMEOUT - 5, timer.remaining(1, clock.nanoTime()));
    }

    @Test
    void shouldExpireAcrossTheWrapOfNanoTime() {
        // ManualClock starts 3 s below Long.MAX_VALUE: this deadline lies past the wrap.
        timer.arm(8, TimeUnit.SECONDS.toNanos(5));
        clock.advance(TimeUnit.SECONDS.toNanos(5) - 1);
        assertTrue(clock.nanoTime() < 0, "the clock wrapped");
        assertEquals(0, expire());
        clock.advance(1);
        assertEquals(1, expire());
    }

    @Test
    void shouldRefuseTimeoutsWhenNotPositiveOrBeyondIntSeconds() {
        assertThrows(IllegalArgumentException.class, () -> timer.arm(0, 0));
        assertThrows(IllegalArgumentException.class, () -> timer.arm(0, -1));
        assertThrows(IllegalArgumentException.class, () -> timer.arm(0, Long.MAX_VALUE));
        assertThrows(IllegalStateException.class, () -> timer.remaining(0, clock.nanoTime()));
        assertEquals(0, timer.armedCount());
    }
}
