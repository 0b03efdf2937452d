package dev.nvmeof.transport.tcp.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

import dev.nvmeof.protocol.tcp.PduEncoder;
import dev.nvmeof.spi.transport.TransportRequest;

/**
 * The send side of one queue: a ring of PDUs waiting to go out (each a CID and what to send for it) and the gathering
 * writes that put them on the wire.
 *
 * <p><b>Threading: one short lock</b> (this object's monitor) guards the encoder, the ring and each slot's send state.
 * Whoever holds it writes: the submitting thread when the queue is idle (so a submission costs no wake-up of the event
 * loop), or the event loop when an R2T asks for data or the socket had backed up. When a write is partial the rest
 * stays in the ring with its positions, OP_WRITE is switched on, and later submissions only append: the loop flushes
 * them all in one gathering write when the socket drains. A monitor rather than a lock-free hand-off because the
 * critical section is short (encode a 72-byte header, one non-blocking write) and an uncontended monitor costs no
 * allocation and no wake-up; contention needs two submitters on one queue at the same instant.
 *
 * <p>Each PDU is written as {@code [header part][caller's data][data digest]} from three buffers; up to
 * {@link #MAX_PDUS_PER_WRITE} PDUs go into one {@code write(ByteBuffer[])}. The caller's buffer is never copied: a
 * reusable view of it is positioned over the bytes each PDU carries.
 */
final class SendPath {
    static final int MAX_PDUS_PER_WRITE = 16;

    private final TcpQueue queue;
    private final Slot[] slots;
    private final PduEncoder encoder = new PduEncoder();
    /** Entries {@code tag << 1 | kind}; a tag has at most one command and one H2C entry queued. */
    private final int[] ring;
    private final ByteBuffer[] iov = new ByteBuffer[MAX_PDUS_PER_WRITE * 3];
    private int head;
    private int count;
    private SocketChannel channel;
    private SelectionKey key;
    private boolean writeInterest;
    /** False before the handshake and after the queue failed, drained or closed: nothing more is written. */
    private boolean open;
    private int maxH2cData;

    SendPath(TcpQueue queue, Slot[] slots) {
        this.queue = queue;
        this.slots = slots;
        this.ring = new int[slots.length * 2];
    }

    synchronized void attach(SocketChannel socket, SelectionKey selectionKey) {
        this.channel = socket;
        this.key = selectionKey;
    }

    /** What ICResp negotiated; the queue is open for commands from now on. */
    synchronized void negotiated(boolean headerDigest, boolean dataDigest, int cpda, int maxH2c) {
        encoder.negotiated(headerDigest, dataDigest, cpda);
        this.maxH2cData = maxH2c;
        this.open = true;
    }

    /** Stops all writing: afterwards no request buffer is read. */
    synchronized void shutdown() {
        open = false;
        count = 0;
        for (int i = 0; i < iov.length; i++) {
            iov[i] = null;
        }
    }

    /** ICReq before the queue is open: a fresh socket takes 128 bytes at once. */
    synchronized void icReq(ByteBuffer scratch, boolean headerDigest, boolean dataDigest) throws IOException {
        scratch.clear();
        encoder.icReq(scratch, 0, headerDigest, dataDigest, 0);
        scratch.flip();
        writeFully(scratch);
    }

    /** Best effort H2CTermReq after a fatal error in what the controller sent; the queue is closed right after. */
    synchronized void termReq(ByteBuffer scratch, dev.nvmeof.protocol.tcp.FatalErrorStatus fes, int fei,
            ByteBuffer quoted) {
        if (count > 0) {
            Slot head = slots[ring[this.head] >>> 1];
            if (head.encoded && head.header.position() > 0) {
                // A PDU is half on the wire: a TermReq now would land inside it. Just close.
                open = false;
                return;
            }
        }
        try {
            scratch.clear();
            encoder.termReq(scratch, true, fes, fei, quoted);
            scratch.flip();
            channel.write(scratch);
        } catch (IOException | RuntimeException e) {
            // the connection is going away anyway
        }
        open = false;
    }

    /** Queues the command of {@code slot} and writes it now unless the socket is backed up. */
    synchronized boolean submit(Slot slot, TransportRequest request) {
        if (!open) {
            return false;
        }
        if (slot.request != null) {
            throw new IllegalStateException("CID " + slot.cid + " is already in flight on queue " + queue.qid());
        }
        slot.request = request; // volatile: publishes readTarget and inCapsule to the event loop
        push(slot.tag << 1 | Slot.SEND_COMMAND);
        if (!writeInterest) {
            flush();
        }
        return true;
    }

    /** An R2T: sends {@code length} bytes at {@code offset} of the command's data as H2CData PDUs. Event loop. */
    synchronized void r2t(Slot slot, int ttag, int offset, int length) {
        if (!open) {
            return;
        }
        slot.ttag = ttag;
        slot.h2cOffset = offset;
        slot.h2cRemaining = length;
        slot.h2cActive = true;
        push(slot.tag << 1 | Slot.SEND_H2C);
        if (!writeInterest) {
            flush();
        }
    }

    /** OP_WRITE fired: the socket has room again. Event loop. */
    synchronized void onWritable() {
        if (open) {
            flush();
        } else if (writeInterest) {
            interest(false);
        }
    }

    private void push(int entry) {
        ring[(head + count) % ring.length] = entry;
        count++;
    }

    private int pop() {
        int entry = ring[head];
        head = (head + 1) % ring.length;
        count--;
        return entry;
    }

    /** Writes what the ring holds until it is empty or the socket is full. Lock held. */
    private void flush() {
        try {
            while (count > 0) {
                int n = 0;
                for (int i = 0; i < count && n + 3 <= iov.length; i++) {
                    int entry = ring[(head + i) % ring.length];
                    Slot slot = slots[entry >>> 1];
                    if (!slot.encoded) {
                        encode(slot, entry & 1);
                    }
                    if (slot.header.hasRemaining()) {
                        iov[n++] = slot.header;
                    }
                    if (slot.dataInPdu && slot.writeView.hasRemaining()) {
                        iov[n++] = slot.writeView;
                    }
                    if (slot.digest.hasRemaining()) {
                        iov[n++] = slot.digest;
                    }
                }
                channel.write(iov, 0, n);
                retire();
                if (count > 0 && slots[ring[head] >>> 1].encoded) {
                    interest(true); // the head PDU is still partly unwritten: the socket is full
                    return;
                }
            }
            if (writeInterest) {
                interest(false);
            }
        } catch (IOException | RuntimeException e) {
            open = false;
            count = 0;
            queue.fail(e);
        }
    }

    /** Drops fully written PDUs from the ring; an R2T with more to send goes to the back for its next PDU. */
    private void retire() {
        while (count > 0) {
            int entry = ring[head];
            Slot slot = slots[entry >>> 1];
            if (!slot.encoded || !slot.pduWritten()) {
                return;
            }
            slot.encoded = false;
            pop();
            if ((entry & 1) == Slot.SEND_H2C) {
                if (slot.h2cRemaining > 0) {
                    push(entry);
                } else {
                    slot.h2cActive = false;
                }
            }
        }
    }

    private void encode(Slot slot, int kind) {
        TransportRequest request = slot.request;
        ByteBuffer data = request.data();
        slot.header.clear();
        slot.digest.clear();
        slot.dataInPdu = false;
        if (kind == Slot.SEND_COMMAND) {
            int length = slot.inCapsule;
            encoder.capsuleCmd(slot.header, request.sqeBuffer(), 0, length);
            if (length > 0) {
                position(slot, data, 0, length);
            }
        } else {
            int length = Math.min(slot.h2cRemaining, maxH2cData);
            boolean last = length == slot.h2cRemaining;
            encoder.h2cData(slot.header, slot.cid, slot.ttag, slot.h2cOffset, length, last);
            position(slot, data, slot.h2cOffset, length);
            slot.h2cOffset += length;
            slot.h2cRemaining -= length;
        }
        slot.header.flip();
        slot.digest.flip();
        slot.encoded = true;
    }

    /** Points the slot's view at {@code length} bytes from {@code offset} of the command's data, with its digest. */
    private void position(Slot slot, ByteBuffer data, int offset, int length) {
        ByteBuffer view = slot.writeView(data);
        int from = data.position() + offset;
        view.clear();
        view.position(from).limit(from + length);
        encoder.dataDigest(slot.digest, view);
        slot.dataInPdu = true;
    }

    private void interest(boolean write) {
        writeInterest = write;
        key.interestOps(write ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        if (write && !queue.loop().inLoop()) {
            queue.loop().wakeup(); // a key's new interest set takes effect at the next select
        }
    }

    private void writeFully(ByteBuffer buffer) throws IOException {
        for (int i = 0; i < 1000 && buffer.hasRemaining(); i++) {
            channel.write(buffer);
        }
        if (buffer.hasRemaining()) {
            throw new IOException("the socket takes no data");
        }
    }
}
