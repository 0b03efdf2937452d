package dev.nvmeof.benchmarks.suite;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Pins a perf run's job threads ({@code perf-*}), which {@code Perf.run} starts on its own: a thread of the suite
 * ({@code suite-pinner}, of neither side) watches {@code /proc/self/task} for that many new ones, pins them, and
 * says when. The jobs prefill the region and ramp before the window opens, so the pinning lands before it.
 */
final class PerfJobPinner {
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final Thread thread;
    private volatile boolean stopped;
    private volatile long pinnedAt;
    private volatile RuntimeException failure;

    private PerfJobPinner(ThreadPinning pinning, SuitePlacement placement, int jobs, long waitNanos) {
        Set<String> before = ThreadPinning.tasks().keySet();
        thread = new Thread(() -> {
            try {
                long deadline = System.nanoTime() + waitNanos;
                // bounded by the deadline, and by the run's end (stop)
                while (!stopped && System.nanoTime() - deadline < 0) {
                    if (newJobs(before) >= jobs) {
                        pinning.pin(placement);
                        pinnedAt = System.nanoTime();
                        return;
                    }
                    LockSupport.parkNanos(POLL_NANOS);
                }
            } catch (RuntimeException e) {
                failure = e;
            }
        }, "suite-pinner");
        thread.setDaemon(true);
    }

    static PerfJobPinner start(ThreadPinning pinning, SuitePlacement placement, int jobs, long waitNanos) {
        PerfJobPinner pinner = new PerfJobPinner(pinning, placement, jobs, waitNanos);
        if (placement.pinned()) {
            pinner.thread.start();
        }
        return pinner;
    }

    private static int newJobs(Set<String> before) {
        int n = 0;
        for (Map.Entry<String, String> task : ThreadPinning.tasks().entrySet()) {
            if (!before.contains(task.getKey()) && task.getValue().startsWith("perf-")) {
                n++;
            }
        }
        return n;
    }

    /** Ends the watch (the run is over) and rethrows a pinning failure. */
    void stop() throws InterruptedException {
        stopped = true;
        thread.join(TimeUnit.SECONDS.toMillis(30));
        if (failure != null) {
            throw failure;
        }
    }

    /** When the jobs were pinned ({@link System#nanoTime()}), 0 if they were not. */
    long pinnedAt() {
        return pinnedAt;
    }
}
