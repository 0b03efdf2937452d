package dev.nvmeof.benchmarks.suite;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
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
import dev.nvmeof.testkit.driver.SwapMeasurement;

/**
 * Benchmark f in the suite: the driver serving a controller swapped under QD32 mixed verified I/O, as
 * {@code HotSwapIT} does in Felix with bundles, here on the plain-Java offload stack. Two emulated NIC functions
 * (acme-like on 127.0.0.2, vortex-like on 127.0.0.3), one controller over {@code tcp_offload} with default options
 * and 2 I/O queues; each swap removes the serving driver (its controller goes on through the other device's claim)
 * and adds a new driver for the same device back, as a driver bundle stopped and started. Per swap, as
 * {@link SwapMeasurement} measures it: the pause and the time back to 90 % of the IOPS before it. Unpinned: there is
 * no ceiling to divide by.
 */
final class HotSwapBench {
    static final int QUEUE_DEPTH = 32;
    private static final int BLOCKS_PER_SLOT = 64;
    private static final int BLOCK_BYTES = 4096;
    private static final long WAIT_SECONDS = 30;
    private static final VendorProfile[] PROFILES = {VendorProfile.of("acme", 0x1AC3, 0x0100, "tos"),
        VendorProfile.of("vortex", 0x1F7A, 0x0200, "nr_poll_queues")};
    private static final NicCapabilities[] NICS = {
        new NicCapabilities(0x1AC3, 0x0100, "A1", 25_000, 8, 128 * 1024, 32, false),
        new NicCapabilities(0x1F7A, 0x0200, "V2", 25_000, 4, 128 * 1024, 32, false)};
    private static final String[] ADDRESSES = {"127.0.0.2/24", "127.0.0.3/24"};

    /** What the swaps measured ({@code figures} for the swaps done); errors are f's failures. */
    record Result(SwapMeasurement.Figures figures, long ios, String firstError, List<String> corrupt) {
        long errors() {
            return (firstError == null ? 0 : 1) + corrupt.size();
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
                SwapMeasurement measurement = new SwapMeasurement(load, 2 * QUEUE_DEPTH, WAIT_SECONDS);
                String stalled = null;
                try {
                    if (!load.awaitProgress(1000, WAIT_SECONDS, TimeUnit.SECONDS) || !measurement.warmUp(running)) {
                        stalled = "the load did not start";
                    }
                    for (int swap = 0; swap < swaps && stalled == null && load.firstError() == null; swap++) {
                        int serving = controller.transportDescription().startsWith("tcp_offload via "
                                + drivers[0].deviceName()) ? 0 : 1;
                        if (measurement.measure(() -> {
                            offload.removeDriver(drivers[serving]);
                            drivers[serving] = new NicOffloadDriver(PROFILES[serving], nics[serving]);
                            offload.addDriver(drivers[serving]);
                        }) == null) { // a failure of f, reported with what was measured
                            stalled = "I/O did not flow again after swap " + swap;
                        }
                    }
                } finally {
                    load.stop(WAIT_SECONDS, TimeUnit.SECONDS);
                }
                List<String> corrupt = load.verifyAll(WAIT_SECONDS, TimeUnit.SECONDS);
                SwapMeasurement.Figures f = measurement.figures();
                Result r = new Result(f, load.completions(), load.firstError() != null ? load.firstError() : stalled,
                        corrupt);
                log.printf(Locale.ROOT, "f: %d swaps of the serving driver under QD%d mixed verified I/O: pause p50"
                        + " %d ms, p90 %d ms, max %d ms; back at 90 %% p50 %s, max %s; %d I/Os, %d errors%n",
                        f.count(), QUEUE_DEPTH, f.pause(0.5), f.pause(0.9), f.pause(1),
                        SwapMeasurement.Figures.millis(f.recovery(0.5)), SwapMeasurement.Figures.millis(f.recovery(1)),
                        r.ios(), r.errors());
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
}
