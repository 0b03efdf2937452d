package dev.nvmeof.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

class IoRequestTest {

    @Test
    void shouldKeepThePolledFlagAcrossReuseLikeTheCallback() {
        IoRequest request = new IoRequest();
        assertFalse(request.polled());

        request.polled(true).write(0, ByteBuffer.allocate(512), true);
        assertTrue(request.polled());
        request.read(8, ByteBuffer.allocate(512));
        assertTrue(request.polled(), "the operation setters leave it alone");
        assertFalse(request.fua(), "while they reset what belongs to one operation");
        assertFalse(request.polled(false).polled());
    }

    @Test
    void shouldCountQueuesOfEveryKindAndRefuseNegativeOnes() {
        QueueCounts counts = new QueueCounts(2, 1, 1);
        assertEquals(4, counts.total());
        assertEquals("2 default, 1 read, 1 poll", counts.toString());
        assertEquals(0, QueueCounts.NONE.total());
        assertThrows(IllegalArgumentException.class, () -> new QueueCounts(1, -1, 0));
    }
}
