package dev.nvmeof.protocol.tcp;

/**
 * The PDUs a {@link HostQueueEngine} has to write, in order: a fixed ring of entries {@code tag << 2 | kind} (a slot
 * has at most one entry, plus one control PDU), so it never grows and allocates nothing. Guarded by the engine's
 * monitor.
 */
final class OutputRing {
    static final int COMMAND = 0;
    static final int H2C = 1;
    static final int CONTROL = 2;

    private final int[] entries;
    private int head;
    private int count;

    OutputRing(int slots) {
        this.entries = new int[slots + 1];
    }

    static int tag(int entry) {
        return entry >>> 2;
    }

    static int kind(int entry) {
        return entry & 3;
    }

    int size() {
        return count;
    }

    /** The {@code i}-th entry from the head. */
    int get(int i) {
        return entries[(head + i) % entries.length];
    }

    void push(int tag, int kind) {
        entries[(head + count) % entries.length] = tag << 2 | kind;
        count++;
    }

    /** Takes the head entry off and returns it. */
    int pop() {
        int entry = entries[head];
        head = (head + 1) % entries.length;
        count--;
        return entry;
    }

    /** Removes the entry at position {@code i} from the head, keeping the order of the others. */
    void removeAt(int i) {
        for (int j = i; j < count - 1; j++) {
            entries[(head + j) % entries.length] = entries[(head + j + 1) % entries.length];
        }
        count--;
    }

    void clear() {
        count = 0;
    }
}
