/**
 * A perf engine over any {@link dev.nvmeof.api.BlockDevice}, in fio's terms: {@link dev.nvmeof.perf.Rw} (random or
 * sequential; read, write or mixed), block size, queue depth per job, jobs (threads, each with its own requests and
 * buffers), runtime or I/O count, ramp time. {@link dev.nvmeof.perf.Perf#run} returns a
 * {@link dev.nvmeof.perf.PerfResult}: IOPS, MiB/s, latency percentiles (HdrHistogram), errors, verified reads and
 * CPU per I/O by thread class ({@link dev.nvmeof.api.CpuAccounting}); a {@link dev.nvmeof.perf.PerfProgress} is
 * reported once a second. Each job allocates nothing per I/O.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package dev.nvmeof.perf;
