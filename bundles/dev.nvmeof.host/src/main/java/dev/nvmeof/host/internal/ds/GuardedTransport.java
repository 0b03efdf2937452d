package dev.nvmeof.host.internal.ds;

import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.NvmeException;
import dev.nvmeof.api.NvmeTransportException;
import dev.nvmeof.api.OptionPolicy;
import dev.nvmeof.spi.transport.Transport;
import dev.nvmeof.spi.transport.TransportAssociation;

/**
 * A bound {@link Transport} service as the host sees it: once its service is unbound ({@link #close()}) no new
 * association reaches it, even from a reconnect attempt racing the unbind; the attempt fails as unreachable and
 * the controller is deleted by the unbind anyway.
 */
final class GuardedTransport implements Transport {
    private final Transport delegate;
    private volatile boolean closed;

    GuardedTransport(Transport delegate) {
        this.delegate = delegate;
    }

    Transport delegate() {
        return delegate;
    }

    boolean closed() {
        return closed;
    }

    void close() {
        closed = true;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public OptionPolicy optionPolicy() {
        return delegate.optionPolicy();
    }

    @Override
    public TransportAssociation associate(ConnectOptions options) throws NvmeException {
        if (closed) {
            throw NvmeTransportException.unreachable(options.traddr() + ":" + options.trsvcid() + " (transport "
                    + delegate.name() + " is gone)", null);
        }
        return delegate.associate(options);
    }
}
