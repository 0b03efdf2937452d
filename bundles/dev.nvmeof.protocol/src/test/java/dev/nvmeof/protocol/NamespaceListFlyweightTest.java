package dev.nvmeof.protocol;

import static dev.nvmeof.protocol.HandBytes.le;
import static dev.nvmeof.protocol.HandBytes.le32;
import static dev.nvmeof.protocol.HandBytes.zeroed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class NamespaceListFlyweightTest {

    @Test
    void shouldStopAtZeroTerminatorWhenListIsShort() {
        byte[] b = new byte[4096];
        le32(b, 0, 1);
        le32(b, 4, 2);
        le32(b, 8, 0x10000);
        le32(b, 16, 7); // after the terminator at 12: not part of the list
        NamespaceListFlyweight list = new NamespaceListFlyweight().wrap(le(b), 0);

        assertEquals(3, list.count());
        assertEquals(0x10000, list.nsid(2));
        assertArrayEquals(new int[] {1, 2, 0x10000}, list.toArray());
    }

    @Test
    void shouldCountZeroWhenListIsEmpty() {
        assertEquals(0, new NamespaceListFlyweight().wrap(zeroed(4096), 0).count());
    }

    @Test
    void shouldIterateAll1024WhenListIsFull() {
        byte[] b = new byte[4096];
        for (int i = 0; i < 1024; i++) {
            le32(b, i * 4, i + 1);
        }
        NamespaceListFlyweight list = new NamespaceListFlyweight().wrap(le(b), 0);

        assertEquals(1024, list.count());
        long sum = 0;
        for (int i = 0, n = list.count(); i < n; i++) {
            sum += list.nsid(i);
        }
        assertEquals(1024L * 1025 / 2, sum);
        assertEquals(1024, list.nsid(1023));
        assertThrows(IndexOutOfBoundsException.class, () -> list.nsid(1024));
    }

    @Test
    void shouldEncodeSameBytesWhenWrittenFromArray() {
        byte[] expected = new byte[4096];
        le32(expected, 0, 5);
        le32(expected, 4, 0xFFFFFFFE); // the largest NSID, unsigned
        ByteBuffer out = zeroed(4096);
        out.putInt(100, 42); // stale data past the list must be cleared

        new NamespaceListFlyweight().wrap(out, 0).write(new int[] {5, 0xFFFFFFFE});

        assertArrayEquals(expected, out.array());
    }

    @Test
    void shouldRejectWriteWhenNsidsNotIncreasingOrZero() {
        NamespaceListFlyweight list = new NamespaceListFlyweight().wrap(zeroed(4096), 0);

        assertThrows(IllegalArgumentException.class, () -> list.write(new int[] {2, 1}));
        assertThrows(IllegalArgumentException.class, () -> list.write(new int[] {1, 0}));
        assertThrows(IllegalArgumentException.class, () -> list.write(new int[] {-1}));
        assertThrows(IllegalArgumentException.class, () -> list.write(new int[1025]));
    }

    @Test
    void shouldReportOverflowWhenFirstChangedEntryIsAllOnes() {
        byte[] b = new byte[4096];
        le32(b, 0, 0xFFFFFFFF);
        ChangedNamespaceListFlyweight log = new ChangedNamespaceListFlyweight().wrap(le(b), 0);

        assertTrue(log.overflowed());
        assertEquals(0, log.count());
    }

    @Test
    void shouldListChangedNamespacesWhenNotOverflowed() {
        byte[] b = new byte[4096];
        le32(b, 0, 3);
        le32(b, 4, 9);
        ChangedNamespaceListFlyweight log = new ChangedNamespaceListFlyweight().wrap(le(b), 0);

        assertFalse(log.overflowed());
        assertArrayEquals(new int[] {3, 9}, log.toArray());
    }

    @Test
    void shouldWriteOverflowMarkerWhenMoreThan1024Changed() {
        int[] many = new int[1025];
        for (int i = 0; i < many.length; i++) {
            many[i] = i + 1;
        }
        byte[] expected = new byte[4096];
        le32(expected, 0, 0xFFFFFFFF);
        ByteBuffer out = zeroed(4096);

        new ChangedNamespaceListFlyweight().wrap(out, 0).write(many);

        assertArrayEquals(expected, out.array());
    }

    @Test
    void shouldIterateAll1024WhenChangedListIsFull() {
        int[] full = new int[1024];
        for (int i = 0; i < full.length; i++) {
            full[i] = 2 * i + 1;
        }
        ChangedNamespaceListFlyweight log = new ChangedNamespaceListFlyweight().wrap(zeroed(4096), 0).write(full);

        assertEquals(1024, log.count());
        assertEquals(2047, log.nsid(1023));
    }
}
