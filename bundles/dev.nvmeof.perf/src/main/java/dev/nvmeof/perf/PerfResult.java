package dev.nvmeof.perf;

import dev.nvmeof.api.CpuAccounting;

/**
 * What a run measured in its window (after the ramp): per direction, and the CPU of the JVM's thread classes over
 * the window ({@link CpuAccounting}), which {@link #cpuMicrosPerIo} divides by the I/Os that completed in it.
 *
 * @param device        the block device's name
 * @param elapsedNanos  the measured window
 * @param verified      reads whose data was checked against the pattern
 * @param verifyErrors  checked reads whose data was wrong
 * @param firstError    the first failed I/O or wrong data, said in one line; null when there was none
 * @param stopped       the run was stopped before its end (interrupted): the figures cover what ran
 * @param hostAllocatedBytes heap bytes the host side's threads allocated in the window (the perf jobs
 *                      {@code perf-*}, the tcp event loops {@code nvme-tcp-*}, NIC engines {@code nic-*}, the
 *                      drivers' completion threads {@code irq/*}; not the target's); -1 where the JVM cannot say
 */
public record PerfResult(String device, PerfOptions options, long elapsedNanos, Direction read, Direction write,
        CpuAccounting.Snapshot cpu, long verified, long verifyErrors, String firstError, boolean stopped,
        long hostAllocatedBytes) {

    /** The result of version 1.0, without the allocation figure. */
    public PerfResult(String device, PerfOptions options, long elapsedNanos, Direction read, Direction write,
            CpuAccounting.Snapshot cpu, long verified, long verifyErrors, String firstError, boolean stopped) {
        this(device, options, elapsedNanos, read, write, cpu, verified, verifyErrors, firstError, stopped, -1);
    }

    /**
     * Latency in nanoseconds from submit to completion callback, of the I/Os that succeeded; all 0 without any.
     */
    public record Latency(long p50, long p99, long p999, long max, double mean) {
    }

    /** One direction: I/Os that succeeded and failed in the window, and their bytes. */
    public record Direction(long ios, long errors, long bytes, Latency latency) {

        public double iops(long elapsedNanos) {
            return elapsedNanos <= 0 ? 0 : ios * 1e9 / elapsedNanos;
        }

        public double mibPerSecond(long elapsedNanos) {
            return elapsedNanos <= 0 ? 0 : bytes * 1e9 / elapsedNanos / (1 << 20);
        }
    }

    public long ios() {
        return read.ios + write.ios;
    }

    public long errors() {
        return read.errors + write.errors;
    }

    public double iops() {
        return elapsedNanos <= 0 ? 0 : ios() * 1e9 / elapsedNanos;
    }

    public double mibPerSecond() {
        return elapsedNanos <= 0 ? 0 : (read.bytes + write.bytes) * 1e9 / elapsedNanos / (1 << 20);
    }

    /** Host-side heap bytes per successful I/O (benchmark e); NaN without I/O or without the figure. */
    public double hostAllocatedBytesPerIo() {
        return ios() == 0 || hostAllocatedBytes < 0 ? Double.NaN : (double) hostAllocatedBytes / ios();
    }

    /** CPU microseconds per successful I/O of one class's nanoseconds; NaN without I/O. */
    public double cpuMicrosPerIo(long nanos) {
        return ios() == 0 ? Double.NaN : nanos / 1e3 / ios();
    }
}
