package dev.nvmeof.perf.internal;

import java.util.concurrent.CountDownLatch;

/**
 * What the run's jobs share: when the measured window opens and closes (set before {@link #go}), whether to stop,
 * and the points where the run waits for every job.
 */
final class Window {
    final CountDownLatch prepared;
    final CountDownLatch go = new CountDownLatch(1);
    final CountDownLatch ran;
    /** The CPU of the window is taken: a job thread that ended before would take its CPU time with it. */
    final CountDownLatch measured = new CountDownLatch(1);
    final CountDownLatch finished;
    volatile long measureStart;
    volatile long end;
    volatile boolean stop;

    Window(int jobs) {
        prepared = new CountDownLatch(jobs);
        ran = new CountDownLatch(jobs);
        finished = new CountDownLatch(jobs);
    }
}
