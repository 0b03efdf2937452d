package dev.nvmeof.testkit.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The mixed load over an in-memory device that completes at once: it verifies, and it catches what goes wrong. */
class MixedVerifiedLoadTest {

    @Test
    void shouldReadBackEveryAcknowledgedWriteOfAHealthyDevice() throws Exception {
        MixedVerifiedLoad load = new MixedVerifiedLoad(new RamDevice(), 8, 4, 4096).start();
        assertTrue(load.awaitProgress(500, 10, TimeUnit.SECONDS));
        assertTrue(load.stop(10, TimeUnit.SECONDS));
        assertNull(load.firstError());
        assertEquals(List.of(), load.verifyAll(10, TimeUnit.SECONDS));
        assertTrue(load.completions() >= 500);
    }

    @Test
    void shouldKnowItsRateAndWhenItRanAgainAfterAWindowStarts() throws Exception {
        long start = System.nanoTime();
        MixedVerifiedLoad load = new MixedVerifiedLoad(new RamDevice(), 8, 4, 4096).start();
        assertTrue(load.awaitProgress(500, 10, TimeUnit.SECONDS));
        load.resetLongestGap();
        long reset = System.nanoTime();
        // Any whole millisecond with a completion after the window's longest gap (not the one still running).
        long back = -1;
        for (int i = 0; i < 1000 && back < 0; i++) {
            assertTrue(load.awaitProgress(100, 10, TimeUnit.SECONDS));
            back = load.recoveredAt(load.longestGapEndNanos(), 1, 1);
        }
        long asked = System.nanoTime();
        assertTrue(load.stop(10, TimeUnit.SECONDS));
        assertTrue(back > reset && back <= asked, "found " + (back - reset) + " ns after the reset, "
                + (asked - reset) + " ns of it seen");
        assertTrue(load.perSecond(start, asked) > 0, "completions were counted");
    }

    @Test
    void shouldNameALostWriteByBlockAndGeneration() throws Exception {
        RamDevice device = new RamDevice();
        device.dropAt = 3 * 8; // block 3 of 4 KiB: its second write is acknowledged and never stored
        device.dropAfter = 1;
        MixedVerifiedLoad load = new MixedVerifiedLoad(device, 8, 4, 4096).start();
        String found = load.failure().get(10, TimeUnit.SECONDS); // a read of block 3 finds the old data
        assertTrue(load.stop(10, TimeUnit.SECONDS));
        assertTrue(found.contains("block 3: generation 1, the last acknowledged write was 2"), found);
    }

    @Test
    void shouldStopAtTheFirstFailedCommandAndSayWhich() throws Exception {
        RamDevice device = new RamDevice();
        device.failAt = 5 * 8;
        MixedVerifiedLoad load = new MixedVerifiedLoad(device, 8, 4, 4096).start();
        String failed = load.failure().get(10, TimeUnit.SECONDS);
        assertTrue(load.stop(10, TimeUnit.SECONDS));
        assertTrue(failed.startsWith("write of block 5 failed"), failed);
    }
}
