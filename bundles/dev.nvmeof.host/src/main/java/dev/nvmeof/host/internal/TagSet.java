package dev.nvmeof.host.internal;

/**
 * The command identifiers of one queue: tags {@code 0 .. size-1}, the tag is the CID, all preallocated, so handing
 * one out and taking it back allocate nothing (STYLE.md section 3). A CID the target answers that names no tag in
 * use is a fatal connection error; {@link #isInUse(int)} is how the receive path checks.
 *
 * <p><b>Reserved tags.</b> The core keeps some CIDs for itself and never hands them to I/O: on the admin queue the
 * Asynchronous Event Requests, which stay outstanding for the life of the association (the kernel keeps the AER CID
 * above its block-layer depth, {@code NVME_AQ_BLK_MQ_DEPTH = NVME_AQ_DEPTH - NVME_NR_AEN_COMMANDS}), and the tags
 * for Connect and Keep Alive (the kernel's {@code NVMF_RESERVED_TAGS} / {@code NVMF_ADMIN_RESERVED_TAGS}, so a full
 * queue can still connect and keep alive). Reserved tags are the top {@code reserved} tags,
 * {@code size - reserved .. size - 1}; {@link #reservedTag(int)} names them and the core owns them outright: they
 * are never in the free list, never acquired, never released. {@link #capacity()} is what is left for requests.
 *
 * <p><b>Reuse order.</b> The free list is a FIFO ring, not a stack: a released tag goes to the back and comes out
 * again only after every other free tag. A late answer to a command whose tag was just reused would otherwise
 * complete the wrong request; the kernel fights the same hazard with a generation counter in the CID
 * ({@code nvme_cid}, {@code nvme_genctr_mask}). FIFO keeps the CID equal to the tag and still makes immediate reuse
 * rare.
 *
 * <p><b>Threads.</b> Not thread-safe: a queue's tags belong to the queue's owner thread (STYLE.md section 4).
 */
public final class TagSet {
    private final int size;
    private final int reserved;
    private final int[] ring;
    private final boolean[] inUse;
    private int head;
    private int free;

    /**
     * @param size     the queue size: tags {@code 0 .. size-1}, at most 65535 (a CID is 16 bits and 0xFFFF is not
     *                 a usable one)
     * @param reserved how many of the top tags the core keeps for itself, {@code 0 <= reserved < size}
     */
    public TagSet(int size, int reserved) {
        if (size < 1 || size > 0xFFFF) {
            throw new IllegalArgumentException("queue size must be 1..65535: " + size);
        }
        if (reserved < 0 || reserved >= size) {
            throw new IllegalArgumentException("reserved tags must be 0.." + (size - 1) + ": " + reserved);
        }
        this.size = size;
        this.reserved = reserved;
        int capacity = size - reserved;
        this.ring = new int[capacity];
        this.inUse = new boolean[size];
        for (int tag = 0; tag < capacity; tag++) {
            ring[tag] = tag;
        }
        this.free = capacity;
    }

    /** A tag for a request, or -1 when all {@link #capacity()} tags are in use. */
    public int acquire() {
        if (free == 0) {
            return -1;
        }
        int tag = ring[head];
        head = head + 1 == ring.length ? 0 : head + 1;
        free--;
        inUse[tag] = true;
        return tag;
    }

    /**
     * Gives a tag back.
     *
     * @throws IllegalArgumentException if {@code tag} is out of range or reserved
     * @throws IllegalStateException    if {@code tag} is not in use (released twice, or never acquired)
     */
    public void release(int tag) {
        if (tag < 0 || tag >= size - reserved) {
            throw new IllegalArgumentException("not a releasable tag of this queue: " + tag
                    + (tag >= size - reserved && tag < size ? " (reserved)" : ""));
        }
        if (!inUse[tag]) {
            throw new IllegalStateException("tag " + tag + " released but not in use");
        }
        inUse[tag] = false;
        int tail = head + free;
        ring[tail >= ring.length ? tail - ring.length : tail] = tag;
        free++;
    }

    /** Whether {@code tag} is a request's tag right now (false for reserved tags and for anything out of range). */
    public boolean isInUse(int tag) {
        return tag >= 0 && tag < size && inUse[tag];
    }

    /** The {@code index}-th reserved tag ({@code 0 <= index < reserved()}): {@code size - reserved + index}. */
    public int reservedTag(int index) {
        if (index < 0 || index >= reserved) {
            throw new IndexOutOfBoundsException("reserved tag index " + index + " of " + reserved);
        }
        return size - reserved + index;
    }

    public boolean isReserved(int tag) {
        return tag >= size - reserved && tag < size;
    }

    /** Tags held by requests now. */
    public int inUse() {
        return capacity() - free;
    }

    /** Tags free for requests now. */
    public int available() {
        return free;
    }

    /** Tags for requests: the queue size minus the reserved ones. */
    public int capacity() {
        return size - reserved;
    }

    public int reserved() {
        return reserved;
    }

    /** The queue size: every tag, reserved ones included. */
    public int size() {
        return size;
    }
}
