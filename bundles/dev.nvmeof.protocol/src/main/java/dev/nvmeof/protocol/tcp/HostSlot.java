package dev.nvmeof.protocol.tcp;

import java.nio.ByteBuffer;

import dev.nvmeof.protocol.DataDirection;

/** Everything kept for one tag, made once and reused for each command on it. */
final class HostSlot<R> {
    final int tag;
    /** Header part of the PDU being sent; a slice of the engine's direct slab. */
    final ByteBuffer header;
    final ByteBuffer digest;
    /** Written last by the submitter (publishes the fields below), cleared by the reader at completion. */
    volatile boolean inFlight;
    /** The slot has an entry in the output ring (its capsule or H2CData); changed under the lock. */
    volatile boolean queued;

    int cid;
    R owner;
    DataDirection direction = DataDirection.NONE;
    int length;
    int inCapsule;
    /** The caller's buffer holding the command's data, from {@link #dataStart} for {@link #length} bytes. */
    ByteBuffer data;
    int dataStart;
    /** For a write: a view of {@link #data} each outgoing PDU positions over the bytes it carries. */
    ByteBuffer writeView;

    // send state, under the lock
    boolean encoded;
    boolean dataInPdu;
    boolean h2cActive;
    int ttag;
    int h2cOffset;
    int h2cRemaining;

    // reader only
    boolean dataError;

    HostSlot(int tag, ByteBuffer header, ByteBuffer digest) {
        this.tag = tag;
        this.header = header.limit(0);
        this.digest = digest.limit(0);
    }

    /** Takes the caller's data, from {@code buffer}'s position; a write gets a reused view of it. */
    void bind(ByteBuffer buffer, boolean write, BufferViews views) {
        data = buffer;
        dataStart = buffer.position();
        writeView = write ? views.forWrite(buffer, this) : null;
    }

    /** Encodes the CapsuleCmd of the command just started, with its in-capsule data and digest if any. */
    void encodeCapsule(PduEncoder encoder, ByteBuffer sqeBuffer, int sqeIndex) {
        header.clear();
        digest.clear();
        encoder.capsuleCmd(header, sqeBuffer, sqeIndex, inCapsule);
        dataInPdu = false;
        if (inCapsule > 0) {
            positionData(encoder, 0, inCapsule);
        }
        header.flip();
        digest.flip();
        encoded = true;
    }

    /** Encodes the next H2CData PDU of the R2T being answered: at most {@code maxH2cData} bytes. */
    void encodeH2c(PduEncoder encoder, int maxH2cData) {
        int length = Math.min(h2cRemaining, maxH2cData);
        boolean last = length == h2cRemaining;
        header.clear();
        digest.clear();
        encoder.h2cData(header, cid, ttag, h2cOffset, length, last);
        positionData(encoder, h2cOffset, length);
        h2cOffset += length;
        h2cRemaining -= length;
        header.flip();
        digest.flip();
        encoded = true;
    }

    /** Points the write view at {@code length} bytes from {@code offset} of the data, with their digest. */
    private void positionData(PduEncoder encoder, int offset, int length) {
        writeView.clear().position(dataStart + offset).limit(dataStart + offset + length);
        encoder.dataDigest(digest, writeView);
        dataInPdu = true;
    }

    boolean pduWritten() {
        return !header.hasRemaining() && (!dataInPdu || !writeView.hasRemaining()) && !digest.hasRemaining();
    }
}
