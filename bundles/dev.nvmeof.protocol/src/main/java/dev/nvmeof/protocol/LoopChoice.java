package dev.nvmeof.protocol;

import java.util.function.IntUnaryOperator;

/**
 * Which of a set of event loops takes a new queue: the one carrying the fewest I/O queues, in turn among equals. The
 * target and the {@code tcp} transport both place queues this way; counting admin queues as I/O put two hosts' (or
 * controllers') I/O queues on one loop whenever each one's admin queue took the other.
 */
public final class LoopChoice {
    private LoopChoice() {
    }

    /**
     * The index in {@code 0..count-1} with the least {@code ioQueues}, looking from {@code turn} (taken modulo
     * {@code count}) round the ring: the first of equals wins, so equal loops take turns as {@code turn} advances.
     */
    public static int fewestIoQueues(int turn, int count, IntUnaryOperator ioQueues) {
        int start = Math.floorMod(turn, count);
        int best = start;
        for (int i = 1; i < count; i++) {
            int candidate = (start + i) % count;
            if (ioQueues.applyAsInt(candidate) < ioQueues.applyAsInt(best)) {
                best = candidate;
            }
        }
        return best;
    }
}
