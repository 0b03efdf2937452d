package dev.nvmeof.nic.emulated.internal;

import dev.nvmeof.protocol.tcp.PduEncoder;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * The send side of a queue pair: PDU headers encoded into per-command storage, data sent straight from the host
 * buffer (no copy), gathering writes of whatever is queued. Engine thread only.
 */
final class Sender {
    private static final int GATHER = 32;

    private final SocketChannel channel;
    private final EngineCounters counters;
    private final PduEncoder encoder = new PduEncoder();
    /** What waits to be written, in order: a ring that grows and never shrinks (no allocation once grown). */
    private ByteBuffer[] out = new ByteBuffer[64];
    private int outHead;
    private int outCount;
    private final ByteBuffer[] gather = new ByteBuffer[GATHER];
    private final ByteBuffer control = ByteBuffer.allocateDirect(256).order(ByteOrder.LITTLE_ENDIAN);
    private SelectionKey key;
    private boolean dataDigest;
    private int maxH2cData = Integer.MAX_VALUE;

    Sender(SocketChannel channel, EngineCounters counters) {
        this.channel = channel;
        this.counters = counters;
    }

    void key(SelectionKey key) {
        this.key = key;
    }

    void negotiated(boolean headerDigest, boolean dataDigest, int cpda, int maxH2cData) {
        encoder.negotiated(headerDigest, dataDigest, cpda);
        this.dataDigest = dataDigest;
        this.maxH2cData = maxH2cData;
    }

    void icReq(boolean headerDigest, boolean dataDigest) throws IOException {
        control.clear();
        encoder.icReq(control, 0, headerDigest, dataDigest, 0);
        control.flip();
        enqueue(control);
        flush();
    }

    /** CapsuleCmd with the SQE (its SGL already set) and, for an in-capsule write, the data and its digest. */
    void capsule(Command c, ByteBuffer sqe) throws IOException {
        c.clearHeaders();
        int n = encoder.capsuleCmd(c.headers, sqe, 0, c.inCapsule ? c.length : 0);
        enqueue(c.headerView(0, n));
        if (c.inCapsule) {
            data(c, 0, c.length, n);
        }
        flush();
    }

    /** H2CData PDUs for [offset, offset + length) of the write, each at most MAXH2CDATA. */
    void h2cData(int cid, int ttag, Command c, int offset, int length) throws IOException {
        c.clearHeaders(); // what it held, the capsule, is on the wire: the target answered it with this R2T
        int end = offset + length;
        for (int at = offset; at < end; ) {
            int chunk = Math.min(maxH2cData, end - at);
            if (c.headers.remaining() < 128) {
                flushAll(); // the header storage is reused once what it holds is on the wire
                c.clearHeaders();
            }
            int start = c.headers.position();
            int n = encoder.h2cData(c.headers, cid, ttag, at, chunk, at + chunk == end);
            enqueue(c.headerView(start, n));
            data(c, at, chunk, start + n);
            at += chunk;
        }
        flush();
    }

    private void data(Command c, int offset, int length, int digestAt) {
        ByteBuffer slice = c.dataView(offset, length);
        add(slice);
        if (dataDigest) {
            c.headers.position(digestAt);
            encoder.dataDigest(c.headers, slice);
            add(c.headerView(digestAt, 4));
        }
    }

    private void enqueue(ByteBuffer pdu) {
        counters.pdusOut.incrementAndGet();
        add(pdu);
    }

    private void add(ByteBuffer part) {
        if (outCount == out.length) {
            ByteBuffer[] bigger = new ByteBuffer[out.length * 2];
            for (int i = 0; i < outCount; i++) {
                bigger[i] = out[(outHead + i) % out.length];
            }
            out = bigger;
            outHead = 0;
        }
        out[(outHead + outCount++) % out.length] = part;
    }

    /** Writes what the socket takes now; asks for OP_WRITE when it took less. */
    void flush() throws IOException {
        while (outCount > 0) {
            int n = Math.min(GATHER, outCount);
            for (int i = 0; i < n; i++) {
                gather[i] = out[(outHead + i) % out.length];
            }
            long written = channel.write(gather, 0, n);
            counters.bytesOut.addAndGet(written);
            while (outCount > 0 && !out[outHead].hasRemaining()) {
                out[outHead] = null;
                outHead = (outHead + 1) % out.length;
                outCount--;
            }
            if (written == 0) {
                break;
            }
        }
        java.util.Arrays.fill(gather, null);
        if (key.isValid()) {
            int ops = key.interestOps();
            key.interestOps(outCount == 0 ? ops & ~SelectionKey.OP_WRITE : ops | SelectionKey.OP_WRITE);
        }
    }

    /** Blocks the engine until the queue is written (rare: header storage reused while it is still queued). */
    private void flushAll() throws IOException {
        while (outCount > 0) {
            flush();
            if (outCount > 0) {
                Thread.onSpinWait();
            }
        }
    }
}
