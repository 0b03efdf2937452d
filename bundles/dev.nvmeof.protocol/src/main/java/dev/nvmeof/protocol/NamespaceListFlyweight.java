package dev.nvmeof.protocol;

import java.nio.ByteBuffer;

/**
 * Active Namespace ID list (Identify CNS 02h), NVM Express Base 2.0 section 5.17.2.2 and the Namespace List of
 * section 4.4: 4096 bytes holding up to 1024 NSIDs in increasing order. Unused entries are zero, so the
 * list ends at the first zero NSID or after 1024 entries.
 *
 * <pre>
 *  offset  size  field
 *       0     4  NSID 0   the lowest active NSID greater than CDW1.NSID of the command
 *       4     4  NSID 1
 *     ...
 *    4092     4  NSID 1023
 * </pre>
 *
 * <p>NSIDs are unsigned 32-bit values returned as raw {@code int}s. Iteration does not allocate:
 * {@code for (int i = 0, n = list.count(); i < n; i++) use(list.nsid(i));}. A full list (1024 entries) means the host
 * asks again with CDW1.NSID set to the last one.
 */
public final class NamespaceListFlyweight extends StructFlyweight<NamespaceListFlyweight> {
    public static final int LENGTH = 4096;
    public static final int NSID_LENGTH = 4;
    public static final int MAX_ENTRIES = LENGTH / NSID_LENGTH;

    /** Views the 4096 bytes at {@code offset}; the buffer must be little-endian. Returns {@code this}. */
    public NamespaceListFlyweight wrap(ByteBuffer buffer, int offset) {
        return wrapAt(buffer, offset, LENGTH);
    }

    /** The number of NSIDs before the first zero entry, 0 to 1024. */
    public int count() {
        int n = 0;
        while (n < MAX_ENTRIES && nsid(n) != 0) {
            n++;
        }
        return n;
    }

    /** The raw NSID of entry {@code index} (0 to 1023); 0 past the end of the list. */
    public int nsid(int index) {
        return u32(entryOffset(index));
    }

    public NamespaceListFlyweight nsid(int index, int nsid) {
        return u32(entryOffset(index), nsid);
    }

    /** A copy of the {@link #count()} NSIDs. */
    public int[] toArray() {
        int[] nsids = new int[count()];
        for (int i = 0; i < nsids.length; i++) {
            nsids[i] = nsid(i);
        }
        return nsids;
    }

    /**
     * Writes {@code nsids} (at most 1024, none 0 or FFFFFFFFh, strictly increasing as unsigned values) and zeroes the rest,
     * which terminates the list.
     */
    public NamespaceListFlyweight write(int[] nsids) {
        checkList(nsids, MAX_ENTRIES);
        for (int i = 0; i < MAX_ENTRIES; i++) {
            nsid(i, i < nsids.length ? nsids[i] : 0);
        }
        return this;
    }

    static int entryOffset(int index) {
        if (index < 0 || index >= MAX_ENTRIES) {
            throw new IndexOutOfBoundsException("entry " + index + " outside 0.." + (MAX_ENTRIES - 1));
        }
        return index * NSID_LENGTH;
    }

    static void checkList(int[] nsids, int max) {
        if (nsids.length > max) {
            throw new IllegalArgumentException(nsids.length + " NSIDs, the list holds " + max);
        }
        for (int i = 0; i < nsids.length; i++) {
            if (nsids[i] == 0 || nsids[i] == ChangedNamespaceListFlyweight.OVERFLOW_NSID) {
                throw new IllegalArgumentException(
                        "NSID " + Integer.toUnsignedString(nsids[i]) + " at " + i + " is not a namespace");
            }
            if (i > 0 && Integer.compareUnsigned(nsids[i - 1], nsids[i]) >= 0) {
                throw new IllegalArgumentException("NSIDs must increase: " + Integer.toUnsignedString(nsids[i])
                        + " at " + i + " after " + Integer.toUnsignedString(nsids[i - 1]));
            }
        }
    }
}
