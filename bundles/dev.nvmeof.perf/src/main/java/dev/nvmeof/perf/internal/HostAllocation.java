package dev.nvmeof.perf.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.HashMap;
import java.util.Map;

/**
 * Heap bytes allocated by the host side's threads ({@code com.sun.management.ThreadMXBean}): the perf jobs
 * ({@code perf-*}), the tcp transport's event loops ({@code nvme-tcp-*}), the emulated NIC's engines ({@code nic-*})
 * and the driver kit's completion threads ({@code irq/*}); the target's threads are not the host's. Benchmark e's
 * figure: divided by the I/Os of a window it is bytes per I/O of the whole submit-to-complete path.
 */
final class HostAllocation {
    static final String[] HOST_THREAD_PREFIXES = {"perf-", "nvme-tcp-", "nic-", "irq/"};

    /** Bytes allocated so far per live host-side thread id; null where the JVM cannot say. */
    static Map<Long, Long> sample() {
        try {
            return Counter.sample();
        } catch (LinkageError | UnsupportedOperationException notHotSpot) {
            // com.sun.management absent (or not imported in a framework): no figure rather than no run
            return null;
        }
    }

    /** Bytes allocated between two samples by threads alive at the second; -1 when either has no figure. */
    static long between(Map<Long, Long> earlier, Map<Long, Long> later) {
        if (earlier == null || later == null) {
            return -1;
        }
        long total = 0;
        for (Map.Entry<Long, Long> e : later.entrySet()) {
            total += e.getValue() - earlier.getOrDefault(e.getKey(), 0L); // a thread started meanwhile: all of it
        }
        return total;
    }

    static boolean hostSide(String threadName) {
        for (String prefix : HOST_THREAD_PREFIXES) {
            if (threadName.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** Apart, so a JVM without {@code com.sun.management} fails on loading this class, not HostAllocation. */
    private static final class Counter {
        static Map<Long, Long> sample() {
            var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            if (!threads.isThreadAllocatedMemorySupported() || !threads.isThreadAllocatedMemoryEnabled()) {
                return null;
            }
            Map<Long, Long> bytes = new HashMap<>();
            for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds(), 0)) {
                if (info != null && hostSide(info.getThreadName())) {
                    long allocated = threads.getThreadAllocatedBytes(info.getThreadId());
                    if (allocated >= 0) { // -1: ended meanwhile
                        bytes.put(info.getThreadId(), allocated);
                    }
                }
            }
            return bytes;
        }
    }
}
