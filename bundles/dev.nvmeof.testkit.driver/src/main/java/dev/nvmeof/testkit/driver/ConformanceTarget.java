package dev.nvmeof.testkit.driver;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.InvalidOptionException;
import dev.nvmeof.target.NamespaceConfig;
import dev.nvmeof.target.NvmeTarget;
import dev.nvmeof.target.SubsystemConfig;
import dev.nvmeof.target.TargetOptions;

/**
 * Our embedded NVMe/TCP target as the suite's peer: one subsystem {@link #NQN} with one RAM namespace (nsid 1,
 * {@link #BLOCK_SIZE}-byte blocks) on an ephemeral port of a loopback address, one event loop, the default 1 MiB
 * largest transfer.
 */
public final class ConformanceTarget implements AutoCloseable {
    public static final String NQN = "nqn.2024-01.dev.nvmeof:conformance";
    public static final int NSID = 1;
    public static final int BLOCK_SIZE = 512;
    /** What one command may move at most (the target's MDTS). */
    public static final int MAX_TRANSFER_SIZE = TargetOptions.DEFAULT_MAX_TRANSFER_SIZE;

    private final NvmeTarget server;
    private final InetSocketAddress address;
    private final long sizeBytes;

    private ConformanceTarget(NvmeTarget server, InetSocketAddress address, long sizeBytes) {
        this.server = server;
        this.address = address;
        this.sizeBytes = sizeBytes;
    }

    /** Starts a target with a namespace of {@code sizeBytes} on an ephemeral port of {@code loopbackAddress}. */
    public static ConformanceTarget start(String loopbackAddress, long sizeBytes) throws IOException {
        InetAddress host = InetAddress.getByName(loopbackAddress);
        if (!host.isLoopbackAddress()) {
            throw new IllegalArgumentException("the conformance target listens on loopback only, not " + host);
        }
        NvmeTarget server = NvmeTarget.start(TargetOptions.defaults().withEventLoops(1));
        try {
            server.addSubsystem(SubsystemConfig.of(NQN, NamespaceConfig.ram(NSID, sizeBytes, BLOCK_SIZE)));
            return new ConformanceTarget(server, server.listen(new InetSocketAddress(host, 0)), sizeBytes);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    public InetSocketAddress address() {
        return address;
    }

    public long sizeBytes() {
        return sizeBytes;
    }

    /** {@code transport=tcp_offload,traddr=..,trsvcid=..,nqn=..} followed by {@code extra} (comma first). */
    public ConnectOptions options(String extra) throws InvalidOptionException {
        return ConnectOptions.parse("transport=tcp_offload,traddr=" + address.getAddress().getHostAddress()
                + ",trsvcid=" + address.getPort() + ",nqn=" + NQN + extra);
    }

    /** The source addresses of the connections the target has now. */
    public List<InetAddress> connectionSources() {
        return server.connectionSources().stream().map(InetSocketAddress::getAddress).toList();
    }

    @Override
    public void close() {
        server.close();
    }
}
