package dev.nvmeof.target.internal;

import java.io.IOException;

import dev.nvmeof.protocol.GenericStatus;

/**
 * A command whose work a host sizes (Write Zeroes, deallocation, Flush and FUA forcing a file) run on the engine's
 * workers in slices, each slice its own task, so neither an event loop nor another command waiting for a worker stalls
 * behind it. Between slices it stops, without completing, once its controller no longer accepts I/O (disabled, shut
 * down, torn down) or its connection closed. It completes on its connection's loop.
 */
final class BackgroundCommand implements Runnable {
    /** The most one slice zeroes. */
    static final long SLICE = 4L << 20;

    /** The work of one command. */
    interface Work {
        /** Does at most one slice; true when everything is done. */
        boolean step() throws IOException;
    }

    private final Connection connection;
    private final CommandSlot slot;
    private final Work work;

    BackgroundCommand(Connection connection, CommandSlot slot, Work work) {
        this.connection = connection;
        this.slot = slot;
        this.work = work;
    }

    @Override
    public void run() {
        if (!connection.acceptsIo()) {
            return; // the controller or queue is gone: nobody waits for the completion, and the data must not change
        }
        boolean done;
        try {
            done = work.step();
        } catch (IOException e) {
            connection.engine.log(System.Logger.Level.WARNING, "namespace I/O failed: " + e);
            slot.fail(GenericStatus.INTERNAL_ERROR, false);
            done = true;
        } catch (RuntimeException | Error e) {
            connection.engine.handlerFailed(slot, e);
            slot.fail(GenericStatus.INTERNAL_ERROR, false);
            done = true;
        }
        if (done) {
            connection.loop.execute(() -> connection.completeHeld(slot));
        } else {
            connection.engine.background(this);
        }
    }

    /** Zeroes (or deallocates) the slot's ranges slice by slice, then forces the namespace when asked to. */
    static Work zeroRanges(Connection connection, CommandSlot slot, boolean deallocate, boolean force) {
        Namespace ns = slot.namespace;
        return new Work() {
            private int range;
            private long done;

            @Override
            public boolean step() throws IOException {
                long budget = SLICE;
                while (range < slot.rangeCount && budget > 0) {
                    long offset = slot.rangeOffsets[range] + done;
                    long n = Math.min(budget, slot.rangeLengths[range] - done);
                    if (deallocate) {
                        ns.deallocate(offset, n);
                    } else {
                        ns.zero(offset, n);
                    }
                    budget -= n;
                    done += n;
                    if (done == slot.rangeLengths[range]) {
                        range++;
                        done = 0;
                    }
                }
                if (range < slot.rangeCount) {
                    return false;
                }
                if (force) {
                    connection.force(ns);
                }
                return true;
            }
        };
    }
}
