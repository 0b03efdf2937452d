package dev.nvmeof.api;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;

/**
 * Where this JVM's CPU time goes, by class of thread: the host (the stack's and the application's threads), the
 * emulated NIC's engines (threads named {@code nic-*}), the embedded target ({@code nvmeof-target-*}) and the JVM
 * itself (GC and JIT: the process's CPU time not spent in any Java thread). The point of offload is less host CPU
 * per I/O, so benchmarks and tools report these apart. Thread CPU time of threads that ended between two snapshots
 * is lost to its class (and counted as JVM); keep long-lived threads while measuring.
 */
public final class CpuAccounting {

    /** The class of a thread, by its name. */
    public enum ThreadClass {
        HOST, NIC_ENGINE, TARGET;

        public static ThreadClass of(String threadName) {
            if (threadName.startsWith("nic-")) {
                return NIC_ENGINE;
            }
            if (threadName.startsWith("nvmeof-target-")) {
                return TARGET;
            }
            return HOST;
        }
    }

    /**
     * CPU nanoseconds by class at one moment (or between two, after {@link #minus}).
     *
     * @param jvmNanos the process's CPU time outside Java threads (GC, JIT); the process's total comes from the OS
     *                 in clock ticks (10 ms on Linux), so this one is coarse
     */
    public record Snapshot(long hostNanos, long nicEngineNanos, long targetNanos, long jvmNanos) {

        public Snapshot minus(Snapshot earlier) {
            return new Snapshot(hostNanos - earlier.hostNanos, nicEngineNanos - earlier.nicEngineNanos,
                    targetNanos - earlier.targetNanos, Math.max(0, jvmNanos - earlier.jvmNanos));
        }

        public long totalNanos() {
            return hostNanos + nicEngineNanos + targetNanos + jvmNanos;
        }
    }

    private CpuAccounting() {
    }

    /** Sums every live thread's CPU time into its class. Costs a few microseconds per thread: not per I/O. */
    public static Snapshot snapshot() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long[] byClass = new long[ThreadClass.values().length];
        for (var info : threads.getThreadInfo(threads.getAllThreadIds(), 0)) {
            if (info == null) {
                continue; // ended meanwhile
            }
            long cpu = threads.getThreadCpuTime(info.getThreadId());
            if (cpu > 0) {
                byClass[ThreadClass.of(info.getThreadName()).ordinal()] += cpu;
            }
        }
        long javaThreads = byClass[0] + byClass[1] + byClass[2];
        long process = ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(javaThreads);
        return new Snapshot(byClass[ThreadClass.HOST.ordinal()], byClass[ThreadClass.NIC_ENGINE.ordinal()],
                byClass[ThreadClass.TARGET.ordinal()], Math.max(0, process - javaThreads));
    }
}
