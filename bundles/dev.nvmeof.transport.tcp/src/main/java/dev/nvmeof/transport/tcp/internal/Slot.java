package dev.nvmeof.transport.tcp.internal;

import java.nio.ByteBuffer;

import dev.nvmeof.spi.transport.TransportRequest;

/**
 * Everything a queue keeps for one CID, preallocated at queue creation and reused for every command of that CID:
 * the request in flight, its send state (the header part, the view of the caller's data, the data digest, each with
 * its own position so a partial write resumes where it stopped) and its receive state.
 *
 * <p>{@link #request} is written by the submitting thread (under the send lock) before the command goes on the wire
 * and read by the event loop once a PDU names the CID; being volatile it also publishes {@link #readTarget} and
 * {@link #inCapsule}, which are written just before it.
 */
final class Slot {
    /** A CapsuleCmd (with in-capsule data, if any) waits in the send ring. */
    static final int SEND_COMMAND = 0;
    /** H2CData answering an R2T waits in the send ring. */
    static final int SEND_H2C = 1;

    /** The slot's index: the tag of the CIDs it carries ({@link dev.nvmeof.protocol.CommandIds}). */
    final int tag;
    /** The whole CID of the command in flight (tag and generation); written before {@link #request}. */
    int cid;
    /** Header part of the PDU being sent (CH, PSH, HDGST, PAD); a slice of the queue's direct slab. */
    final ByteBuffer header;
    /** Data digest of the PDU being sent; a slice of the queue's direct slab. */
    final ByteBuffer digest;

    volatile TransportRequest request;

    // ---- published by the volatile write of request ----
    /** Where C2HData goes (index 0 = data offset 0), or null when the command reads nothing. */
    ByteBuffer readTarget;
    /** Bytes of in-capsule data; 0 when the data (if any) goes through R2T. */
    int inCapsule;

    // ---- send state, under the send lock ----
    /** A reusable view of the caller's data buffer: each PDU positions it over the bytes it carries. */
    ByteBuffer writeView;
    /** The buffer {@link #writeView} is a view of. */
    ByteBuffer writeViewSource;
    /** Whether the PDU at the head of the ring for this slot has been encoded into {@link #header}. */
    boolean encoded;
    int ttag;
    /** Next data offset an H2CData PDU carries, and how much of the R2T is left to encode. */
    int h2cOffset;
    int h2cRemaining;
    boolean h2cActive;
    /** Whether the current PDU carries data from {@link #writeView}. */
    boolean dataInPdu;

    // ---- made by the submitting thread before the request is published ----
    /** A cached slice for reads into a buffer whose position is not 0. */
    ByteBuffer readSlice;
    ByteBuffer readSliceSource;
    int readSlicePosition;
    int readSliceLimit;

    // ---- receive state, event loop only ----
    /** A C2HData PDU of this command failed its data digest: it completes with Data Transfer Error. */
    boolean dataError;

    Slot(int tag, ByteBuffer header, ByteBuffer digest) {
        this.tag = tag;
        this.cid = tag;
        this.header = header;
        this.digest = digest;
    }

    /** The view of {@code data} for sending, made once per caller buffer and reused while the caller reuses it. */
    ByteBuffer writeView(ByteBuffer data) {
        if (writeViewSource != data) {
            writeView = data.duplicate();
            writeViewSource = data;
        }
        return writeView;
    }

    /**
     * Where C2HData for {@code data} goes: the buffer itself when its position is 0 (index = data offset), otherwise
     * a slice, made again only when the caller's buffer, position or limit changed.
     */
    ByteBuffer readTarget(ByteBuffer data) {
        if (data.position() == 0) {
            return data;
        }
        if (readSliceSource != data || readSlicePosition != data.position() || readSliceLimit != data.limit()) {
            readSlice = data.slice();
            readSliceSource = data;
            readSlicePosition = data.position();
            readSliceLimit = data.limit();
        }
        return readSlice;
    }

    /** Whether the PDU encoded for this slot has been written completely. */
    boolean pduWritten() {
        return !header.hasRemaining() && (!dataInPdu || !writeView.hasRemaining())
                && !digest.hasRemaining();
    }
}
