package dev.nvmeof.protocol.tcp;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Duplicates of callers' write buffers, made once per buffer and reused, so sending a caller's bytes allocates
 * nothing while callers reuse their buffers, whichever tag each lands on (a view per tag would be made again every
 * time tags and buffers pair differently). An identity map with linear probing, holding up to {@code 4 x depth}
 * buffers; when full it starts over (callers that bring a new buffer each time allocate anyway). Each view belongs to
 * one command at a time, since its position is that command's progress: a buffer written by two commands at once
 * gets a second view for the second. Guarded by the engine's monitor.
 */
final class WriteViews {
    private final ByteBuffer[] buffers;
    private final ByteBuffer[] views;
    /** The slot each view was last handed to. */
    private final HostSlot<?>[] users;
    private final int mask;
    private final int most;
    private int size;

    WriteViews(int depth) {
        this.most = Math.max(4, depth * 4);
        int capacity = Integer.highestOneBit(most * 2 - 1) << 1; // at most half full
        this.buffers = new ByteBuffer[capacity];
        this.views = new ByteBuffer[capacity];
        this.users = new HostSlot<?>[capacity];
        this.mask = capacity - 1;
    }

    /** A view of {@code buffer}'s bytes for {@code slot}'s command: its position and limit are the engine's. */
    ByteBuffer of(ByteBuffer buffer, HostSlot<?> slot) {
        int i = home(buffer);
        for (ByteBuffer known; (known = buffers[i]) != null; i = (i + 1) & mask) {
            if (known == buffer) {
                HostSlot<?> user = users[i];
                if (user != slot && user.inFlight && user.writeView == views[i]) {
                    return buffer.duplicate(); // another command is sending from this view right now
                }
                users[i] = slot;
                return views[i];
            }
        }
        if (size == most) {
            clear();
            i = home(buffer);
        }
        buffers[i] = buffer;
        views[i] = buffer.duplicate();
        users[i] = slot;
        size++;
        return views[i];
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
