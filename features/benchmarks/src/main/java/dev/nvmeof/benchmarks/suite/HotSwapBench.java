package dev.nvmeof.benchmarks.suite;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.NvmeController;
import dev.nvmeof.driver.kit.NicOffloadDriver;
import dev.nvmeof.driver.kit.VendorProfile;
import dev.nvmeof.host.EmbeddedNvmeHost;
import dev.nvmeof.nic.emulated.NicCapabilities;
import dev.nvmeof.nic.emulated.NicFunction;
import dev.nvmeof.offload.OffloadStack;
import dev.nvmeof.testkit.driver.MixedVerifiedLoad;

/**
 * Benchmark f in the suite: the driver serving a controller swapped under QD32 mixed verified I/O, as
 * {@code HotSwapIT} does in Felix with bundles, here on the plain-Java offload stack. Two emulated NIC functions
 * (acme-like on 127.0.0.2, vortex-like on 127.0.0.3), one controller over {@code tcp_offload} with default options
 * and 2 I/O queues; each swap removes the serving driver (its controller goes on through the other device's claim)
 * and adds a new driver for the same device back, as a driver bundle stopped and started. Per swap: the pause (the
 * longest gap between two completions) and the time from the swap until a 10 ms window runs at 90 % of the IOPS of
 * the 200 ms before it. Unpinned: there is no ceiling to divide by.
 */
final class HotSwapBench {
    static final int QUEUE_DEPTH = 32;
    private static final int BLOCKS_PER_SLOT = 64;
    private static final int BLOCK_BYTES = 4096;
    private static final long RATE_WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final int RECOVERY_WINDOW_MILLIS = 10;
    /** I/O after each swap, in seconds at the rate before it: enough to see it back, and to measure the next. */
    private static final double SETTLE_SECONDS = 0.4;
    private static final long WAIT_SECONDS = 30;
    private static final VendorProfile[] PROFILES = {VendorProfile.of("acme", 0x1AC3, 0x0100, "tos"),
        VendorProfile.of("vortex", 0x1F7A, 0x0200, "nr_poll_queues")};
    private static final NicCapabilities[] NICS = {
        new NicCapabilities(0x1AC3, 0x0100, "A1", 25_000, 8, 128 * 1024, 32, false),
        new NicCapabilities(0x1F7A, 0x0200, "V2", 25_000, 4, 128 * 1024, 32, false)};
    private static final String[] ADDRESSES = {"127.0.0.2/24", "127.0.0.3/24"};

    /** What the swaps measured; pauses and recoveries in milliseconds, sorted (a recovery not seen is MAX_VALUE). */
    record Result(int swaps, long[] pauses, long[] recoveries, long ios, String firstError, List<String> corrupt) {
        long errors() {
            return (firstError == null ? 0 : 1) + corrupt.size();
        }

        long pause(double quantile) {
            return at(pauses, quantile);
        }

        long recovery(double quantile) {
            return at(recoveries, quantile);
        }

        long notBack() {
            return Arrays.stream(recoveries).filter(ms -> ms == Long.MAX_VALUE).count();
        }

        private static long at(long[] sorted, double quantile) {
            return sorted.length == 0 ? -1 : sorted[Math.min(sorted.length - 1, (int) (sorted.length * quantile))];
        }
    }

    private HotSwapBench() {
    }

    static Result run(InetSocketAddress target, String nqn, int swaps, Path state, PrintStream log)
            throws Exception {
        NicFunction[] nics = new NicFunction[2];
        NicOffloadDriver[] drivers = new NicOffloadDriver[2];
        try (OffloadStack offload = new OffloadStack()) {
            for (int i = 0; i < 2; i++) {
                nics[i] = NicFunction.start(NICS[i], i + 1, 1);
                nics[i].netDevice().addAddress("p" + (i + 1) + "p1", ADDRESSES[i]);
                drivers[i] = new NicOffloadDriver(PROFILES[i], nics[i]);
                offload.addDriver(drivers[i]);
            }
            try (EmbeddedNvmeHost host = EmbeddedNvmeHost.start(state, offload.transport())) {
                NvmeController controller = host.connect(ConnectOptions.parse("transport=tcp_offload,traddr="
                        + target.getAddress().getHostAddress() + ",trsvcid=" + target.getPort() + ",nqn=" + nqn
                        + ",nr_io_queues=2"));
                MixedVerifiedLoad load = new MixedVerifiedLoad(controller.namespaces().get(0).device(), QUEUE_DEPTH,
                        BLOCKS_PER_SLOT, BLOCK_BYTES).start();
                long running = System.nanoTime();
                long[] pauses = new long[swaps];
                long[] recoveries = new long[swaps];
                int done = 0;
                String stalled = null;
                try {
                    await(load, 1000, "the load did not start");
                    settle(load, load.perSecond(running, System.nanoTime()));
                    for (; done < swaps && load.firstError() == null; done++) {
                        int serving = controller.transportDescription().startsWith("tcp_offload via "
                                + drivers[0].deviceName()) ? 0 : 1;
                        long start = System.nanoTime();
                        double before = load.perSecond(start - RATE_WINDOW_NANOS, start);
                        load.resetLongestGap();
                        offload.removeDriver(drivers[serving]);
                        drivers[serving] = new NicOffloadDriver(PROFILES[serving], nics[serving]);
                        offload.addDriver(drivers[serving]);
                        await(load, 2 * QUEUE_DEPTH, "I/O did not flow again after swap " + done);
                        pauses[done] = TimeUnit.NANOSECONDS.toMillis(load.longestGapNanos());
                        long pauseEnd = load.longestGapEndNanos();
                        settle(load, before);
                        long back = load.recoveredAt(pauseEnd, 0.9 * before, RECOVERY_WINDOW_MILLIS);
                        recoveries[done] = back < 0 ? Long.MAX_VALUE : TimeUnit.NANOSECONDS.toMillis(back - start);
                    }
                } catch (IllegalStateException e) { // I/O stalled: a failure of f, reported with what was measured
                    stalled = e.getMessage();
                } finally {
                    load.stop(WAIT_SECONDS, TimeUnit.SECONDS);
                }
                List<String> corrupt = load.verifyAll(WAIT_SECONDS, TimeUnit.SECONDS);
                pauses = Arrays.copyOf(pauses, done);
                recoveries = Arrays.copyOf(recoveries, done);
                Arrays.sort(pauses);
                Arrays.sort(recoveries);
                Result r = new Result(done, pauses, recoveries, load.completions(),
                        load.firstError() != null ? load.firstError() : stalled, corrupt);
                log.printf(Locale.ROOT, "f: %d swaps of the serving driver under QD%d mixed verified I/O: pause p50"
                        + " %d ms, p90 %d ms, max %d ms; back at 90 %% p50 %s, max %s; %d I/Os, %d errors%n", done,
                        QUEUE_DEPTH, r.pause(0.5), r.pause(0.9), r.pause(1), millis(r.recovery(0.5)),
                        millis(r.recovery(1)), r.ios(), r.errors());
                return r;
            } finally {
                for (NicFunction nic : nics) {
                    if (nic != null) {
                        nic.close();
                    }
                }
            }
        }
    }

    static String millis(long ms) {
        return ms == Long.MAX_VALUE ? "not back" : ms + " ms";
    }

    /** Waits for {@link #SETTLE_SECONDS} of I/O at {@code perSecond} (at least two queues' worth). */
    private static void settle(MixedVerifiedLoad load, double perSecond) throws InterruptedException {
        await(load, (int) Math.max(2 * QUEUE_DEPTH, perSecond * SETTLE_SECONDS), "I/O stopped");
    }

    private static void await(MixedVerifiedLoad load, int completions, String otherwise)
            throws InterruptedException {
        if (!load.awaitProgress(completions, WAIT_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException(otherwise + " (" + load.firstError() + ")");
        }
    }
}
