package dev.nvmeof.protocol.tcp;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Duplicates of callers' buffers, made once per buffer and reused, so moving a caller's bytes allocates nothing while
 * callers reuse their buffers, whichever tag each lands on (a view per tag would be made again every time tags and
 * buffers pair differently). An identity map with linear probing, holding up to {@code 4 x depth} buffers; when full
 * it starts over (callers that bring a new buffer each time allocate anyway). One owner thread (or monitor) each.
 */
final class BufferViews {
    private final ByteBuffer[] buffers;
    private final ByteBuffer[] views;
    /** The slot each view was last handed to, for {@link #forWrite}. */
    private final HostSlot<?>[] users;
    private final int mask;
    private final int most;
    private int size;

    BufferViews(int depth) {
        this.most = Math.max(4, depth * 4);
        int capacity = Integer.highestOneBit(most * 2 - 1) << 1; // at most half full
        this.buffers = new ByteBuffer[capacity];
        this.views = new ByteBuffer[capacity];
        this.users = new HostSlot<?>[capacity];
        this.mask = capacity - 1;
    }

    /** A view of {@code buffer} whose position and limit are the engine's (the reader's: one at a time). */
    ByteBuffer of(ByteBuffer buffer) {
        return views[entry(buffer)];
    }

    /**
     * A view of {@code buffer} for sending {@code slot}'s command. A view's position is its command's progress, so
     * each belongs to one command at a time: a buffer written by two commands at once gets a second view.
     */
    ByteBuffer forWrite(ByteBuffer buffer, HostSlot<?> slot) {
        int i = entry(buffer);
        HostSlot<?> user = users[i];
        if (user != null && user != slot && user.inFlight && user.writeView == views[i]) {
            return buffer.duplicate(); // another command is sending from this view right now
        }
        users[i] = slot;
        return views[i];
    }

    /** The entry of {@code buffer}, made (with its duplicate) when it has none. */
    private int entry(ByteBuffer buffer) {
        int i = home(buffer);
        for (ByteBuffer known; (known = buffers[i]) != null; i = (i + 1) & mask) {
            if (known == buffer) {
                return i;
            }
        }
        if (size == most) {
            clear();
            i = home(buffer);
        }
        buffers[i] = buffer;
        views[i] = buffer.duplicate();
        users[i] = null;
        size++;
        return i;
    }

    private int home(ByteBuffer buffer) {
        return (System.identityHashCode(buffer) * 0x9E3779B9) >>> 8 & mask;
    }

    /** Lets go of every caller buffer (the connection is closed, or the map is full). */
    void clear() {
        Arrays.fill(buffers, null);
        Arrays.fill(views, null);
        Arrays.fill(users, null);
        size = 0;
    }
}
