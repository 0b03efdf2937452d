package dev.nvmeof.nic.emulated.internal;

import dev.nvmeof.nic.emulated.DataDirection;
import dev.nvmeof.nic.emulated.SubmissionSlot;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** The engine's state of one CID in flight, with preallocated PDU header storage. Engine thread only. */
final class Command {
    final ByteBuffer headers = ByteBuffer.allocateDirect(512).order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer data;
    DataDirection direction = DataDirection.NONE;
    int length;
    boolean inCapsule;
    boolean busy;
    /** The whole CID (tag and generation) of the command in flight. */
    int cid;
    /** A data PDU of this read failed its data digest: it completes with Data Transfer Error. */
    boolean dataError;

    /** Reads the slot (the "DMA descriptor") once: the host buffer's bytes [position, position + length). */
    Command start(SubmissionSlot slot) {
        busy = true;
        direction = slot.direction();
        length = slot.length();
        ByteBuffer b = slot.dataBuffer();
        data = b == null ? null : b.slice(b.position(), length).order(ByteOrder.LITTLE_ENDIAN);
        inCapsule = false;
        return this;
    }

    void reset() {
        busy = false;
        dataError = false;
        data = null;
        direction = DataDirection.NONE;
    }
}
