package dev.nvmeof.perf;

import java.util.function.Consumer;

import dev.nvmeof.api.BlockDevice;
import dev.nvmeof.perf.internal.PerfRun;

/** Runs a perf job over a block device. */
public final class Perf {
    private Perf() {
    }

    /**
     * Runs {@code options} on {@code device} and waits for the result. {@code progress} is called once a second on
     * the calling thread (a slow one delays the next call, never the I/O). An interrupt stops the run early: the
     * result then covers what ran ({@link PerfResult#stopped()}). Failed I/Os are counted and the run goes on.
     *
     * @throws IllegalArgumentException when the options do not fit the device (a block size that is not a multiple
     *                                  of its block size, a region larger than the device)
     * @throws IllegalStateException    when a job's I/O stopped completing (nothing completed for 60 s)
     */
    public static PerfResult run(BlockDevice device, PerfOptions options, Consumer<PerfProgress> progress) {
        return new PerfRun(device, options, progress).run();
    }
}
