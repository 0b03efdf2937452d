package dev.nvmeof.protocol;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Discovery Log Page (Log Identifier 70h), NVMe over Fabrics 1.1 section 5.3: a 1024-byte header followed by NUMREC
 * entries of 1024 bytes ({@link DiscoveryLogEntryFlyweight}). Little-endian.
 *
 * <pre>
 *  offset  size  field
 *       0     8  GENCTR   generation counter, changes whenever the log changes
 *       8     8  NUMREC   number of records
 *      16     2  RECFMT   record format, 0
 *      18  1006  reserved
 *    1024  1024  entry 0
 *    2048  1024  entry 1
 *     ...
 * </pre>
 *
 * <p>This flyweight views the header; it reaches the entries only when they follow it in the same buffer. A host that
 * reads the page in several Get Log Page commands reads the header first (offset 0, {@link #HEADER_LENGTH} bytes),
 * then entries at log page offset {@link #entryOffset(long)}, {@link DiscoveryLogEntryFlyweight#LENGTH} bytes each,
 * up to {@link #requiredLength(long)} in all; then the header again, and starts over if GENCTR changed.
 */
public final class DiscoveryLogPageFlyweight extends StructFlyweight<DiscoveryLogPageFlyweight> {
    public static final int HEADER_LENGTH = 1024;
    public static final int GENCTR_OFFSET = 0;
    public static final int NUMREC_OFFSET = 8;
    public static final int RECFMT_OFFSET = 16;
    public static final int ENTRIES_OFFSET = HEADER_LENGTH;
    public static final int ENTRY_LENGTH = DiscoveryLogEntryFlyweight.LENGTH;
    /** The only record format defined. */
    public static final int RECFMT_0 = 0;

    /** Views the 1024-byte header at {@code offset}; the buffer must be little-endian. Returns {@code this}. */
    public DiscoveryLogPageFlyweight wrap(ByteBuffer buffer, int offset) {
        return wrapAt(buffer, offset, HEADER_LENGTH);
    }

    /** GENCTR, raw unsigned 64 bits. */
    public long genctr() { return u64(GENCTR_OFFSET); }
    public DiscoveryLogPageFlyweight genctr(long v) { return u64(GENCTR_OFFSET, v); }
    /** NUMREC, raw unsigned 64 bits. */
    public long numrec() { return u64(NUMREC_OFFSET); }
    public DiscoveryLogPageFlyweight numrec(long v) { return u64(NUMREC_OFFSET, v); }
    public int recfmt() { return u16(RECFMT_OFFSET); }
    public DiscoveryLogPageFlyweight recfmt(int v) { return u16(RECFMT_OFFSET, v); }

    /** The log page offset (LPO) of entry {@code index}: 1024 + 1024 * index. */
    public static long entryOffset(long index) {
        if (index < 0) {
            throw new IllegalArgumentException("negative entry index " + index);
        }
        return Math.addExact(ENTRIES_OFFSET, Math.multiplyExact(index, ENTRY_LENGTH));
    }

    /** The length of a page with {@code numrec} entries: header and entries. */
    public static long requiredLength(long numrec) {
        return entryOffset(numrec);
    }

    /**
     * Wraps {@code entry} around entry {@code index}, which must follow this header in the same buffer.
     *
     * @throws IndexOutOfBoundsException if the index is not below NUMREC or the entry is not in the buffer
     */
    public DiscoveryLogEntryFlyweight entry(int index, DiscoveryLogEntryFlyweight entry) {
        if (index < 0 || Long.compareUnsigned(index, numrec()) >= 0) {
            throw new IndexOutOfBoundsException("entry " + index + " of " + Long.toUnsignedString(numrec()));
        }
        return entry.wrap(buffer(), offset() + (int) entryOffset(index));
    }

    /** The NUMREC entries as records; they must all follow the header in this buffer. */
    public List<DiscoveryLogEntry> entries() {
        long numrec = numrec();
        long room = (buffer().limit() - offset() - ENTRIES_OFFSET) / ENTRY_LENGTH;
        if (numrec < 0 || numrec > room) {
            throw new IndexOutOfBoundsException(
                    "NUMREC is " + Long.toUnsignedString(numrec) + ", the buffer holds " + Math.max(room, 0));
        }
        DiscoveryLogEntryFlyweight entry = new DiscoveryLogEntryFlyweight();
        List<DiscoveryLogEntry> list = new ArrayList<>((int) numrec);
        for (int i = 0; i < numrec; i++) {
            list.add(entry(i, entry).toRecord());
        }
        return List.copyOf(list);
    }

    /** Writes a whole page: the header with {@code genctr}, NUMREC and RECFMT 0, then {@code entries}. */
    public DiscoveryLogPageFlyweight write(long genctr, List<DiscoveryLogEntry> entries) {
        long length = requiredLength(entries.size());
        int room = buffer().limit() - offset();
        if (length > room) {
            throw new IndexOutOfBoundsException(
                    entries.size() + " entries need " + length + " bytes, the buffer has " + room);
        }
        zero(0, HEADER_LENGTH);
        genctr(genctr).numrec(entries.size()).recfmt(RECFMT_0);
        DiscoveryLogEntryFlyweight entry = new DiscoveryLogEntryFlyweight();
        for (int i = 0; i < entries.size(); i++) {
            entry(i, entry).write(entries.get(i));
        }
        return this;
    }
}
