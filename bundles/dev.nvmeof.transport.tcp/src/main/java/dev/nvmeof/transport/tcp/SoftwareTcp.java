package dev.nvmeof.transport.tcp;

import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.NvmeException;
import dev.nvmeof.api.OptionPolicy;
import dev.nvmeof.protocol.NanoClock;
import dev.nvmeof.spi.transport.Transport;
import dev.nvmeof.spi.transport.TransportAssociation;
import dev.nvmeof.transport.tcp.internal.TcpTransport;

/**
 * The software NVMe/TCP transport ({@code transport=tcp}) for plain Java, e.g. beside {@code tcp_offload} in an
 * {@code EmbeddedNvmeHost} (the {@code offload_fallback=tcp} option needs both): NIO event loops that own the
 * sockets, no allocation per I/O. {@link #close()} stops the loops (disconnect the controllers first).
 */
public final class SoftwareTcp implements Transport, AutoCloseable {
    private final TcpTransport transport;

    private SoftwareTcp(TcpTransport transport) {
        this.transport = transport;
    }

    /** The transport with one event loop per CPU, as the OSGi component starts it. */
    public static SoftwareTcp start() {
        return new SoftwareTcp(new TcpTransport());
    }

    /** The transport with {@code eventLoops} loops, timing handshakes on {@code clock}. */
    public static SoftwareTcp start(int eventLoops, NanoClock clock) {
        return new SoftwareTcp(new TcpTransport(eventLoops, clock));
    }

    @Override
    public String name() {
        return transport.name();
    }

    @Override
    public OptionPolicy optionPolicy() {
        return transport.optionPolicy();
    }

    @Override
    public TransportAssociation associate(ConnectOptions options) throws NvmeException {
        return transport.associate(options);
    }

    @Override
    public void close() {
        transport.close();
    }
}
