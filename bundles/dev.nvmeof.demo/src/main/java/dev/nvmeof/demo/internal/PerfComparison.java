package dev.nvmeof.demo.internal;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.NvmeController;
import dev.nvmeof.api.NvmeException;
import dev.nvmeof.api.NvmeHost;
import dev.nvmeof.perf.Perf;
import dev.nvmeof.perf.PerfOptions;
import dev.nvmeof.perf.PerfResult;

/**
 * The demo's closing act: the same short {@code nvme perf} (4 KiB random reads, QD32) over {@code tcp} and over
 * {@code tcp_offload}, one after the other, printed side by side with the host's and the NIC engine's CPU per I/O:
 * what offload is for. Reads only, so a foreign target keeps its data.
 */
final class PerfComparison {
    static final List<String> TRANSPORTS = List.of("tcp", "tcp_offload");
    static final int IO_DEPTH = 32;
    private static final long NAMESPACE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final NvmeHost host;
    private final PrintStream out;

    PerfComparison(NvmeHost host, PrintStream out) {
        this.host = host;
        this.out = out;
    }

    /** Runs it; false (after an {@code error:} line) when a connect or an I/O failed. */
    boolean run(DemoOptions options) {
        out.printf("nvme perf --rw randread --bs 4k --iodepth %d --runtime %ds, on each transport:%n", IO_DEPTH,
                options.perfSeconds());
        PerfOptions perf = PerfOptions.defaults().withIoDepth(IO_DEPTH)
                .withRuntime(Duration.ofSeconds(options.perfSeconds())).withRampTime(Duration.ofMillis(300));
        List<String> rows = new ArrayList<>();
        for (String transport : TRANSPORTS) {
            PerfResult result;
            try {
                result = measure(options, transport, perf);
            } catch (NvmeException | IllegalStateException e) {
                out.println("error: nvme perf over " + transport + ": " + e.getMessage());
                return false;
            }
            if (result.errors() > 0) {
                out.println("error: nvme perf over " + transport + ": " + result.errors() + " I/O failed, the first: "
                        + result.firstError());
                return false;
            }
            rows.add(row(transport, result));
        }
        out.printf("%-12s %9s %8s %9s %9s %14s %13s%n", "transport", "IOPS", "MiB/s", "lat p50", "p99",
                "host CPU/IO", "NIC CPU/IO");
        rows.forEach(out::println);
        return true;
    }

    private PerfResult measure(DemoOptions options, String transport, PerfOptions perf) throws NvmeException {
        NvmeController controller = host.connect(ConnectOptions.parse(options.fabricsOptions(transport)));
        try {
            long deadline = System.nanoTime() + NAMESPACE_WAIT_NANOS;
            while (controller.namespaces().isEmpty() && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
            if (controller.namespaces().isEmpty()) {
                throw new IllegalStateException(controller.subsystemNqn() + " has no namespace");
            }
            return Perf.run(controller.namespaces().get(0).device(), perf, progress -> { });
        } finally {
            controller.disconnect();
        }
    }

    private static String row(String transport, PerfResult r) {
        PerfResult.Latency latency = r.read().latency();
        return String.format(Locale.ROOT, "%-12s %8.1fk %8.1f %6d us %6d us %11.1f us %10.1f us", transport,
                r.iops() / 1000, r.mibPerSecond(), latency.p50() / 1000, latency.p99() / 1000,
                r.cpuMicrosPerIo(r.cpu().hostNanos()), r.cpuMicrosPerIo(r.cpu().nicEngineNanos()));
    }
}
