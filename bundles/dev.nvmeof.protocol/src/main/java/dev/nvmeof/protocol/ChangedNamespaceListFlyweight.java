package dev.nvmeof.protocol;

import java.nio.ByteBuffer;

/**
 * Changed Namespace List log page (Log Identifier 04h), NVM Express Base 2.0 section 5.16.1.5: a
 * Namespace List of 4096 bytes with up to 1024 NSIDs whose Identify data changed since the page was last read with
 * Retain Asynchronous Event cleared. Unused entries are zero. If more than 1024 namespaces changed, the first entry is
 * FFFFFFFFh and the rest are zero: the host then rescans every namespace.
 *
 * <pre>
 *  offset  size  field
 *       0     4  NSID 0   (FFFFFFFFh: more than 1024 namespaces changed)
 *       4     4  NSID 1
 *     ...
 *    4092     4  NSID 1023
 * </pre>
 *
 * <p>Iteration does not allocate: {@code if (!log.overflowed()) for (int i = 0; i < log.count(); i++) log.nsid(i)}.
 */
public final class ChangedNamespaceListFlyweight extends StructFlyweight<ChangedNamespaceListFlyweight> {
    public static final int LENGTH = NamespaceListFlyweight.LENGTH;
    public static final int NSID_LENGTH = NamespaceListFlyweight.NSID_LENGTH;
    public static final int MAX_ENTRIES = NamespaceListFlyweight.MAX_ENTRIES;
    /** The first entry's value when more than {@link #MAX_ENTRIES} namespaces changed. */
    public static final int OVERFLOW_NSID = 0xFFFF_FFFF;

    /** Views the 4096 bytes at {@code offset}; the buffer must be little-endian. Returns {@code this}. */
    public ChangedNamespaceListFlyweight wrap(ByteBuffer buffer, int offset) {
        return wrapAt(buffer, offset, LENGTH);
    }

    /** Whether more than 1024 namespaces changed, so that the list names none of them. */
    public boolean overflowed() {
        return nsid(0) == OVERFLOW_NSID;
    }

    /** The number of NSIDs listed, 0 to 1024; 0 if the list {@link #overflowed()}. */
    public int count() {
        if (overflowed()) {
            return 0;
        }
        int n = 0;
        while (n < MAX_ENTRIES && nsid(n) != 0) {
            n++;
        }
        return n;
    }

    /** The raw NSID of entry {@code index} (0 to 1023). */
    public int nsid(int index) {
        return u32(NamespaceListFlyweight.entryOffset(index));
    }

    public ChangedNamespaceListFlyweight nsid(int index, int nsid) {
        return u32(NamespaceListFlyweight.entryOffset(index), nsid);
    }

    /** A copy of the {@link #count()} NSIDs; empty if the list overflowed. */
    public int[] toArray() {
        int[] nsids = new int[count()];
        for (int i = 0; i < nsids.length; i++) {
            nsids[i] = nsid(i);
        }
        return nsids;
    }

    /**
     * Writes the changed NSIDs (non-zero, strictly increasing as unsigned values) and zeroes the rest. More than 1024
     * of them are written as the overflow marker, as the spec asks.
     */
    public ChangedNamespaceListFlyweight write(int[] nsids) {
        if (nsids.length > MAX_ENTRIES) {
            return writeOverflow();
        }
        NamespaceListFlyweight.checkList(nsids, MAX_ENTRIES);
        for (int i = 0; i < MAX_ENTRIES; i++) {
            nsid(i, i < nsids.length ? nsids[i] : 0);
        }
        return this;
    }

    /** Writes FFFFFFFFh in the first entry and zeroes the rest. */
    public ChangedNamespaceListFlyweight writeOverflow() {
        nsid(0, OVERFLOW_NSID);
        for (int i = 1; i < MAX_ENTRIES; i++) {
            nsid(i, 0);
        }
        return this;
    }
}
