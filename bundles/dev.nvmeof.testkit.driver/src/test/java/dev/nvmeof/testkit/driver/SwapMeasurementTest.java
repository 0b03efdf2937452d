package dev.nvmeof.testkit.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** Changes measured under the mixed load over an in-memory device; figures sorted, a stalled load reported as null. */
class SwapMeasurementTest {

    @Test
    void shouldMeasureEachChangeAndSummarizeThem() throws Exception {
        MixedVerifiedLoad load = new MixedVerifiedLoad(new RamDevice(), 8, 4, 4096).start();
        long running = System.nanoTime();
        assertTrue(load.awaitProgress(500, 10, TimeUnit.SECONDS));
        SwapMeasurement swaps = new SwapMeasurement(load, 16, 10);
        assertTrue(swaps.warmUp(running));
        for (int i = 0; i < 3; i++) {
            SwapMeasurement.Measured m = swaps.measure(() -> { });
            assertNotNull(m, "I/O went on");
            assertTrue(m.pauseMillis() >= 0 && m.perSecondBefore() > 0, m.toString());
        }
        assertTrue(load.stop(10, TimeUnit.SECONDS));
        SwapMeasurement.Figures f = swaps.figures();
        assertEquals(3, f.count());
        assertTrue(f.pause(0) <= f.pause(0.5) && f.pause(0.5) <= f.pause(1), "sorted");
        assertEquals("not back", SwapMeasurement.Figures.millis(Long.MAX_VALUE));
        assertEquals("37 ms", SwapMeasurement.Figures.millis(37));
    }

    @Test
    void shouldReportAChangeAfterWhichIoDoesNotFlowAsNull() throws Exception {
        MixedVerifiedLoad load = new MixedVerifiedLoad(new RamDevice(), 8, 4, 4096).start();
        assertTrue(load.awaitProgress(100, 10, TimeUnit.SECONDS));
        SwapMeasurement swaps = new SwapMeasurement(load, 16, 1);
        assertNull(swaps.measure(() -> assertTrue(load.stop(10, TimeUnit.SECONDS))), "the load stopped: no flow");
        assertEquals(0, swaps.figures().count());
    }
}
