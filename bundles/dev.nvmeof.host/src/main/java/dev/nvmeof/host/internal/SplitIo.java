package dev.nvmeof.host.internal;

import java.nio.ByteBuffer;
import java.time.Duration;

import dev.nvmeof.api.IoRequest;
import dev.nvmeof.spi.transport.TransportRequest;

/**
 * A caller's request larger than one command may be (MDTS, the transport's maximum, NLB's 65536 blocks), sent as
 * several commands that complete the caller once, with the first error any piece saw (as the block layer splits a
 * bio). This path allocates: one parent and one {@link Piece} (with a slice of the caller's buffer) per command;
 * requests within the limits never come here.
 */
final class SplitIo {
    private final IoRequest request;
    private int remaining;
    private int firstError;

    private SplitIo(IoRequest request, int pieces) {
        this.request = request;
        this.remaining = pieces;
    }

    /**
     * Splits {@code request} (already validated) into commands of at most {@code maxBlocks} blocks each and sends
     * them through {@code path}.
     */
    static void submit(IoPath path, HostNamespace namespace, IoRequest request, long blocks, long maxBlocks) {
        int pieces = (int) ((blocks + maxBlocks - 1) / maxBlocks);
        SplitIo parent = new SplitIo(request, pieces);
        ByteBuffer buffer = request.buffer();
        int blockSize = namespace.blockSize();
        for (long done = 0; done < blocks; done += maxBlocks) {
            long count = Math.min(maxBlocks, blocks - done);
            ByteBuffer slice = buffer == null ? null
                    : buffer.slice(buffer.position() + (int) (done * blockSize), (int) (count * blockSize));
            path.submit(parent.new Piece(namespace, request.lba() + done, count, slice), null);
        }
    }

    private void pieceDone(int status) {
        boolean last;
        synchronized (this) {
            if (status != 0 && firstError == 0) {
                firstError = status;
            }
            last = --remaining == 0;
        }
        if (last) {
            request.complete(firstError);
        }
    }

    /** One command of the split request. */
    final class Piece implements Command {
        private final HostNamespace namespace;
        private final long lba;
        private final long blocks;
        private final ByteBuffer slice;
        private ByteBuffer dsm;

        Piece(HostNamespace namespace, long lba, long blocks, ByteBuffer slice) {
            this.namespace = namespace;
            this.lba = lba;
            this.blocks = blocks;
            this.slice = slice;
        }

        /** The caller's whole request: a piece goes where it would (its operation and polled flag). */
        @Override
        public IoRequest ioRequest(IoRequest none) {
            return request;
        }

        @Override
        public void prepare(TransportRequest transportRequest, int cid) {
            if (request.operation() == IoRequest.Operation.DISCARD && dsm == null) {
                dsm = ByteBuffer.allocate(16).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            }
            IoCommands.prepare(transportRequest, cid, request.operation(), namespace.nsid(), namespace.blockSize(),
                    lba, blocks, slice, request.fua(), request.deallocate(), dsm);
        }

        @Override
        public void completed(int statusWord, int dw0, int dw1) {
            pieceDone(statusWord);
        }

        @Override
        public void timedOut(Duration timeout) {
            pieceDone(IoCommands.HOST_ABORTED);
        }

        @Override
        public boolean requeueable() {
            return true;
        }
    }
}
