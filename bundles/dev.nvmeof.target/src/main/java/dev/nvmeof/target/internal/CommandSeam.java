package dev.nvmeof.target.internal;

import dev.nvmeof.protocol.SubmissionQueueEntryFlyweight;

/**
 * A test seam: called on the event loop after a command was read and right before it executes, so a test can hold
 * a command there (by blocking the loop) while something else happens on another loop.
 */
@FunctionalInterface
interface CommandSeam {
    void beforeExecute(int qid, SubmissionQueueEntryFlyweight sqe);
}
