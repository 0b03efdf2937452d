package dev.nvmeof.driver.kit.e2e;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.ControllerListener;
import dev.nvmeof.api.HostIdentity;
import dev.nvmeof.api.InvalidOptionException;
import dev.nvmeof.api.NvmeController;
import dev.nvmeof.api.NvmeException;
import dev.nvmeof.api.NvmeHost;
import dev.nvmeof.api.OptionPolicy;
import dev.nvmeof.driver.kit.NicOffloadDriver;
import dev.nvmeof.driver.kit.VendorProfile;
import dev.nvmeof.host.EmbeddedNvmeHost;
import dev.nvmeof.nic.emulated.NicCapabilities;
import dev.nvmeof.nic.emulated.NicFunction;
import dev.nvmeof.nic.emulated.QueuePair;
import dev.nvmeof.offload.OffloadStack;
import dev.nvmeof.spi.transport.Transport;
import dev.nvmeof.spi.transport.TransportAssociation;
import dev.nvmeof.target.NamespaceConfig;
import dev.nvmeof.target.NvmeTarget;
import dev.nvmeof.target.SubsystemConfig;
import dev.nvmeof.target.TargetOptions;

/**
 * The whole offload stack in one JVM over loopback sockets, without a framework: our target on an ephemeral port of
 * a 127/8 address, emulated NIC functions whose ports carry addresses as {@code ip addr add} would, the kit's drivers
 * with the two vendors' profiles, the ULP ({@code tcp_offload}) and an embedded host. Everything started here is
 * closed by {@link #close()}: hosts first (they disconnect while targets and NICs are still there), then the rest,
 * newest first.
 */
final class OffloadLab implements AutoCloseable {
    static final String NQN = "testnqn";
    static final int BLOCK = 512;
    /** As the acme and vortex bundles declare them (the kit cannot depend on its vendors). */
    static final VendorProfile ACME = VendorProfile.of("acme", 0x1AC3, 0x0100, "tos");
    static final VendorProfile VORTEX = VendorProfile.of("vortex", 0x1F7A, 0x0200, "nr_poll_queues");
    /** 8 vectors, 128 KiB, 25 Gb/s, no polling. */
    static final NicCapabilities ACME_NIC = new NicCapabilities(0x1AC3, 0x0100, "A1", 25_000, 8, 128 * 1024, 32,
            false);
    /** 4 vectors, 1 MiB, 100 Gb/s, polling. */
    static final NicCapabilities VORTEX_NIC = new NicCapabilities(0x1F7A, 0x0200, "V1", 100_000, 4, 1 << 20, 64,
            true);

    final OffloadStack transport = new OffloadStack();
    /** {@link #transport} as the hosts made by {@link #host(Path, Duration, ControllerListener)} use it. */
    final Attempts attempts = new Attempts(transport.transport());
    private final Deque<AutoCloseable> hosts = new ArrayDeque<>();
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private long nextServiceId = 1;

    /** A target serving {@link #NQN} (one RAM namespace of {@code bytes}) on an ephemeral port of {@code address}. */
    Target target(String address, long bytes) throws IOException {
        NvmeTarget target = NvmeTarget.start(TargetOptions.defaults().withEventLoops(1));
        started.push(target);
        target.addSubsystem(SubsystemConfig.of(NQN, NamespaceConfig.ram(1, bytes, BLOCK)));
        return new Target(target, target.listen(new InetSocketAddress(address, 0)));
    }

    /**
     * A started NIC function with one port per CIDR ({@code p1p1} gets the first, ...) and its driver added to the
     * ULP.
     */
    NicOffloadDriver driver(VendorProfile profile, NicCapabilities capabilities, String... portAddresses) {
        NicFunction nic = NicFunction.start(capabilities, portAddresses.length);
        started.push(nic);
        for (int i = 0; i < portAddresses.length; i++) {
            nic.netDevice().addAddress("p1p" + (i + 1), portAddresses[i]);
        }
        NicOffloadDriver driver = new NicOffloadDriver(profile, nic);
        transport.addDriver(driver, 0, nextServiceId++);
        return driver;
    }

    NicOffloadDriver acme(String... portAddresses) {
        return driver(ACME, ACME_NIC, portAddresses);
    }

    NicOffloadDriver vortex(String... portAddresses) {
        return driver(VORTEX, VORTEX_NIC, portAddresses);
    }

    /** A host with the ULP as its only transport; closing it disconnects its controllers. */
    EmbeddedNvmeHost host(Path state) throws IOException {
        EmbeddedNvmeHost host = EmbeddedNvmeHost.start(state, transport.transport());
        hosts.push(host);
        return host;
    }

    /**
     * A host with a short I/O command timeout (a host-wide setting: no connect option carries it), the ULP as its only
     * transport, seen through {@link #attempts}, and {@code listener} told of every state change. Closing the lab
     * disconnects its controllers.
     */
    NvmeHost host(Path state, Duration ioTimeout, ControllerListener listener, Transport... more)
            throws IOException {
        EmbeddedNvmeHost host = EmbeddedNvmeHost.start(HostIdentity.loadOrCreate(state), ioTimeout, attempts);
        for (Transport transport : more) {
            host.addTransport(transport);
        }
        host.addListener(listener);
        hosts.push(host);
        return host;
    }

    /** The live I/O queue pair {@code qid} on {@code driver}'s NIC (the newest, after a reconnect). */
    static QueuePair queuePair(NicOffloadDriver driver, int qid) {
        List<QueuePair> live = driver.nic().queuePairs().stream().filter(qp -> qp.qid() == qid && qp.live())
                .toList();
        if (live.isEmpty()) {
            throw new AssertionError("no live queue pair " + qid + " on " + driver.deviceName());
        }
        return live.get(live.size() - 1);
    }

    @Override
    public void close() throws Exception {
        while (!hosts.isEmpty()) {
            hosts.pop().close();
        }
        while (!started.isEmpty()) {
            started.pop().close();
        }
    }

    /**
     * The ULP, recording each association the core asks for (first connect and every reconnect): the path it got, or
     * {@code refused: <why>}.
     */
    static final class Attempts implements Transport {
        private final Transport ulp;
        private final List<String> outcomes = new ArrayList<>();

        Attempts(Transport ulp) {
            this.ulp = ulp;
        }

        @Override
        public String name() {
            return ulp.name();
        }

        @Override
        public OptionPolicy optionPolicy() {
            return ulp.optionPolicy();
        }

        @Override
        public TransportAssociation associate(ConnectOptions options) throws NvmeException {
            try {
                TransportAssociation association = ulp.associate(options);
                record(association.describe());
                return association;
            } catch (NvmeException | RuntimeException refused) {
                record("refused: " + refused.getMessage());
                throw refused;
            }
        }

        private synchronized void record(String outcome) {
            outcomes.add(outcome);
            notifyAll();
        }

        synchronized List<String> outcomes() {
            return List.copyOf(outcomes);
        }

        /** Waits until some attempt was refused; returns why. */
        synchronized String awaitRefused(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            for (;;) {
                for (String outcome : outcomes) {
                    if (outcome.startsWith("refused: ")) {
                        return outcome;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no attempt refused within " + timeout + ": " + outcomes);
                }
                wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /** A running target and where it listens. */
    record Target(NvmeTarget server, InetSocketAddress address) {

        /** {@code transport=tcp_offload,traddr=..,trsvcid=..,nqn=testnqn} and {@code extra} (comma first). */
        ConnectOptions options(String extra) throws InvalidOptionException {
            return ConnectOptions.parse("transport=tcp_offload,traddr=" + address.getAddress().getHostAddress()
                    + ",trsvcid=" + address.getPort() + ",nqn=" + NQN + extra);
        }

        /** The source addresses of the target's connections, e.g. {@code [127.0.0.2, 127.0.0.2]}. */
        List<String> sources() {
            return server.connectionSources().stream().map(s -> s.getAddress().getHostAddress()).toList();
        }
    }
}
