package dev.nvmeof.protocol.tcp;

import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Duplicates of callers' buffers, made once per buffer and reused, so moving a caller's bytes allocates nothing while
 * callers reuse their buffers, whichever tag each lands on (a view per tag would be made again every time tags and
 * buffers pair differently). An identity map with linear probing, holding up to {@code 4 x depth} buffers; when full
 * it starts over (callers that bring a new buffer each time allocate anyway). Buffers and views are held weakly: a
 * buffer its caller dropped is not kept alive here (a direct buffer's memory is freed only when it is collected).
 * One owner thread (or monitor) each.
 */
final class BufferViews {
    private final WeakReference<?>[] buffers;
    private final WeakReference<?>[] views;
    /** The slot each view was last handed to, for {@link #forWrite}. */
    private final HostSlot<?>[] users;
    private final int mask;
    private final int most;
    private int size;

    BufferViews(int depth) {
        this.most = Math.max(4, depth * 4);
        int capacity = Integer.highestOneBit(most * 2 - 1) << 1; // at most half full
        this.buffers = new WeakReference<?>[capacity];
        this.views = new WeakReference<?>[capacity];
        this.users = new HostSlot<?>[capacity];
        this.mask = capacity - 1;
    }

    /** A view of {@code buffer} whose position and limit are the engine's (the reader's: one at a time). */
    ByteBuffer of(ByteBuffer buffer) {
        return view(entry(buffer), buffer);
    }

    /**
     * A view of {@code buffer} for sending {@code slot}'s command. A view's position is its command's progress, so
     * each belongs to one command at a time: a buffer written by two commands at once gets a second view.
     */
    ByteBuffer forWrite(ByteBuffer buffer, HostSlot<?> slot) {
        int i = entry(buffer);
        ByteBuffer view = view(i, buffer);
        HostSlot<?> user = users[i];
        if (user != null && user != slot && user.inFlight && user.writeView == view) {
            return buffer.duplicate(); // another command is sending from this view right now
        }
        users[i] = slot;
        return view;
    }

    /** The entry's view, made again if it was collected while nobody used it. */
    private ByteBuffer view(int i, ByteBuffer buffer) {
        ByteBuffer view = views[i] == null ? null : (ByteBuffer) views[i].get();
        if (view == null) {
            view = buffer.duplicate();
            views[i] = new WeakReference<>(view);
            users[i] = null;
        }
        return view;
    }

    /** The entry of {@code buffer}, made when it has none (in the first entry whose buffer was collected, if any). */
    private int entry(ByteBuffer buffer) {
        int free = -1;
        int i = home(buffer);
        for (WeakReference<?> known; (known = buffers[i]) != null; i = (i + 1) & mask) {
            Object held = known.get();
            if (held == buffer) {
                return i;
            }
            if (held == null && free < 0) {
                free = i;
            }
        }
        if (free >= 0) {
            i = free;
        } else if (size == most) {
            clear();
            i = home(buffer);
        } else {
            size++;
        }
        buffers[i] = new WeakReference<>(buffer);
        views[i] = null; // made by view()
        users[i] = null;
        return i;
    }

    private int home(ByteBuffer buffer) {
        return (System.identityHashCode(buffer) * 0x9E3779B9) >>> 8 & mask;
    }

    /** Starts over (the connection is closed, or the map is full). */
    void clear() {
        Arrays.fill(buffers, null);
        Arrays.fill(views, null);
        Arrays.fill(users, null);
        size = 0;
    }
}
