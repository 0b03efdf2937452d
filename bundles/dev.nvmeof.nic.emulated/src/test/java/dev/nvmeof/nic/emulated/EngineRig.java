package dev.nvmeof.nic.emulated;

import dev.nvmeof.target.NamespaceConfig;
import dev.nvmeof.target.NvmeTarget;
import dev.nvmeof.target.SubsystemConfig;
import dev.nvmeof.target.TargetOptions;

import java.net.InetSocketAddress;

/** The embedded target on an ephemeral loopback port and a NIC function whose port p1p1 has 127.0.0.2/24. */
final class EngineRig implements AutoCloseable {
    static final String NQN = "testnqn";
    static final int BLOCK = 512;

    final NvmeTarget target;
    final InetSocketAddress address;
    final NicFunction nic;

    EngineRig() throws Exception {
        target = NvmeTarget.start(TargetOptions.defaults().withEventLoops(1));
        target.addSubsystem(SubsystemConfig.of(NQN, NamespaceConfig.ram(1, 16 << 20, BLOCK)));
        address = target.listen(new InetSocketAddress("127.0.0.1", 0));
        nic = NicFunction.start(new NicCapabilities(0x1AC3, 0x0100, "E2E-1", 25_000, 8, 128 << 10, 32, true), 1);
        nic.netDevice().addAddress("p1p1", "127.0.0.2/24");
    }

    /** A queue pair for the admin queue on p1p1 (not yet connected). */
    RingClient admin(boolean digests) throws Exception {
        return RingClient.open(nic, "p1p1", address, 0, digests);
    }

    @Override
    public void close() {
        nic.close();
        target.close();
    }
}
