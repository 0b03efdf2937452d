package dev.nvmeof.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nvmeof.api.BlockDevice;
import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.HostIdentity;
import dev.nvmeof.api.NvmeController;
import dev.nvmeof.api.NvmeException;
import dev.nvmeof.host.EmbeddedNvmeHost;
import dev.nvmeof.transport.tcp.TcpTransportRuntime;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Our host in plain Java, as an embedding application uses it: an {@link EmbeddedNvmeHost} with the software
 * {@code tcp} transport. Plus the helpers the interop tests
 * share: random transfer plans, bounded waits, and the guest-side views of the kernel target.
 */
final class OurHost implements AutoCloseable {
    /** The kernel target's in-capsule data on I/O queues: IOCCSZ 1028 x 16 - 64 bytes of SQE. */
    static final int KERNEL_IN_CAPSULE = 16 * 1024;

    final EmbeddedNvmeHost host;
    private final TcpTransportRuntime transport;

    OurHost() {
        transport = new TcpTransportRuntime(2);
        host = EmbeddedNvmeHost.start(HostIdentity.generate(), Duration.ofSeconds(30), transport);
    }

    NvmeController connect(String options) throws NvmeException {
        return host.connect(ConnectOptions.parse(options));
    }

    static String options(int port, String nqn, String extra) {
        return "transport=tcp,traddr=127.0.0.1,trsvcid=" + port + ",nqn=" + nqn + (extra.isEmpty() ? "" : "," + extra);
    }

    @Override
    public void close() {
        for (NvmeController controller : host.controllers()) {
            try {
                controller.disconnect();
            } catch (NvmeException | RuntimeException e) {
                // best effort at the end of a test; the test itself checks its own disconnects
            }
        }
        transport.close();
    }

    /** One transfer: {@code blocks} logical blocks at {@code lba}. */
    record Transfer(long lba, int blocks) {
    }

    /**
     * Cuts {@code [firstLba, firstLba + totalBlocks)} into transfers of random sizes, alternating in-capsule ones
     * (at most {@link #KERNEL_IN_CAPSULE}) and R2T ones (more than that, up to {@code maxBytes}).
     */
    static List<Transfer> plan(Random random, long firstLba, long totalBlocks, int blockSize, int maxBytes) {
        int smallMax = KERNEL_IN_CAPSULE / blockSize;
        int largeMin = smallMax + 1;
        int largeMax = maxBytes / blockSize;
        List<Transfer> plan = new ArrayList<>();
        long lba = firstLba;
        long end = firstLba + totalBlocks;
        boolean small = random.nextBoolean();
        while (lba < end) {
            int blocks = small ? 1 + random.nextInt(smallMax) : largeMin + random.nextInt(largeMax - largeMin + 1);
            blocks = (int) Math.min(blocks, end - lba);
            plan.add(new Transfer(lba, blocks));
            lba += blocks;
            small = !small;
        }
        return plan;
    }

    /** Writes {@code pattern} (starting at {@code firstLba}) by the plan, {@code depth} transfers in flight. */
    static void writeAll(BlockDevice device, long firstLba, byte[] pattern, List<Transfer> plan, int depth,
            Duration timeout) throws Exception {
        run(plan, depth, timeout, t -> device.write(t.lba(), slice(pattern, firstLba, t, device.blockSize()), false));
    }

    /** Reads the plan's range back and compares it with {@code pattern}, transfer by transfer. */
    static void readAndCompare(BlockDevice device, long firstLba, byte[] pattern, List<Transfer> plan, int depth,
            Duration timeout) throws Exception {
        int blockSize = device.blockSize();
        byte[] read = new byte[pattern.length];
        readInto(device, firstLba, read, plan, depth, timeout);
        for (Transfer t : plan) { // the first differing transfer, for a readable failure
            int from = (int) ((t.lba() - firstLba) * blockSize);
            int to = from + t.blocks() * blockSize;
            if (!java.util.Arrays.equals(pattern, from, to, read, from, to)) {
                fail("content differs in the transfer at LBA " + t.lba() + " (" + t.blocks() + " blocks)");
            }
        }
        assertArrayEquals(pattern, read);
    }

    /** Only reads {@code plan} into {@code read} (positions relative to {@code firstLba}). */
    static void readInto(BlockDevice device, long firstLba, byte[] read, List<Transfer> plan, int depth,
            Duration timeout) throws Exception {
        int blockSize = device.blockSize();
        run(plan, depth, timeout, t -> {
            ByteBuffer destination = ByteBuffer.allocateDirect(t.blocks() * blockSize);
            return device.read(t.lba(), destination).thenRun(() -> destination.get(0, read,
                    (int) ((t.lba() - firstLba) * blockSize), t.blocks() * blockSize));
        });
    }

    /**
     * Runs {@code work.accept(i)} for i in 0 until {@code queues} on {@code queues} threads whose ids differ modulo
     * {@code queues}: our host maps a submitting thread to I/O queue {@code thread id mod queue count} (blk-mq's
     * per-CPU mapping), so every I/O queue carries traffic. Waits for them (bounded) and rethrows the first failure.
     */
    static void onEveryQueue(int queues, Duration timeout, IndexedWork work) throws Exception {
        Thread[] threads = new Thread[queues];
        Throwable[] failures = new Throwable[queues];
        int found = 0;
        while (found < queues) { // thread ids are assigned at construction: keep one per residue
            int[] slot = new int[1];
            Thread thread = new Thread(() -> {
                try {
                    work.run(slot[0]);
                } catch (Throwable e) {
                    failures[slot[0]] = e;
                }
            }, "interop-io");
            int residue = (int) (thread.getId() % queues);
            if (threads[residue] == null) {
                slot[0] = residue;
                threads[residue] = thread;
                found++;
            }
        }
        for (Thread thread : threads) {
            thread.start();
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread thread : threads) {
            thread.join(Math.max(1, remaining(deadline) / 1_000_000));
            if (thread.isAlive()) {
                fail("I/O thread still running after " + timeout);
            }
        }
        for (Throwable failure : failures) {
            if (failure instanceof Exception e) {
                throw e;
            } else if (failure != null) {
                throw (Error) failure;
            }
        }
    }

    interface IndexedWork {
        void run(int index) throws Exception;
    }

    /** Every {@code n}-th transfer of the plan from {@code first}. */
    static List<Transfer> strided(List<Transfer> plan, int first, int n) {
        List<Transfer> part = new ArrayList<>();
        for (int i = first; i < plan.size(); i += n) {
            part.add(plan.get(i));
        }
        return part;
    }

    static ByteBuffer slice(byte[] pattern, long firstLba, Transfer t, int blockSize) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(t.blocks() * blockSize);
        buffer.put(pattern, (int) ((t.lba() - firstLba) * blockSize), t.blocks() * blockSize).flip();
        return buffer;
    }

    interface Start {
        CompletableFuture<?> start(Transfer transfer);
    }

    /** Runs the plan with at most {@code depth} in flight; every wait bounded by the overall deadline. */
    private static void run(List<Transfer> plan, int depth, Duration timeout, Start start) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<CompletableFuture<?>> window = new ArrayList<>();
        for (Transfer t : plan) {
            if (window.size() == depth) {
                window.remove(0).get(remaining(deadline), TimeUnit.NANOSECONDS);
            }
            window.add(start.start(t));
        }
        for (CompletableFuture<?> f : window) {
            f.get(remaining(deadline), TimeUnit.NANOSECONDS);
        }
    }

    static long remaining(long deadline) {
        return Math.max(1, deadline - System.nanoTime());
    }

    /** Polls {@code condition} every 10 ms until it holds; fails with {@code what} after {@code timeout}. */
    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("not within " + timeout + ": " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    /**
     * A guest command printing how many TCP connections the guest has ESTABLISHED on its side of port 4420 (the
     * kernel target's queues: one per queue of each controller).
     */
    static String establishedOnTargetPort() {
        return "awk '$2 ~ /:" + String.format("%04X", QemuGuest.NVME_TCP_PORT)
                + "$/ && $4 == \"01\" {n++} END {print n+0}' /proc/net/tcp";
    }

    /**
     * A guest command that waits until the target's port has {@code count} connections, at most {@code seconds} by
     * the guest's clock (under TCG each round's awk can take a tenth of a second, so rounds are not counted); when
     * that passes it prints the count and the port's lines of /proc/net/tcp (their states) instead of "ok".
     */
    static String awaitEstablished(int count, int seconds) {
        String port = String.format("%04X", QemuGuest.NVME_TCP_PORT);
        return "end=$(($(date +%s)+" + seconds + ")); while [ $(" + establishedOnTargetPort() + ") -ne " + count
                + " ]; do [ $(date +%s) -ge $end ] && { echo \"$(" + establishedOnTargetPort()
                + ") established\"; grep ':" + port + " ' /proc/net/tcp; exit 1; }; sleep 0.2; done; echo ok";
    }

    static void assertGuestConnections(QemuGuest guest, int expected) {
        QemuGuest.ExecResult result = guest.exec(awaitEstablished(expected, 20), Duration.ofSeconds(40));
        assertEquals("ok", result.output().strip(), "connections the kernel target holds on port 4420 (expected "
                + expected + ")");
    }
}
