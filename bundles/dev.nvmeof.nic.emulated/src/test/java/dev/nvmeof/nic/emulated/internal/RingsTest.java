package dev.nvmeof.nic.emulated.internal;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RingsTest {

    @Test
    void shouldWakeTheEngineOncePerBatchOfDoorbells() {
        Rings rings = new Rings(8);
        int wakeups = 0;
        for (int tail = 1; tail <= 5; tail++) {
            wakeups += rings.ringDoorbell(tail) ? 1 : 0;
        }
        assertEquals(1, wakeups);
        assertEquals(5, rings.beginConsume());
        assertTrue(rings.ringDoorbell(6));
    }

    @Test
    void shouldRefuseADoorbellThatOverfillsTheRing() {
        Rings rings = new Rings(4);
        rings.ringDoorbell(4);
        assertThrows(IllegalStateException.class, () -> rings.ringDoorbell(5));
        assertThrows(IllegalArgumentException.class, () -> rings.ringDoorbell(3));
    }

    @Test
    void shouldWrapAroundAndReapInOrder() {
        Rings rings = new Rings(4);
        assertSame(rings.slot(0), rings.slot(4));
        assertSame(rings.slot(-1), rings.slot(3));
        int tail = Integer.MAX_VALUE - 1; // the running counters wrap past Integer.MAX_VALUE
        Rings wrapped = new Rings(4);
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 4; i++) {
                wrapped.complete(i, 0, round, 0);
            }
            int[] seen = new int[1];
            assertEquals(4, wrapped.reap((cid, status, dw0, dw1) -> assertEquals(seen[0]++, cid)));
        }
        assertFalse(tail > 0 && wrapped.pendingCompletions() != 0);
    }
}
