package dev.nvmeof.api;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Arrays;

/**
 * Where this JVM's CPU time goes, by class of thread: the host (the stack's and the application's threads), the
 * emulated NIC's engines (threads named {@code nic-*}), the embedded target ({@code nvmeof-target-*}) and the JVM
 * itself (GC and JIT: the process's CPU time not spent in any Java thread). The point of offload is less host CPU
 * per I/O, so benchmarks and tools report these apart. Between two snapshots each thread counts what it used
 * meanwhile; a thread that ended in between counts nothing (its last CPU time is gone with it: it shows as JVM
 * time), so keep long-lived threads while measuring.
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
     * @param threads  each live thread's CPU time at the moment, so that {@link #minus} counts per thread
     *                 ({@link ThreadTimes#NONE} for a difference, or figures made by hand)
     */
    public record Snapshot(long hostNanos, long nicEngineNanos, long targetNanos, long jvmNanos,
            ThreadTimes threads) {

        public Snapshot(long hostNanos, long nicEngineNanos, long targetNanos, long jvmNanos) {
            this(hostNanos, nicEngineNanos, targetNanos, jvmNanos, ThreadTimes.NONE);
        }

        /**
         * What was used between {@code earlier} and this snapshot, per class: each thread's own difference (a thread
         * that ended in between counts nothing, one that started counts all it used), never less than zero.
         */
        public Snapshot minus(Snapshot earlier) {
            long processNow = totalNanos();
            long processThen = earlier.totalNanos();
            if (threads == ThreadTimes.NONE || earlier.threads == ThreadTimes.NONE) {
                return new Snapshot(Math.max(0, hostNanos - earlier.hostNanos),
                        Math.max(0, nicEngineNanos - earlier.nicEngineNanos),
                        Math.max(0, targetNanos - earlier.targetNanos), Math.max(0, jvmNanos - earlier.jvmNanos));
            }
            long[] byClass = threads.since(earlier.threads);
            long java = byClass[0] + byClass[1] + byClass[2];
            return new Snapshot(byClass[ThreadClass.HOST.ordinal()], byClass[ThreadClass.NIC_ENGINE.ordinal()],
                    byClass[ThreadClass.TARGET.ordinal()], Math.max(0, processNow - processThen - java));
        }

        public long totalNanos() {
            return hostNanos + nicEngineNanos + targetNanos + jvmNanos;
        }
    }

    /** Each live thread's class and CPU time at one moment, by thread id (ascending). */
    public static final class ThreadTimes {
        /** No per-thread times. */
        public static final ThreadTimes NONE = new ThreadTimes(new long[0], new byte[0], new long[0]);

        private final long[] ids;
        private final byte[] classes;
        private final long[] nanos;

        ThreadTimes(long[] ids, byte[] classes, long[] nanos) {
            this.ids = ids;
            this.classes = classes;
            this.nanos = nanos;
        }

        /** CPU used since {@code earlier} by the threads alive now, summed by class (indexed by ordinal). */
        long[] since(ThreadTimes earlier) {
            long[] byClass = new long[ThreadClass.values().length];
            int e = 0;
            for (int i = 0; i < ids.length; i++) {
                while (e < earlier.ids.length && earlier.ids[e] < ids[i]) {
                    e++;
                }
                long before = e < earlier.ids.length && earlier.ids[e] == ids[i] ? earlier.nanos[e] : 0;
                byClass[classes[i]] += Math.max(0, nanos[i] - before);
            }
            return byClass;
        }

        @Override
        public String toString() {
            return ids.length + " threads";
        }
    }

    private CpuAccounting() {
    }

    /** Sums every live thread's CPU time into its class. Costs a few microseconds per thread: not per I/O. */
    public static Snapshot snapshot() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long[] all = mx.getAllThreadIds().clone();
        Arrays.sort(all);
        ThreadInfo[] infos = mx.getThreadInfo(all, 0);
        long[] ids = new long[all.length];
        byte[] classes = new byte[all.length];
        long[] nanos = new long[all.length];
        long[] byClass = new long[ThreadClass.values().length];
        int n = 0;
        for (ThreadInfo info : infos) {
            if (info == null) {
                continue; // ended meanwhile
            }
            long cpu = mx.getThreadCpuTime(info.getThreadId());
            if (cpu > 0) {
                ThreadClass c = ThreadClass.of(info.getThreadName());
                ids[n] = info.getThreadId();
                classes[n] = (byte) c.ordinal();
                nanos[n++] = cpu;
                byClass[c.ordinal()] += cpu;
            }
        }
        long javaThreads = byClass[0] + byClass[1] + byClass[2];
        long process = ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(javaThreads);
        return new Snapshot(byClass[ThreadClass.HOST.ordinal()], byClass[ThreadClass.NIC_ENGINE.ordinal()],
                byClass[ThreadClass.TARGET.ordinal()], Math.max(0, process - javaThreads),
                new ThreadTimes(Arrays.copyOf(ids, n), Arrays.copyOf(classes, n),
                        Arrays.copyOf(nanos, n)));
    }
}
