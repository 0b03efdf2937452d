package dev.nvmeof.host.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;

import org.junit.jupiter.api.Test;

class TagSetTest {
    @Test
    void shouldHandOutEveryTagOnceWhenAcquiredToExhaustion() {
        TagSet tags = new TagSet(128, 0);
        BitSet seen = new BitSet();
        for (int i = 0; i < 128; i++) {
            int tag = tags.acquire();
            assertTrue(tag >= 0 && tag < 128, "tag " + tag);
            assertFalse(seen.get(tag), "tag " + tag + " twice");
            seen.set(tag);
            assertTrue(tags.isInUse(tag));
        }
        assertEquals(128, tags.inUse());
        assertEquals(0, tags.available());
        assertEquals(-1, tags.acquire());
        assertEquals(-1, tags.acquire());
    }

    @Test
    void shouldAcquireAgainWhenATagIsReleasedAfterExhaustion() {
        TagSet tags = new TagSet(16, 0);
        for (int i = 0; i < 16; i++) {
            tags.acquire();
        }
        tags.release(7);
        assertFalse(tags.isInUse(7));
        assertEquals(15, tags.inUse());
        assertEquals(7, tags.acquire());
        assertEquals(-1, tags.acquire());
    }

    @Test
    void shouldReuseAReleasedTagLastWhenOthersAreFree() {
        TagSet tags = new TagSet(4, 0);
        int first = tags.acquire();
        tags.release(first);
        // FIFO: the three never-used tags come out before the one just released.
        int[] order = {tags.acquire(), tags.acquire(), tags.acquire(), tags.acquire()};
        assertEquals(first, order[3]);
        assertEquals(-1, tags.acquire());
    }

    @Test
    void shouldThrowWhenATagIsReleasedTwice() {
        TagSet tags = new TagSet(8, 0);
        int tag = tags.acquire();
        tags.release(tag);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> tags.release(tag));
        assertTrue(e.getMessage().contains("tag " + tag), e.getMessage());
        assertEquals(0, tags.inUse());
        assertEquals(8, tags.available());
    }

    @Test
    void shouldThrowWhenATagNeverAcquiredIsReleased() {
        TagSet tags = new TagSet(8, 0);
        assertThrows(IllegalStateException.class, () -> tags.release(3));
        assertEquals(8, tags.available());
    }

    @Test
    void shouldThrowWhenATagOutOfRangeIsReleased() {
        TagSet tags = new TagSet(8, 0);
        assertThrows(IllegalArgumentException.class, () -> tags.release(-1));
        assertThrows(IllegalArgumentException.class, () -> tags.release(8));
        assertFalse(tags.isInUse(-1));
        assertFalse(tags.isInUse(8));
    }

    @Test
    void shouldKeepReservedTagsOutOfThePoolWhenTheCoreReservesThem() {
        // An admin queue of 32 with one AER, one Keep Alive and one Connect tag kept by the core.
        TagSet tags = new TagSet(32, 3);
        assertEquals(32, tags.size());
        assertEquals(29, tags.capacity());
        assertEquals(3, tags.reserved());
        assertEquals(29, tags.reservedTag(0));
        assertEquals(31, tags.reservedTag(2));
        assertThrows(IndexOutOfBoundsException.class, () -> tags.reservedTag(3));
        assertThrows(IndexOutOfBoundsException.class, () -> tags.reservedTag(-1));
        for (int i = 0; i < 29; i++) {
            int tag = tags.acquire();
            assertTrue(tag < 29, "reserved tag " + tag + " handed out");
            assertFalse(tags.isReserved(tag));
        }
        assertEquals(-1, tags.acquire());
        assertTrue(tags.isReserved(29));
        assertTrue(tags.isReserved(31));
        assertFalse(tags.isInUse(31));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tags.release(30));
        assertTrue(e.getMessage().contains("reserved"), e.getMessage());
    }

    @Test
    void shouldRefuseSizesWhenOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> new TagSet(0, 0));
        assertThrows(IllegalArgumentException.class, () -> new TagSet(0x10000, 0));
        assertThrows(IllegalArgumentException.class, () -> new TagSet(8, 8));
        assertThrows(IllegalArgumentException.class, () -> new TagSet(8, -1));
        assertEquals(1, new TagSet(8, 7).capacity());
    }

    @Test
    void shouldStayConsistentWhenAcquiresAndReleasesInterleaveForLong() {
        TagSet tags = new TagSet(1024, 1);
        java.util.SplittableRandom random = new java.util.SplittableRandom(42);
        BitSet held = new BitSet();
        for (int step = 0; step < 200_000; step++) {
            if (held.cardinality() > 0 && random.nextBoolean()) {
                int pick = held.nextSetBit(random.nextInt(1023));
                if (pick < 0) {
                    pick = held.nextSetBit(0);
                }
                tags.release(pick);
                held.clear(pick);
            } else {
                int tag = tags.acquire();
                if (held.cardinality() == 1023) {
                    assertEquals(-1, tag);
                } else {
                    assertFalse(held.get(tag));
                    held.set(tag);
                }
            }
            assertEquals(held.cardinality(), tags.inUse());
        }
    }
}
