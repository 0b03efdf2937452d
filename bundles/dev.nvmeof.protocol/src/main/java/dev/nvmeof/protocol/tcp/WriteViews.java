package dev.nvmeof.protocol.tcp;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Duplicates of callers' write buffers, made once per buffer and reused, so sending a caller's bytes allocates
 * nothing while callers reuse their buffers, whichever tag each lands on (a view per tag would be made again every
 * time tags and buffers pair differently). A direct-mapped cache on identity; each view belongs to one command at a
 * time, since a view's position is that command's progress: a buffer written by two commands at once gets a second
 * view for the second. Guarded by the engine's monitor; holds at most {@code 4 x depth} buffers until cleared.
 */
final class WriteViews {
    private final ByteBuffer[] buffers;
    private final ByteBuffer[] views;
    /** The slot each view was last handed to. */
    private final HostSlot<?>[] users;
    private final int mask;

    WriteViews(int depth) {
        int size = Integer.highestOneBit(Math.max(4, depth * 4 - 1)) << 1;
        this.buffers = new ByteBuffer[size];
        this.views = new ByteBuffer[size];
        this.users = new HostSlot<?>[size];
        this.mask = size - 1;
    }

    /** A view of {@code buffer}'s bytes for {@code slot}'s command: its position and limit are the engine's. */
    ByteBuffer of(ByteBuffer buffer, HostSlot<?> slot) {
        int i = System.identityHashCode(buffer) & mask;
        if (buffers[i] == buffer) {
            HostSlot<?> user = users[i];
            if (user != slot && user.inFlight && user.writeView == views[i]) {
                return buffer.duplicate(); // another command is sending from this view right now
            }
        } else {
            buffers[i] = buffer;
            views[i] = buffer.duplicate();
        }
        users[i] = slot;
        return views[i];
    }

    /** Lets go of every caller buffer (the connection is closed). */
    void clear() {
        Arrays.fill(buffers, null);
        Arrays.fill(views, null);
        Arrays.fill(users, null);
    }
}
