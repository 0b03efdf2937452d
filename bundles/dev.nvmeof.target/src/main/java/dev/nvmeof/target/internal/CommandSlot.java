package dev.nvmeof.target.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import dev.nvmeof.protocol.GenericStatus;
import dev.nvmeof.protocol.NvmeStatus;
import dev.nvmeof.protocol.SubmissionQueueEntryFlyweight;

/**
 * One command in flight on a queue: its SQE (copied out of the receive path), what the executor decided, and the
 * state of its data transfer. Preallocated per connection and reused; its index is the R2T transfer tag (TTAG).
 */
final class CommandSlot {
    /** What happens after the executor ran. */
    enum Outcome {
        /** Send a CapsuleResp with {@link #status} and {@link #dw0}. */
        RESPOND,
        /** Send {@link #dataLength} bytes from the plan ({@link #source}) in C2HData, then the response. */
        RESPOND_WITH_DATA,
        /** Ask the host for {@link #dataLength} bytes with an R2T; the executor continues when they arrived. */
        NEED_HOST_DATA,
        /** Held by the controller (an Asynchronous Event Request) until an event completes it. */
        HELD
    }

    /** Where C2H data comes from. */
    enum Source { SCRATCH, OWNED, NAMESPACE }

    final int index;
    final ByteBuffer sqeBuffer = ByteBuffer.allocate(SubmissionQueueEntryFlyweight.LENGTH).order(ByteOrder.LITTLE_ENDIAN);
    final SubmissionQueueEntryFlyweight sqe = new SubmissionQueueEntryFlyweight().wrap(sqeBuffer, 0);

    int cid;
    Outcome outcome;
    int status;
    int dw0;
    int dw1;
    Source source;
    Namespace namespace;
    /** Admin data kept aside when it could not be sent at once (the scratch buffer is reused). */
    ByteBuffer owned;
    long namespaceOffset;
    int scratchOffset;
    int dataLength;
    /** Host data received so far, and the R2T outstanding for it (one at a time, at most MAXH2CDATA). */
    int received;
    int r2tOffset;
    int r2tLength;
    /** The outstanding R2T's data buffer, from the loop's pool; null when no R2T of this command is outstanding. */
    ByteBuffer staging;
    /** Data sent to the host so far. */
    int sent;
    boolean dataDigestFailed;
    boolean fua;
    /** Byte ranges of a Write Zeroes or deallocation that runs in the background; allocated on first use. */
    long[] rangeOffsets;
    long[] rangeLengths;
    int rangeCount;

    CommandSlot(int index) {
        this.index = index;
    }

    void reset(int cid) {
        this.cid = cid;
        outcome = Outcome.RESPOND;
        status = 0;
        dw0 = 0;
        dw1 = 0;
        source = null;
        namespace = null;
        owned = null;
        namespaceOffset = 0;
        scratchOffset = 0;
        dataLength = 0;
        received = 0;
        r2tOffset = 0;
        r2tLength = 0;
        sent = 0;
        dataDigestFailed = false;
        fua = false;
        rangeCount = 0;
    }

    /** Adds a byte range for background work; at most {@code capacity} per command. */
    void addRange(long offset, long length, int capacity) {
        if (rangeOffsets == null || rangeOffsets.length < capacity) {
            rangeOffsets = new long[capacity];
            rangeLengths = new long[capacity];
        }
        rangeOffsets[rangeCount] = offset;
        rangeLengths[rangeCount] = length;
        rangeCount++;
    }

    void respond(int statusWord) {
        outcome = Outcome.RESPOND;
        status = statusWord;
    }

    void fail(GenericStatus generic, boolean dnr) {
        respond(NvmeStatus.statusWord(0, generic.code(), dnr, false, 0, false));
    }

    void fail(NvmeStatus nvmeStatus) {
        respond(nvmeStatus.toStatusWord(false));
    }

    void sendScratch(int offset, int length) {
        outcome = Outcome.RESPOND_WITH_DATA;
        source = Source.SCRATCH;
        scratchOffset = offset;
        dataLength = length;
    }

    void sendNamespace(Namespace ns, long offset, int length) {
        outcome = Outcome.RESPOND_WITH_DATA;
        source = Source.NAMESPACE;
        namespace = ns;
        namespaceOffset = offset;
        dataLength = length;
    }

    void needHostData(int length) {
        outcome = Outcome.NEED_HOST_DATA;
        dataLength = length;
    }
}
