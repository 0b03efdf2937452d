package dev.nvmeof.benchmarks.cpu;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.nvmeof.api.BlockDevice;
import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.NvmeController;
import dev.nvmeof.driver.kit.NicOffloadDriver;
import dev.nvmeof.driver.kit.VendorProfile;
import dev.nvmeof.host.EmbeddedNvmeHost;
import dev.nvmeof.nic.emulated.NicCapabilities;
import dev.nvmeof.nic.emulated.NicFunction;
import dev.nvmeof.offload.OffloadStack;
import dev.nvmeof.target.NamespaceConfig;
import dev.nvmeof.target.NvmeTarget;
import dev.nvmeof.target.SubsystemConfig;
import dev.nvmeof.target.TargetOptions;
import dev.nvmeof.transport.tcp.TcpTransportRuntime;

/**
 * The whole stack in one JVM, as the driver kit's {@code OffloadLab} assembles it: our target (one event loop,
 * {@code nvmeof-target-loop-0}) serving one RAM namespace on 127.0.0.1; the {@code tcp} transport with one event
 * loop ({@code nvme-tcp-0}); one emulated NIC function with the acme-like profile ({@code nic-A1}, port
 * {@code p1p1} = 127.0.0.2/24) under the {@code tcp_offload} ULP. Each {@link #connect} makes its own host (own
 * state directory, so its own host NQN) with one I/O queue, so all variants stay connected side by side and rounds
 * can interleave without reconnecting. {@link #close()} disconnects the hosts first, then stops the rest.
 */
final class Rig implements AutoCloseable {
    static final String NQN = "nqn.2026-01.dev.nvmeof:bench-c";
    static final int BLOCK = 512;
    /** As the acme bundle declares it (the benchmarks must not depend on a vendor bundle's internals). */
    static final VendorProfile ACME = VendorProfile.of("acme", 0x1AC3, 0x0100, "tos");
    /** 8 vectors, 128 KiB max I/O, 25 Gb/s, no polling: as in the driver kit's end-to-end lab. */
    static final NicCapabilities ACME_NIC = new NicCapabilities(0x1AC3, 0x0100, "A1", 25_000, 8, 128 * 1024, 32,
            false);
    static final String NIC_PORT_ADDRESS = "127.0.0.2/24";

    private final Path stateRoot;
    private final Deque<AutoCloseable> hosts = new ArrayDeque<>();
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final NvmeTarget target;
    private final InetSocketAddress address;
    private final TcpTransportRuntime tcp;
    private final OffloadStack offload;
    private final NicOffloadDriver driver;
    private final long namespaceBytes;
    private int hostCount;

    private Rig(long namespaceBytes) throws IOException {
        this.namespaceBytes = namespaceBytes;
        this.stateRoot = Files.createTempDirectory("bench-c-hosts");
        target = NvmeTarget.start(TargetOptions.defaults().withEventLoops(1));
        started.push(target);
        target.addSubsystem(SubsystemConfig.of(NQN, NamespaceConfig.ram(1, namespaceBytes, BLOCK)));
        address = target.listen(new InetSocketAddress("127.0.0.1", 0));
        tcp = new TcpTransportRuntime(1);
        started.push(tcp);
        NicFunction nic = NicFunction.start(ACME_NIC, 1);
        started.push(nic);
        nic.netDevice().addAddress("p1p1", NIC_PORT_ADDRESS);
        offload = new OffloadStack();
        driver = new NicOffloadDriver(ACME, nic);
        offload.addDriver(driver);
    }

    static Rig start(long namespaceBytes) throws IOException {
        return new Rig(namespaceBytes);
    }

    long namespaceBytes() {
        return namespaceBytes;
    }

    /** A new host on {@code transport} ({@code tcp} or {@code tcp_offload}) with one I/O queue; its namespace. */
    Connection connect(String transport, boolean dataDigest) throws Exception {
        Path state = stateRoot.resolve("host" + hostCount++);
        EmbeddedNvmeHost host = transport.equals("tcp") ? EmbeddedNvmeHost.start(state, tcp)
                : EmbeddedNvmeHost.start(state, offload.transport());
        hosts.push(host);
        NvmeController controller = host.connect(ConnectOptions.parse("transport=" + transport + ",traddr="
                + address.getAddress().getHostAddress() + ",trsvcid=" + address.getPort() + ",nqn=" + NQN
                + ",nr_io_queues=1" + (dataDigest ? ",data_digest" : "")));
        return new Connection(controller, controller.namespaces().get(0).device());
    }

    /** Writes {@link Pattern} over the whole namespace, 128 KiB at a time, 8 in flight. */
    static void fill(BlockDevice device, long bytes) throws Exception {
        int chunk = 128 * 1024;
        int depth = 8;
        ByteBuffer[] buffers = new ByteBuffer[depth];
        @SuppressWarnings("unchecked")
        CompletableFuture<Void>[] inFlight = new CompletableFuture[depth];
        for (int i = 0; i < depth; i++) {
            buffers[i] = ByteBuffer.allocateDirect(chunk).order(ByteOrder.LITTLE_ENDIAN);
        }
        int n = 0;
        for (long offset = 0; offset < bytes; offset += chunk, n++) {
            int i = n % depth;
            if (inFlight[i] != null) {
                inFlight[i].get(30, TimeUnit.SECONDS);
            }
            ByteBuffer b = buffers[i].clear();
            int length = (int) Math.min(chunk, bytes - offset);
            Pattern.fill(b, offset, length);
            b.limit(length);
            inFlight[i] = device.write(offset / BLOCK, b, false);
        }
        for (CompletableFuture<Void> f : inFlight) {
            if (f != null) {
                f.get(30, TimeUnit.SECONDS);
            }
        }
    }

    @Override
    public void close() throws Exception {
        while (!hosts.isEmpty()) {
            hosts.pop().close();
        }
        offload.close();
        while (!started.isEmpty()) {
            started.pop().close();
        }
        try (Stream<Path> files = Files.walk(stateRoot)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** A connected controller and the block device of its namespace. */
    record Connection(NvmeController controller, BlockDevice device) {
    }

    /** The data every read is checked against: one 64-bit word per 8 bytes, a function of its byte offset. */
    static final class Pattern {
        private static final long SEED = 0x5DEECE66DL;

        private Pattern() {
        }

        static long word(long byteOffset) {
            return (byteOffset * 0x9E3779B97F4A7C15L) ^ SEED;
        }

        /** Fills {@code length} bytes from the buffer's index 0 with the words of {@code [offset, offset+length)}. */
        static void fill(ByteBuffer b, long offset, int length) {
            for (int i = 0; i < length; i += 8) {
                b.putLong(i, word(offset + i));
            }
        }

        /** @return the first index (from 0) where {@code b} differs from the pattern at {@code offset}, or -1 */
        static int check(ByteBuffer b, long offset, int length) {
            for (int i = 0; i < length; i += 8) {
                if (b.getLong(i) != word(offset + i)) {
                    return i;
                }
            }
            return -1;
        }
    }
}
