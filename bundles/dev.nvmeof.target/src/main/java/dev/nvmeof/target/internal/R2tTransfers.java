package dev.nvmeof.target.internal;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * A connection's R2T transfers: each command waiting for host data gets an R2T for up to {@link Connection#MAXH2CDATA}
 * bytes and a staging buffer from the loop's {@link BufferPool}; up to {@link #MAX} run at once, one per command (so
 * writes at a queue depth overlap their round trips, as Linux nvmet sends an R2T per command), the others wait.
 * Loop thread only.
 */
final class R2tTransfers {
    /**
     * Transfers outstanding at once per connection: enough to keep a loopback or 25 Gb/s link busy with 128 KiB writes
     * while each waits a round trip for its data (512 KiB in flight), and a bound on what a host's writes hold.
     */
    static final int MAX = 4;

    private final BufferPool buffers;
    private final ConnectionOutput output;
    private final ArrayDeque<CommandSlot> waiting = new ArrayDeque<>();
    private int running;
    /** The command whose H2CData PDU the decoder is reading now. */
    private CommandSlot receiving;
    private boolean closed;

    R2tTransfers(BufferPool buffers, ConnectionOutput output) {
        this.buffers = buffers;
        this.output = output;
    }

    /** {@code slot} needs host data: its R2T goes out now, or when a running transfer ends. */
    void request(CommandSlot slot) {
        waiting.add(slot);
        start();
    }

    /** Where an H2CData PDU of {@code slot}'s running transfer lands: its staging buffer, index 0 at the R2T's offset. */
    ByteBuffer receive(CommandSlot slot) {
        receiving = slot;
        return slot.staging.clear().limit(slot.r2tLength);
    }

    /** The offset of the data the staging buffer being received into starts at. */
    int receivingBase() {
        return receiving == null ? 0 : receiving.r2tOffset;
    }

    /** The command whose H2CData PDU just ended, or null; no PDU is being received afterwards. */
    CommandSlot received() {
        CommandSlot slot = receiving;
        receiving = null;
        return slot;
    }

    /** {@code slot}'s transfer has all its data: its staging buffer, which the caller gives back with {@link #give}. */
    ByteBuffer end(CommandSlot slot) {
        ByteBuffer staging = slot.staging;
        slot.staging = null;
        running--;
        return staging;
    }

    void give(ByteBuffer staging) {
        buffers.give(staging);
    }

    /** A part of a larger write ended: its rest goes before another command's data. */
    void continueNext(CommandSlot slot) {
        waiting.addFirst(slot);
    }

    /** Sends R2Ts for waiting commands while fewer than {@link #MAX} run. */
    void start() {
        while (running < MAX && !waiting.isEmpty() && !closed) {
            CommandSlot slot = waiting.poll();
            slot.r2tOffset = slot.received;
            slot.r2tLength = Math.min(Connection.MAXH2CDATA, slot.dataLength - slot.received);
            slot.staging = buffers.take(slot.r2tLength);
            running++;
            output.r2t(slot.cid, slot.index, slot.r2tOffset, slot.r2tLength);
        }
    }

    /** The connection closed: the running transfers' buffers go back to the pool, and no R2T goes out any more. */
    void close(CommandSlot[] slots) {
        closed = true;
        for (CommandSlot slot : slots) {
            if (slot != null && slot.staging != null) {
                buffers.give(slot.staging);
                slot.staging = null;
            }
        }
        running = 0;
    }
}
