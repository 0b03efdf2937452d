package dev.nvmeof.benchmarks.suite;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.stream.Stream;

import dev.nvmeof.api.BlockDevice;
import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.NvmeController;
import dev.nvmeof.benchmarks.ExternalTarget;
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
 * The stack the suite measures, as benchmark c's {@code Rig}: our target serving one RAM namespace on 127.0.0.1 (in
 * this JVM, or out of process with {@link ExternalTarget}), the {@code tcp} transport, and one emulated NIC function
 * with the acme-like profile ({@code nic-A1}, port {@code p1p1} = 127.0.0.2/24) under {@code tcp_offload} via the
 * driver kit's {@link NicOffloadDriver}. Each {@link #connect} makes a fresh host (own state directory) that the
 * caller closes after its run, so the NIC's queue pairs never run out.
 */
final class SuiteStack implements AutoCloseable {
    static final String NQN = "nqn.2026-01.dev.nvmeof:bench-suite";
    static final int BLOCK = 512;
    private static final VendorProfile ACME = VendorProfile.of("acme", 0x1AC3, 0x0100, "tos");
    private static final NicCapabilities ACME_NIC = new NicCapabilities(0x1AC3, 0x0100, "A1", 25_000, 8,
            128 * 1024, 32, false);

    private final Path stateRoot;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final InetSocketAddress address;
    private final TcpTransportRuntime tcp;
    private final OffloadStack offload;
    private final long externalPid;
    private int hostCount;

    SuiteStack(long namespaceBytes, boolean externalTarget, int eventLoops) throws IOException, InterruptedException {
        stateRoot = Files.createTempDirectory("bench-suite-hosts");
        if (externalTarget) {
            ExternalTarget target = ExternalTarget.start(NQN, namespaceBytes, BLOCK);
            started.push(target);
            address = target.address();
            externalPid = target.pid();
        } else {
            NvmeTarget target = NvmeTarget.start(TargetOptions.defaults().withEventLoops(eventLoops));
            started.push(target);
            target.addSubsystem(SubsystemConfig.of(NQN, NamespaceConfig.ram(1, namespaceBytes, BLOCK)));
            address = target.listen(new InetSocketAddress("127.0.0.1", 0));
            externalPid = -1;
        }
        tcp = new TcpTransportRuntime(eventLoops);
        started.push(tcp);
        NicFunction nic = NicFunction.start(ACME_NIC, 1);
        started.push(nic);
        nic.netDevice().addAddress("p1p1", "127.0.0.2/24");
        offload = new OffloadStack();
        offload.addDriver(new NicOffloadDriver(ACME, nic));
    }

    /** Where the target listens. */
    InetSocketAddress address() {
        return address;
    }

    /** A host state directory of its own, removed with the stack. */
    Path newStateDirectory() {
        return stateRoot.resolve("host" + hostCount++);
    }

    /** The out-of-process target's pid, -1 when it runs in this JVM. */
    long externalPid() {
        return externalPid;
    }

    /** A new host on {@code transport} ({@code tcp} or {@code tcp_offload}) with {@code queues} I/O queues. */
    Connection connect(String transport, int queues, boolean dataDigest) throws Exception {
        Path state = newStateDirectory();
        EmbeddedNvmeHost host = transport.equals("tcp") ? EmbeddedNvmeHost.start(state, tcp)
                : EmbeddedNvmeHost.start(state, offload.transport());
        try {
            NvmeController controller = host.connect(ConnectOptions.parse("transport=" + transport + ",traddr="
                    + address.getAddress().getHostAddress() + ",trsvcid=" + address.getPort() + ",nqn=" + NQN
                    + ",nr_io_queues=" + queues + (dataDigest ? ",data_digest" : "")));
            return new Connection(host, controller.namespaces().get(0).device());
        } catch (Exception e) {
            host.close();
            throw e;
        }
    }

    @Override
    public void close() throws Exception {
        offload.close();
        while (!started.isEmpty()) {
            started.pop().close();
        }
        try (Stream<Path> files = Files.walk(stateRoot)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** A connected host and its namespace's block device; closing it disconnects. */
    record Connection(EmbeddedNvmeHost host, BlockDevice device) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            host.close();
        }
    }
}
