package dev.nvmeof.target.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import dev.nvmeof.protocol.CompletionQueueEntryFlyweight;
import dev.nvmeof.protocol.tcp.FatalErrorStatus;
import dev.nvmeof.protocol.tcp.PduEncoder;
import dev.nvmeof.protocol.tcp.PduType;
import dev.nvmeof.protocol.tcp.TermReqPdu;

/**
 * What a connection sends: its send buffer, the PDUs encoded into it (ICResp, R2T, C2HData, CapsuleResp, TermReq) and
 * writing it out through {@link ConnectionTls}. Read data from a namespace that lends its memory (RAM) is not copied:
 * the C2HData header waits in the buffer and the namespace's own memory follows it in one gathering write, so the
 * kernel's copy into the socket is the only one (up to {@link #MAX_LENT} such views wait at a time; beyond that, and
 * on TLS connections, which encrypt one buffer at a time, data is copied behind its header). The buffer is taken at
 * ICResp at {@link #SMALL} bytes and grows to at most {@link #LARGE} when copied reads need room. Loop thread only.
 */
final class ConnectionOutput {
    /** Room kept for a response or an R2T of every slot, so completions never wait for space. */
    static final int RESPONSE_RESERVE = Connection.QUEUE_ENTRIES * 32;
    /** The most the buffer grows to: one full data PDU with its header and digest, and the reserve. */
    static final int LARGE = Connection.DATA_PDU + 2 * 4096 + RESPONSE_RESERVE;
    /** The buffer until reads need more: the ICResp, and a response or R2T for every slot. */
    static final int SMALL = RESPONSE_RESERVE + 256;
    /** The most lent views waiting to be sent: one gathering write takes them with the buffer's parts between. */
    static final int MAX_LENT = 64;

    private final PduEncoder encoder = new PduEncoder();
    private final ByteBuffer cqeBuffer = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    private final CompletionQueueEntryFlyweight cqe = new CompletionQueueEntryFlyweight().wrap(cqeBuffer, 0);
    /** Null until the ICResp: a connection that never sent one costs no send buffer. */
    private ByteBuffer out;
    /** The same memory as {@link #out}, for the data digest over what was just put there. */
    private ByteBuffer outView;
    /** Whether read data may be lent rather than copied: plain TCP, where writes gather. */
    private boolean lending;
    private final LentViews views = new LentViews();
    /** Lent views in sending order; view i goes after the buffer's bytes before {@code lentAt[i]}. */
    private final LentViews.Lent[] lent = new LentViews.Lent[MAX_LENT];
    private final int[] lentAt = new int[MAX_LENT];
    private int lentCount;
    /** A flush's gathering vector: parts of the buffer (duplicates of it, made once) and lent views. */
    private final ByteBuffer[] iov = new ByteBuffer[2 * MAX_LENT + 1];
    private final ByteBuffer[] outParts = new ByteBuffer[2 * MAX_LENT + 1];
    /** Per vector entry: the lent view's index, or -1 for a part of the buffer. */
    private final int[] iovLent = new int[2 * MAX_LENT + 1];

    /** Whether the buffer exists (the ICResp, or a TermReq, was encoded). */
    boolean started() {
        return out != null;
    }

    /**
     * The ICResp granting the digests the host asked for, no padding (CPDA 0), H2CData up to {@code maxH2cData};
     * {@code lending}: read data may go out of the namespace's own memory.
     */
    void icResp(boolean headerDigest, boolean dataDigest, int hostPadding, int maxH2cData, boolean lending) {
        this.lending = lending;
        out = ByteBuffer.allocateDirect(SMALL).order(ByteOrder.LITTLE_ENDIAN);
        outView = out.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        encoder.icResp(out, 0, headerDigest, dataDigest, maxH2cData);
        encoder.negotiated(headerDigest, dataDigest, hostPadding);
    }

    void r2t(int cid, int ttag, int offset, int length) {
        encoder.r2t(out, cid, ttag, offset, length);
    }

    /** The slot's completion; {@code sqhd} 0xFFFF when SQ flow control is off. */
    void response(CommandSlot slot, int sqid, int sqhd) {
        cqe.clear().dw0(slot.dw0).dw1(slot.dw1).sqhd(sqhd).sqid(sqid).cid(slot.cid).statusWord(slot.status);
        encoder.capsuleResp(out, cqeBuffer, 0);
    }

    /**
     * The slot's data from where it stopped, in C2HData PDUs of at most {@link Connection#DATA_PDU} bytes, the last
     * one with SUCCESS when {@code success}; false when the buffer has no room for the next PDU (call again once it
     * flushed). A namespace read that fails leaves nothing of its PDU in the buffer and throws.
     */
    boolean data(CommandSlot slot, ScratchBuffer scratch, boolean success) throws IOException {
        while (slot.sent < slot.dataLength) {
            int length = Math.min(Connection.DATA_PDU, slot.dataLength - slot.sent);
            boolean last = slot.sent + length == slot.dataLength;
            long offset = slot.namespaceOffset + slot.sent;
            boolean lend = lending && lentCount < MAX_LENT && slot.source == CommandSlot.Source.NAMESPACE
                    && slot.namespace.lends(offset, length);
            int needed = encoder.headerPart(PduType.C2H_DATA, length) + (lend ? 0 : length) + 4 + RESPONSE_RESERVE;
            if (out.remaining() < needed && out.capacity() < LARGE) {
                grow(out.position() + needed);
            }
            if (out.remaining() < needed) {
                return false;
            }
            int start = out.position();
            encoder.c2hData(out, slot.cid, slot.sent, length, last, last && success);
            int at = out.position();
            if (lend) {
                LentViews.Lent view = slot.namespace.lend(offset, length, views);
                lent[lentCount] = view;
                lentAt[lentCount++] = at;
                encoder.dataDigest(out, view.view);
            } else {
                try {
                    copy(slot, scratch, at, length);
                } catch (IOException | RuntimeException e) {
                    out.position(start);
                    throw e;
                }
                out.position(at + length);
                outView.limit(at + length).position(at);
                encoder.dataDigest(out, outView);
            }
            slot.sent += length;
        }
        return true;
    }

    private void copy(CommandSlot slot, ScratchBuffer scratch, int at, int length) throws IOException {
        switch (slot.source) {
            case NAMESPACE -> slot.namespace.read(slot.namespaceOffset + slot.sent, out, at, length);
            case OWNED -> out.put(at, slot.owned, slot.sent, length);
            default -> out.put(at, scratch.buffer(), slot.scratchOffset + slot.sent, length);
        }
    }

    /** A larger buffer (at most {@link #LARGE}) holding what the old one held. */
    private void grow(int wanted) {
        int capacity = Math.min(LARGE, Math.max(wanted, 2 * out.capacity()));
        ByteBuffer bigger = ByteBuffer.allocateDirect(capacity).order(ByteOrder.LITTLE_ENDIAN);
        out.flip();
        bigger.put(out);
        out = bigger;
        outView = out.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        Arrays.fill(outParts, null); // duplicates of the old buffer
    }

    /**
     * Drops whatever waits and encodes a TermReq quoting {@code quoted} (the header in error); before an ICResp the
     * buffer is just big enough for it.
     */
    void termReq(FatalErrorStatus status, int errorInformation, ByteBuffer quoted) {
        if (out == null) {
            out = ByteBuffer.allocate(TermReqPdu.MAX_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        }
        out.clear();
        dropLent();
        encoder.termReq(out, false, status, errorInformation, quoted);
    }

    /** Writes what waits; true when something is left (in the buffer, lent, or in TLS records not yet sent). */
    boolean flush(ConnectionTls tls) throws IOException {
        if (lentCount > 0) {
            return flushGathering(tls);
        }
        out.flip();
        try {
            boolean held = !tls.flushOutput();
            while (!held && out.hasRemaining()) {
                if (tls.write(out) == 0) {
                    break;
                }
            }
            return out.hasRemaining() || held || tls.outputPending();
        } finally {
            out.compact();
        }
    }

    /**
     * One gathering write of the buffer's bytes with the lent views in their places, repeated while the socket takes
     * some; then what went is let go (views back to {@link #views}) and what is left moves to the buffer's start.
     */
    private boolean flushGathering(ConnectionTls tls) throws IOException {
        int parts = 0;
        int from = 0;
        for (int i = 0; i < lentCount; i++) {
            if (lentAt[i] > from) {
                parts = addOutPart(parts, from, lentAt[i]);
            }
            iovLent[parts] = i;
            iov[parts++] = lent[i].view;
            from = lentAt[i];
        }
        if (out.position() > from) {
            parts = addOutPart(parts, from, out.position());
        }
        int first = 0;
        while (first < parts && tls.write(iov, first, parts - first) > 0) {
            while (first < parts && !iov[first].hasRemaining()) {
                first++;
            }
        }
        int sentViews = 0;
        for (int k = 0; k < first; k++) {
            sentViews += iovLent[k] >= 0 ? 1 : 0;
        }
        int sentBytes = first == parts ? out.position()
                : iovLent[first] >= 0 ? lentAt[iovLent[first]] : iov[first].position();
        for (int i = 0; i < sentViews; i++) {
            views.give(lent[i]);
        }
        lentCount -= sentViews;
        for (int i = 0; i < lentCount; i++) {
            lent[i] = lent[i + sentViews];
            lentAt[i] = lentAt[i + sentViews] - sentBytes;
        }
        Arrays.fill(lent, lentCount, lentCount + sentViews, null);
        out.limit(out.position()).position(sentBytes);
        out.compact();
        return first < parts;
    }

    private int addOutPart(int parts, int from, int to) {
        ByteBuffer part = outParts[parts];
        if (part == null) {
            part = out.duplicate();
            outParts[parts] = part;
        }
        part.clear().position(from).limit(to);
        iovLent[parts] = -1;
        iov[parts] = part;
        return parts + 1;
    }

    /** Forgets the views waiting (a TermReq replaces all output). */
    private void dropLent() {
        Arrays.fill(lent, 0, lentCount, null);
        lentCount = 0;
    }
}
