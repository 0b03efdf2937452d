package dev.nvmeof.target.internal;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.IdentityHashMap;

/**
 * Views of namespace memory that one connection's output sends without copying ({@link Namespace#lend}), kept for
 * reuse: a view is a duplicate of one piece of namespace memory, made the first time that piece is lent and given
 * back once sent, so a steady stream of reads allocates nothing. Loop thread only.
 */
final class LentViews {
    /** One view and the memory it duplicates (the key it goes back under). */
    static final class Lent {
        final ByteBuffer memory;
        final ByteBuffer view;

        private Lent(ByteBuffer memory) {
            this.memory = memory;
            this.view = memory.duplicate();
        }
    }

    /** Idle views per piece of memory; identity, as a ByteBuffer's own hash reads its whole content. */
    private final IdentityHashMap<ByteBuffer, ArrayDeque<Lent>> idle = new IdentityHashMap<>();

    /** A view of {@code memory} from {@code at}, {@code length} bytes. */
    Lent take(ByteBuffer memory, int at, int length) {
        ArrayDeque<Lent> views = idle.get(memory);
        Lent lent = views == null ? null : views.poll();
        if (lent == null) {
            lent = new Lent(memory);
        }
        lent.view.clear().position(at).limit(at + length);
        return lent;
    }

    void give(Lent lent) {
        idle.computeIfAbsent(lent.memory, memory -> new ArrayDeque<>()).push(lent);
    }
}
