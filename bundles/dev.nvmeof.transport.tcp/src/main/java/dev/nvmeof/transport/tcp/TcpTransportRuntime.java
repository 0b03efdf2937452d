package dev.nvmeof.transport.tcp;

import org.osgi.annotation.versioning.ProviderType;

import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.NvmeException;
import dev.nvmeof.api.OptionPolicy;
import dev.nvmeof.protocol.NanoClock;
import dev.nvmeof.spi.transport.Transport;
import dev.nvmeof.spi.transport.TransportAssociation;
import dev.nvmeof.transport.tcp.internal.TcpTransport;

/**
 * The {@code tcp} transport in plain Java, with its own event loop threads; close it when done.
 *
 * <pre>
 * try (TcpTransportRuntime tcp = new TcpTransportRuntime(2);
 *      EmbeddedNvmeHost host = EmbeddedNvmeHost.start(stateDirectory, tcp)) { ... }
 * </pre>
 */
@ProviderType
public final class TcpTransportRuntime implements Transport, AutoCloseable {
    private final TcpTransport transport;

    /** Starts {@code eventLoops} event loop threads (each queue is owned by one). */
    public TcpTransportRuntime(int eventLoops) {
        this.transport = new TcpTransport(eventLoops, NanoClock.SYSTEM);
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

    /** Stops the event loops; every queue still open is closed. */
    @Override
    public void close() {
        transport.close();
    }
}
