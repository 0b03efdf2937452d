package dev.nvmeof.testkit.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** Rates before and after a pause, on a made-up clock: completions at known instants. */
class CompletionHistoryTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long ORIGIN = 5_000 * MS; // any clock reading

    /** {@code perMilli} completions in each millisecond of {@code [fromMs, toMs)}. */
    private static void steady(CompletionHistory history, long fromMs, long toMs, int perMilli) {
        for (long ms = fromMs; ms < toMs; ms++) {
            for (int i = 0; i < perMilli; i++) {
                history.record(ORIGIN + ms * MS + i * (MS / perMilli));
            }
        }
    }

    @Test
    void shouldGiveTheRateOverWholeMilliseconds() {
        CompletionHistory history = new CompletionHistory(ORIGIN, 1000);
        steady(history, 0, 200, 20);
        assertEquals(20_000, history.perSecond(ORIGIN, ORIGIN + 200 * MS), 0.001);
        assertEquals(4000, history.count(ORIGIN, ORIGIN + 200 * MS));
        assertEquals(200, history.count(ORIGIN + 50 * MS, ORIGIN + 60 * MS));
        assertEquals(0, history.perSecond(ORIGIN + 10 * MS, ORIGIN + 10 * MS), "an empty range");
    }

    @Test
    void shouldFindTheFirstWindowBackAtNinetyPercentAfterAPause() {
        CompletionHistory history = new CompletionHistory(ORIGIN, 1000);
        steady(history, 0, 200, 20);       // 20k per second before
        steady(history, 260, 280, 5);      // a pause of 60 ms, then a slow start at a quarter
        steady(history, 280, 300, 19);     // back at 95 %
        long found = history.firstWindowAtRate(ORIGIN + 200 * MS, ORIGIN + 300 * MS, 10, 0.9 * 20_000);
        assertEquals(ORIGIN + 290 * MS, found, "the window [280, 290) is the first one at 90 %");
        assertEquals(-1, history.firstWindowAtRate(ORIGIN + 200 * MS, ORIGIN + 289 * MS, 10, 18_000),
                "no window at 90 % ends by 289 ms");
    }

    @Test
    void shouldCountAWindowThatStraddlesTheSlowStart() {
        CompletionHistory history = new CompletionHistory(ORIGIN, 1000);
        steady(history, 0, 10, 10);
        steady(history, 10, 30, 20);
        // [5, 15) holds 5 x 10 + 5 x 20 = 150 per 10 ms = 15k/s: the first window at 15k/s ends at 15 ms
        assertEquals(ORIGIN + 15 * MS, history.firstWindowAtRate(ORIGIN, ORIGIN + 30 * MS, 10, 15_000));
    }

    @Test
    void shouldForgetWhatIsOlderThanItsHistory() {
        CompletionHistory history = new CompletionHistory(ORIGIN, 100);
        steady(history, 0, 10, 7);
        steady(history, 100, 110, 3); // the same buckets, 100 ms later
        assertEquals(30, history.count(ORIGIN + 100 * MS, ORIGIN + 110 * MS));
        assertEquals(0, history.count(ORIGIN, ORIGIN + 10 * MS), "overwritten, not added to");
        assertEquals(0, history.count(ORIGIN - 50 * MS, ORIGIN), "before the origin");
    }

    @Test
    void shouldRefuseAnEmptyHistory() {
        assertThrows(IllegalArgumentException.class, () -> new CompletionHistory(ORIGIN, 0));
    }
}
