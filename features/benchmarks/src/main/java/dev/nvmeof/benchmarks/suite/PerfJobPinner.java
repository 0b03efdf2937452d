package dev.nvmeof.benchmarks.suite;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Checks and records the pinning of a perf run's job threads ({@code perf-*}), which {@code Perf.run} starts on its
 * own: they inherit the host CPU of the suite's thread that starts them; a thread of the suite ({@code suite-pinner})
 * watches {@code /proc/self/task} for that many new ones, reads their {@code Cpus_allowed_list}, pins any that are
 * not there yet (through {@link ThreadPinning}, which checks the move) and says whether it was in time.
 */
final class PerfJobPinner {
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final Thread thread;
    private volatile boolean stopped;
    private volatile long pinnedAt;
    private volatile boolean bornPinned;
    private volatile RuntimeException failure;

    private PerfJobPinner(ThreadPinning pinning, SuitePlacement placement, int jobs, long waitNanos) {
        Set<String> before = ThreadPinning.tasks().keySet();
        thread = new Thread(() -> {
            try {
                long deadline = System.nanoTime() + waitNanos;
                // bounded by the deadline, and by the run's end (stop)
                while (!stopped && System.nanoTime() - deadline < 0) {
                    List<String> found = newJobs(before);
                    if (found.size() >= jobs) {
                        // born on the host CPU (inherited from the pinned thread that started them): pinned from
                        // their first instruction, whenever this thread got to look
                        bornPinned = found.stream().allMatch(tid -> Integer.toString(placement.hostCpu).equals(
                                ThreadPinning.allowedCpus(Path.of("/proc/self/task", tid, "status"))));
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

    /** Thread ids of perf job threads started since {@code before}. */
    private static List<String> newJobs(Set<String> before) {
        List<String> tids = new ArrayList<>();
        for (Map.Entry<String, String> task : ThreadPinning.tasks().entrySet()) {
            if (!before.contains(task.getKey()) && task.getValue().startsWith("perf-")) {
                tids.add(task.getKey());
            }
        }
        return tids;
    }

    /** Ends the watch (the run is over) and rethrows a pinning failure. */
    void stop() throws InterruptedException {
        stopped = true;
        thread.join(TimeUnit.SECONDS.toMillis(30));
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Whether the jobs ran pinned before {@code windowOpensAfter}: born on the host CPU, or moved there before.
     */
    boolean pinnedBefore(long windowOpensAfter) {
        return bornPinned || pinnedAt != 0 && pinnedAt - windowOpensAfter < 0;
    }
}
