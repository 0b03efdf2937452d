package dev.nvmeof.host.e2e;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;

import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.HostIdentity;
import dev.nvmeof.api.InvalidOptionException;
import dev.nvmeof.host.internal.DefaultNvmeHost;
import dev.nvmeof.host.internal.HostSettings;
import dev.nvmeof.target.ListenerSecurity;
import dev.nvmeof.target.NamespaceConfig;
import dev.nvmeof.target.NvmeTarget;
import dev.nvmeof.target.SubsystemConfig;
import dev.nvmeof.target.TargetOptions;
import dev.nvmeof.transport.tcp.TcpTransportRuntime;

/**
 * The whole stack in one JVM over loopback sockets: our embedded target listening on an ephemeral port of 127.0.0.1,
 * the software {@code tcp} transport and a {@link DefaultNvmeHost} with worker threads and the default timeouts on the
 * system clock, as an application embedding the host would run it.
 */
final class Loopback implements AutoCloseable {
    static final String NQN = "testnqn";
    static final int BLOCK = 512;

    /** Replaced by {@link #restartFile}. */
    volatile NvmeTarget target;
    final TcpTransportRuntime transport;
    final DefaultNvmeHost host;
    final InetSocketAddress address;

    private Loopback(NvmeTarget target, InetSocketAddress address) {
        this.target = target;
        this.address = address;
        this.transport = new TcpTransportRuntime(2);
        this.host = new DefaultNvmeHost(HostIdentity.generate(), HostSettings.defaults(), true);
        host.addTransport(transport);
    }

    /** A target serving {@link #NQN} with one RAM namespace of {@code bytes}. */
    static Loopback ram(long bytes) throws IOException {
        return start(NamespaceConfig.ram(1, bytes, BLOCK));
    }

    /** A target serving {@link #NQN} with one file namespace of {@code bytes} in {@code file}. */
    static Loopback file(Path file, long bytes) throws IOException {
        return start(NamespaceConfig.file(1, file, bytes, BLOCK));
    }

    /** A target with {@code options} serving {@link #NQN} with one RAM namespace of {@code bytes}. */
    static Loopback ram(long bytes, TargetOptions options) throws IOException {
        return start(NamespaceConfig.ram(1, bytes, BLOCK), options);
    }

    /** A target serving {@code subsystem} (its own NQN, e.g. {@link #NQN}) with the default options. */
    static Loopback serving(SubsystemConfig subsystem) throws IOException {
        NvmeTarget target = NvmeTarget.start(TargetOptions.defaults());
        try {
            target.addSubsystem(subsystem);
            return new Loopback(target, target.listen(new InetSocketAddress("127.0.0.1", 0)));
        } catch (IOException | RuntimeException e) {
            target.close();
            throw e;
        }
    }

    /** A target serving {@code subsystem} on a listener with {@code security} (TLS). */
    static Loopback serving(SubsystemConfig subsystem, ListenerSecurity security) throws IOException {
        NvmeTarget target = NvmeTarget.start(TargetOptions.defaults());
        try {
            target.addSubsystem(subsystem);
            return new Loopback(target, target.listen(new InetSocketAddress("127.0.0.1", 0), security));
        } catch (IOException | RuntimeException e) {
            target.close();
            throw e;
        }
    }

    private static Loopback start(NamespaceConfig namespace) throws IOException {
        return start(namespace, TargetOptions.defaults());
    }

    private static Loopback start(NamespaceConfig namespace, TargetOptions options) throws IOException {
        NvmeTarget target = NvmeTarget.start(options);
        try {
            target.addSubsystem(SubsystemConfig.of(NQN, namespace));
            return new Loopback(target, target.listen(new InetSocketAddress("127.0.0.1", 0)));
        } catch (IOException | RuntimeException e) {
            target.close();
            throw e;
        }
    }

    /**
     * Starts a new target on the same port serving {@link #NQN} over the same file (the old one must be closed), as
     * a target machine coming back after a reboot.
     */
    void restartFile(Path file, long bytes) throws IOException {
        NvmeTarget restarted = NvmeTarget.start(TargetOptions.defaults());
        try {
            restarted.addSubsystem(SubsystemConfig.of(NQN, NamespaceConfig.file(1, file, bytes, BLOCK)));
            restarted.listen(address);
        } catch (IOException | RuntimeException e) {
            restarted.close();
            throw e;
        }
        target = restarted;
    }

    int port() {
        return address.getPort();
    }

    /** {@code transport=tcp,traddr=127.0.0.1,trsvcid=PORT,nqn=testnqn} and {@code extra} (comma first, or empty). */
    ConnectOptions options(String extra) throws InvalidOptionException {
        return ConnectOptions.parse("transport=tcp,traddr=127.0.0.1,trsvcid=" + port() + ",nqn=" + NQN + extra);
    }

    /** Disconnects what is left, then stops transport and target. */
    @Override
    public void close() {
        try {
            for (var controller : host.controllers()) {
                try {
                    controller.disconnect();
                } catch (Exception e) {
                    // best effort: the target goes away next anyway
                }
            }
        } finally {
            transport.close();
            target.close();
        }
    }
}
