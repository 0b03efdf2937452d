package dev.nvmeof.target.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import dev.nvmeof.protocol.CompletionQueueEntryFlyweight;
import dev.nvmeof.protocol.tcp.FatalErrorStatus;
import dev.nvmeof.protocol.tcp.PduEncoder;
import dev.nvmeof.protocol.tcp.PduType;
import dev.nvmeof.protocol.tcp.TermReqPdu;

/**
 * What a connection sends: its send buffer, the PDUs encoded into it (ICResp, R2T, C2HData with the read data copied
 * straight behind its header, CapsuleResp, TermReq) and writing it out through {@link ConnectionTls}. The buffer is
 * taken at ICResp at {@link #SMALL} bytes and grows to at most {@link #LARGE} when reads need room. Loop thread only.
 */
final class ConnectionOutput {
    /** Room kept for a response or an R2T of every slot, so completions never wait for space. */
    static final int RESPONSE_RESERVE = Connection.QUEUE_ENTRIES * 32;
    /** The most the buffer grows to: one full data PDU with its header and digest, and the reserve. */
    static final int LARGE = Connection.DATA_PDU + 2 * 4096 + RESPONSE_RESERVE;
    /** The buffer until reads need more: the ICResp, and a response or R2T for every slot. */
    static final int SMALL = RESPONSE_RESERVE + 256;

    private final PduEncoder encoder = new PduEncoder();
    private final ByteBuffer cqeBuffer = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    private final CompletionQueueEntryFlyweight cqe = new CompletionQueueEntryFlyweight().wrap(cqeBuffer, 0);
    /** Null until the ICResp: a connection that never sent one costs no send buffer. */
    private ByteBuffer out;
    /** The same memory as {@link #out}, for the data digest over what was just put there. */
    private ByteBuffer outView;

    /** Whether the buffer exists (the ICResp, or a TermReq, was encoded). */
    boolean started() {
        return out != null;
    }

    /** The ICResp granting the digests the host asked for, no padding (CPDA 0), H2CData up to {@code maxH2cData}. */
    void icResp(boolean headerDigest, boolean dataDigest, int hostPadding, int maxH2cData) {
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
            int needed = encoder.headerPart(PduType.C2H_DATA, length) + length + 4 + RESPONSE_RESERVE;
            if (out.remaining() < needed && out.capacity() < LARGE) {
                grow(out.position() + needed);
            }
            if (out.remaining() < needed) {
                return false;
            }
            int start = out.position();
            encoder.c2hData(out, slot.cid, slot.sent, length, last, last && success);
            int at = out.position();
            try {
                copy(slot, scratch, at, length);
            } catch (IOException | RuntimeException e) {
                out.position(start);
                throw e;
            }
            out.position(at + length);
            outView.limit(at + length).position(at);
            encoder.dataDigest(out, outView);
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
        encoder.termReq(out, false, status, errorInformation, quoted);
    }

    /** Writes what the buffer holds; true when something is left (in the buffer, or in TLS records not yet sent). */
    boolean flush(ConnectionTls tls) throws IOException {
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
}
