package dev.nvmeof.host.internal;

import java.nio.ByteBuffer;
import java.time.Duration;

import dev.nvmeof.api.IoRequest;
import dev.nvmeof.spi.transport.TransportRequest;

/**
 * The owner of every caller {@link IoRequest} on one namespace: writes it as an NVM command on that namespace and
 * completes it through its callback. One per namespace, made with it; the request itself travels beside it
 * ({@link RequestOwner}).
 */
final class NamespaceIo implements RequestOwner {
    private final HostNamespace namespace;

    NamespaceIo(HostNamespace namespace) {
        this.namespace = namespace;
    }

    @Override
    public IoRequest ioRequest(IoRequest io) {
        return io;
    }

    @Override
    public void prepare(IoRequest io, TransportRequest request, int cid, ByteBuffer dsmRange) {
        IoCommands.prepare(request, cid, io.operation(), namespace.nsid(), namespace.blockSize(), io.lba(),
                io.blocks(), io.buffer(), io.fua(), io.deallocate(), dsmRange);
    }

    @Override
    public boolean requeueable() {
        return true;
    }

    @Override
    public void complete(IoRequest io, int statusWord, int dw0, int dw1) {
        io.complete(statusWord);
    }

    @Override
    public void timedOut(IoRequest io, Duration timeout) {
        io.complete(IoCommands.HOST_ABORTED);
    }

    @Override
    public String toString() {
        return namespace.name() + " I/O";
    }
}
