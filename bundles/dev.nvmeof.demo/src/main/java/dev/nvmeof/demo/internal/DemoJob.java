package dev.nvmeof.demo.internal;

import dev.nvmeof.api.BlockDevice;
import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.CpuAccounting;
import dev.nvmeof.api.NvmeController;
import dev.nvmeof.api.NvmeException;
import dev.nvmeof.api.NvmeHost;
import dev.nvmeof.api.NvmeNamespace;
import dev.nvmeof.protocol.IdentifyController;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * The demo's job, plain Java over the public API: connect like {@code nvme connect}, show the controller and its
 * namespaces like {@code nvme list} and how the transport chose its path, write a random pattern and read it back,
 * disconnect. On a target that is not its own it saves the blocks it overwrites and restores them.
 */
public final class DemoJob {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int BAD_ARGUMENTS = 2;
    private static final long IO_TIMEOUT_SECONDS = 60;
    private static final long NAMESPACE_WAIT_SECONDS = 5;

    private final NvmeHost host;
    private final PrintStream out;

    public DemoJob(NvmeHost host, PrintStream out) {
        this.host = host;
        this.out = out;
    }

    /** Runs the job; returns the process exit status ({@link #OK} or {@link #FAILED}) after saying why. */
    public int run(DemoOptions options) {
        out.println("nvme connect -t " + options.transport() + " -a "
                + (options.traddr() == null ? "127.0.0.1" : options.traddr()) + " -s " + options.trsvcid() + " -n "
                + options.nqn() + (options.hdrDigest() ? " -g" : "") + (options.dataDigest() ? " -G" : ""));
        NvmeController controller;
        try {
            controller = host.connect(ConnectOptions.parse(options.fabricsOptions()));
        } catch (NvmeException e) {
            out.println("error: connect failed: " + e.getMessage());
            return FAILED;
        }
        try {
            out.println("connected " + controller.name() + " to " + controller.subsystemNqn() + " with "
                    + controller.ioQueueCount() + " I/O queues (" + controller.queueCounts() + ")");
            out.println("path: " + controller.transportDescription());
            awaitNamespace(controller);
            printList(controller);
            if (controller.namespaces().isEmpty()) {
                out.println("error: " + controller.subsystemNqn() + " has no namespace to check");
                return FAILED;
            }
            if (!check(controller.namespaces().get(0), options)) {
                return FAILED;
            }
        } finally {
            disconnect(controller);
        }
        return options.perfSeconds() == 0 || new PerfComparison(host, out).run(options) ? OK : FAILED;
    }

    /**
     * A target configured a moment ago may add its namespace after the connect; the host then rescans on the
     * Namespace Attribute Changed event. Gives that a few seconds.
     */
    private static void awaitNamespace(NvmeController controller) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(NAMESPACE_WAIT_SECONDS);
        while (controller.namespaces().isEmpty() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    private void printList(NvmeController controller) {
        out.printf("%-16s %-20s %-40s %-9s %-26s %-16s %-8s%n", "Node", "SN", "Model", "Namespace", "Usage",
                "Format", "FW Rev");
        out.printf("%-16s %-20s %-40s %-9s %-26s %-16s %-8s%n", "-".repeat(16), "-".repeat(20), "-".repeat(40),
                "-".repeat(9), "-".repeat(26), "-".repeat(16), "-".repeat(8));
        IdentifyController id = controller.identify();
        for (NvmeNamespace ns : controller.namespaces()) {
            long bytes = ns.blocks() * ns.blockSize();
            out.printf("%-16s %-20s %-40s %-9d %-26s %-16s %-8s%n", ns.name(), id.sn().trim(), id.mn().trim(),
                    ns.nsid(), decimal(bytes) + " / " + decimal(bytes), ns.blockSize() + "   B +  0 B",
                    id.fr().trim());
        }
    }

    /** Writes a random pattern at LBA 0 and reads it back; saves and restores the blocks on a foreign target. */
    private boolean check(NvmeNamespace namespace, DemoOptions options) {
        BlockDevice device = namespace.device();
        long bytes = Math.min(options.checkBytes(), namespace.blocks() * namespace.blockSize());
        int length = (int) (bytes - bytes % namespace.blockSize());
        byte[] pattern = new byte[length];
        new Random(System.nanoTime()).nextBytes(pattern);
        ByteBuffer saved = null;
        try {
            if (!options.embeddedTarget()) {
                saved = ByteBuffer.allocateDirect(length);
                await(device.read(0, saved));
                saved.clear();
            }
            ByteBuffer written = ByteBuffer.allocateDirect(length).put(pattern).flip();
            ByteBuffer back = ByteBuffer.allocateDirect(length);
            CpuAccounting.Snapshot before = CpuAccounting.snapshot();
            await(device.write(0, written, false));
            await(device.read(0, back));
            CpuAccounting.Snapshot cpu = CpuAccounting.snapshot().minus(before);
            int mismatch = firstMismatch(pattern, back);
            String what = "wrote " + binary(length) + " at LBA 0 of " + namespace.name() + " and read it back";
            if (mismatch >= 0) {
                out.println("data check: " + what + ": MISMATCH at byte " + mismatch + " (LBA "
                        + mismatch / namespace.blockSize() + ")");
                return false;
            }
            out.println("data check: " + what + ": OK");
            out.printf(Locale.ROOT, "cpu: host %.1f ms, NIC engine %.1f ms, target %.1f ms, JVM %.1f ms%n",
                    cpu.hostNanos() / 1e6, cpu.nicEngineNanos() / 1e6, cpu.targetNanos() / 1e6,
                    cpu.jvmNanos() / 1e6);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            out.println("error: data check on " + namespace.name() + " failed: " + cause.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.println("error: interrupted");
            return false;
        } finally {
            if (saved != null) {
                restore(device, saved, length);
            }
        }
    }

    private void restore(BlockDevice device, ByteBuffer saved, int length) {
        try {
            await(device.write(0, saved, true));
            out.println("restored the " + binary(length) + " the check overwrote");
        } catch (ExecutionException | TimeoutException e) {
            out.println("error: could not restore the overwritten blocks: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void disconnect(NvmeController controller) {
        try {
            controller.disconnect();
            out.println("disconnected " + controller.name());
        } catch (NvmeException e) {
            out.println("error: disconnect of " + controller.name() + " failed: " + e.getMessage());
        }
    }

    private static void await(java.util.concurrent.CompletableFuture<Void> io)
            throws ExecutionException, TimeoutException, InterruptedException {
        io.get(IO_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    private static int firstMismatch(byte[] expected, ByteBuffer actual) {
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] != actual.get(i)) {
                return i;
            }
        }
        return -1;
    }

    /** Like nvme list: decimal units. */
    static String decimal(long bytes) {
        String[] units = {"B", "kB", "MB", "GB", "TB"};
        double v = bytes;
        int u = 0;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, "%.2f %s", v, units[u]);
    }

    static String binary(long bytes) {
        return bytes % (1 << 20) == 0 ? bytes / (1 << 20) + " MiB" : bytes / 1024 + " KiB";
    }
}
