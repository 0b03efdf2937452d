package dev.nvmeof.target.internal;

/**
 * A connection's command slots, one per queue entry: created on first use and reused, so a queue's steady state
 * allocates nothing per command. A slot's index is also the TTAG of its R2Ts. Loop thread only.
 */
final class CommandSlots {
    private final CommandSlot[] slots;
    private final int[] free;
    private int freeCount;

    CommandSlots(int entries) {
        slots = new CommandSlot[entries];
        free = new int[entries];
        for (int i = 0; i < entries; i++) {
            free[i] = entries - 1 - i;
        }
        freeCount = entries;
    }

    boolean full() {
        return freeCount == 0;
    }

    /** A free slot, reset for command {@code cid}; the caller checked {@link #full}. */
    CommandSlot take(int cid) {
        int index = free[--freeCount];
        CommandSlot slot = slots[index];
        if (slot == null) {
            slot = new CommandSlot(index);
            slots[index] = slot;
        }
        slot.reset(cid);
        return slot;
    }

    void release(CommandSlot slot) {
        free[freeCount++] = slot.index;
    }

    /** The slot of TTAG {@code index}, or null when there is none. */
    CommandSlot byTag(int index) {
        return index >= 0 && index < slots.length ? slots[index] : null;
    }

    /** Every slot made so far (some null). */
    CommandSlot[] all() {
        return slots;
    }
}
