package dev.nvmeof.protocol.tcp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.ScatteringByteChannel;

import dev.nvmeof.protocol.CommandIds;
import dev.nvmeof.protocol.DataDirection;
import dev.nvmeof.protocol.NvmeStatus;
import dev.nvmeof.protocol.SubmissionQueueEntryFlyweight;

/**
 * The host side of one NVMe/TCP connection, as state and no threads: the CID slot table, the choice of SGL
 * (in-capsule up to the limit, else a transport data block), R2T answered with H2CData within MAXH2CDATA (one R2T
 * at a time per command: we send MAXR2T 0), C2HData placed straight into the caller's buffer, the SUCCESS flag, and
 * one classification of every error: <b>fatal to the connection</b> ({@link QueueFailure}, with its FES, after an
 * H2CTermReq where one may be sent) or <b>per command</b> (an NVMe status in its completion: a data digest mismatch
 * completes that command with Data Transfer Error). Both the {@code tcp} transport and the emulated NIC drive it;
 * what they keep is their own I/O (reading the socket, readiness, rings).
 *
 * <p><b>Threading.</b> {@link #submit} may be called from any thread; {@link #receive} from one thread at a time
 * (the reader). The send side (the output ring, the encoder, each slot's send state) is guarded by this engine's
 * monitor, held only to encode and for one non-blocking gathering write, so a submitter on an idle connection writes
 * its command itself (no wake-up of another thread). A slot's {@code inFlight} flag, written last by the submitter,
 * publishes the command to the reader. {@link Events} are never called with the monitor held, except
 * {@link Events#writeInterest}.
 *
 * <p>The wire is written by its {@link HostOutput}: each PDU as {@code [header][caller's data][data digest]}, up to
 * {@link #MAX_PDUS_PER_WRITE} PDUs per write; the caller's buffer is never copied. Nothing is allocated per command
 * while callers reuse their buffers.
 *
 * @param <R> what the transport calls a command (handed back on completion)
 */
public final class HostQueueEngine<R> {
    /** The status word of a command whose received data failed its digest: Generic, Data Transfer Error. */
    public static final int DATA_TRANSFER_ERROR = NvmeStatus.DATA_TRANSFER_ERROR.toStatusWord(false);
    /** The smallest MAXH2CDATA a controller may grant (NVMe/TCP 1.0, ICResp). */
    public static final int MIN_MAX_H2C_DATA = 4096;
    /** PDUs per gathering write: a QD32 batch of commands goes out in one system call (16 split it in two). */
    public static final int MAX_PDUS_PER_WRITE = 64;

    /** What the engine tells its transport. */
    public interface Events<R> {
        /** ICResp accepted: commands may be submitted. Reader thread. */
        void established(int maxH2cData);

        /** A command ended; its tag is free again before this call. Reader thread. */
        void completed(R owner, int cid, int status, int dw0, int dw1);

        /** The connection cannot go on; called once. Nothing is written or completed afterwards. */
        void failed(QueueFailure failure);

        /** Whether the transport should tell {@link #onWritable()} when the channel takes data again. Lock held. */
        void writeInterest(boolean wanted);

        /** A received data PDU failed its data digest (its command completes with Data Transfer Error). */
        default void dataDigestError(int cid) {
        }
    }

    private static final int NEW = 0;
    private static final int CONNECTING = 1;
    private static final int OPEN = 2;
    private static final int CLOSED = 3;

    /** CH + PSH of a CapsuleCmd (72), header digest, padding up to a CPDA of 128. */
    private static final int HEADER_SPACE = 256;

    private final int qid;
    private final boolean headerDigest;
    private final boolean dataDigest;
    private final int inCapsuleLimit;
    private final Events<R> events;
    private final HostSlot<R>[] slots;
    private final PduDecoder decoder;
    private final Handler handler = new Handler();

    // ---- send side, under this monitor ----
    private final PduEncoder encoder = new PduEncoder();
    private final SubmissionQueueEntryFlyweight sqe = new SubmissionQueueEntryFlyweight();
    private final HostOutput<R> output;
    private final BufferViews writeViews;
    private final ByteBuffer quoted = ByteBuffer.allocate(TermReqPdu.MAX_DATA_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
    private int maxH2cData = MIN_MAX_H2C_DATA;

    private volatile int state = NEW;

    // ---- reader only ----
    private final SocketReader reader;
    /**
     * The reader while it is inside {@link #read}: a command it submits then (from a completion callback) waits in
     * the ring and goes out with the others when the chunk being decoded ends (Linux {@code io_work}: receive, then
     * send). Other threads may read a stale value, but never their own thread, so for them it is always "not the
     * reader".
     */
    private Thread reading;
    /** The reader held a write back ({@link #heldForReader}); it writes at {@link #sendHeld}. */
    private boolean heldByReader;
    private long pdusReceived;
    private int corruptDigests;

    /**
     * @param inCapsuleLimit data up to this many bytes travels in the capsule (IOCCSZ minus the SQE; 8 KiB on the
     *                       admin queue)
     */
    @SuppressWarnings("unchecked")
    public HostQueueEngine(int qid, int depth, boolean headerDigest, boolean dataDigest, int inCapsuleLimit,
            Events<R> events) {
        if (depth < 1 || depth > CommandIds.MAX_TAGS) {
            throw new IllegalArgumentException("queue depth 1.." + CommandIds.MAX_TAGS + ", was " + depth);
        }
        this.qid = qid;
        this.headerDigest = headerDigest;
        this.dataDigest = dataDigest;
        this.inCapsuleLimit = inCapsuleLimit;
        this.events = events;
        this.decoder = PduDecoder.forHost(handler);
        ByteBuffer slab = ByteBuffer.allocateDirect(depth * (HEADER_SPACE + 4)).order(ByteOrder.LITTLE_ENDIAN);
        this.slots = new HostSlot[depth];
        for (int tag = 0; tag < depth; tag++) {
            int at = tag * (HEADER_SPACE + 4);
            slots[tag] = new HostSlot<>(tag, slab.slice(at, HEADER_SPACE).order(ByteOrder.LITTLE_ENDIAN),
                    slab.slice(at + HEADER_SPACE, 4).order(ByteOrder.LITTLE_ENDIAN));
        }
        this.output = new HostOutput<>(slots, events);
        this.writeViews = new BufferViews(depth);
        this.reader = new SocketReader(this, decoder, depth);
    }

    public int qid() {
        return qid;
    }

    public int depth() {
        return slots.length;
    }

    /** Whether commands are accepted: ICResp came and nothing failed or shut the engine down. */
    public boolean open() {
        return state == OPEN;
    }

    /** MAXH2CDATA granted by ICResp. */
    public synchronized int maxH2cData() {
        return maxH2cData;
    }

    /** Bytes handed to the channel so far. */
    public synchronized long bytesWritten() {
        return output.bytesWritten();
    }

    /** PDUs written whole so far. */
    public synchronized long pdusWritten() {
        return output.pdusWritten();
    }

    /** PDUs received so far (reader thread). */
    public long pdusReceived() {
        return pdusReceived;
    }

    /** Fault injection (reader thread): the next {@code n} data PDUs count as data digest errors. */
    public void corruptNextDataDigests(int n) {
        corruptDigests = n;
    }

    // ---- the transport's calls ----

    /** The connection is up: sends ICReq (asking for the digests and MAXR2T 0) through {@code channel}. */
    public void start(GatheringByteChannel channel) {
        QueueFailure failed;
        synchronized (this) {
            if (state != NEW) {
                throw new IllegalStateException("queue " + qid + " already started");
            }
            output.start(channel);
            state = CONNECTING;
            encoder.icReq(output.control(), 0, headerDigest, dataDigest, 0);
            output.queueControl();
            failed = flush();
        }
        report(failed);
    }

    /**
     * Starts a command: sets the SGL in its SQE (at {@code sqeIndex} of {@code sqeBuffer}), encodes the capsule and
     * writes it now unless the connection is backed up. The data are {@code length} bytes from {@code data}'s
     * position, which must not move until the command completes.
     *
     * @return false when the engine is not open (nothing was sent; the command is the caller's again)
     * @throws IllegalArgumentException for a CID whose tag is beyond the depth
     * @throws IllegalStateException for a CID whose tag is still in flight
     */
    public boolean submit(R owner, ByteBuffer sqeBuffer, int sqeIndex, DataDirection direction, ByteBuffer data,
            int length) {
        return submit(owner, sqeBuffer, sqeIndex, direction, data, length, true);
    }

    /**
     * {@link #submit(Object, ByteBuffer, int, DataDirection, ByteBuffer, int)}, writing only when {@code last}: a
     * batch's commands go out in one gathering write at its last one or at {@link #commit()} (Linux
     * {@code bd->last} and {@code commit_rqs}). Until then they wait in the output ring, where any later write of
     * this engine (the reader answering an R2T, another submitter) takes them along.
     */
    public boolean submit(R owner, ByteBuffer sqeBuffer, int sqeIndex, DataDirection direction, ByteBuffer data,
            int length, boolean last) {
        QueueFailure failed;
        synchronized (this) {
            if (state != OPEN) {
                return false;
            }
            sqe.wrap(sqeBuffer, sqeIndex);
            int cid = sqe.cid();
            int tag = CommandIds.tag(cid);
            if (tag >= slots.length) {
                throw new IllegalArgumentException("CID " + cid + " beyond queue " + qid + "'s " + slots.length
                        + " entries");
            }
            HostSlot<R> slot = slots[tag];
            if (slot.inFlight) {
                throw new IllegalStateException("CID " + cid + " is already in flight on queue " + qid);
            }
            slot.cid = cid;
            slot.owner = owner;
            slot.inCapsule = 0;
            if (direction == DataDirection.NONE || length == 0) {
                slot.direction = DataDirection.NONE;
                slot.length = 0;
                sqe.sglNull();
            } else {
                slot.direction = direction;
                slot.length = length;
                slot.bind(data, direction == DataDirection.HOST_TO_CONTROLLER, writeViews);
                if (direction == DataDirection.HOST_TO_CONTROLLER && length <= inCapsuleLimit) {
                    sqe.sglInCapsule(0, length);
                    slot.inCapsule = length;
                } else {
                    sqe.sglTransportDataBlock(length);
                }
            }
            slot.encodeCapsule(encoder, sqeBuffer, sqeIndex);
            slot.queued = true;
            slot.inFlight = true; // volatile: publishes the command to the reader
            output.queue(tag, OutputRing.COMMAND);
            failed = output.blocked() || !last || heldForReader() ? null : flush();
        }
        report(failed);
        return true;
    }

    /** Whether the reader submits from within a read: then the chunk's end writes it (one write for all). */
    private boolean heldForReader() {
        if (reading != Thread.currentThread()) {
            return false;
        }
        heldByReader = true;
        return true;
    }

    /** Writes the commands a batch left in the output ring (unless the channel is backed up: then the reader does). */
    public void commit() {
        if (!heldForReader()) {
            writeWaiting();
        }
    }

    /** Writes what waits in the output ring, if the engine is open and the channel not backed up. */
    private void writeWaiting() {
        QueueFailure failed;
        synchronized (this) {
            if (state != OPEN || output.blocked() || !output.pending()) {
                return;
            }
            failed = flush();
        }
        report(failed);
    }

    /** Bytes from the controller (reader thread): decoded, and acted on as each PDU completes. */
    public void receive(ByteBuffer bytes) {
        if (state == CLOSED || state == NEW) {
            bytes.position(bytes.limit());
            return;
        }
        try {
            decoder.decode(bytes);
        } catch (FatalPduException e) {
            fatal(e.status(), e.errorInformation(), e.shouldSendTermReq(), e.getMessage());
        }
    }

    /**
     * Reads from {@code channel} and decodes, at most {@code maxReads} reads, until it has nothing more (reader
     * thread); a large payload goes straight into its caller's buffer ({@link SocketReader}).
     *
     * @param in the transport's receive buffer
     * @return the bytes read, or -1 when the peer closed the connection
     */
    public long read(ScatteringByteChannel channel, ByteBuffer in, int maxReads) throws IOException {
        reading = Thread.currentThread();
        try {
            return reader.read(channel, in, maxReads);
        } finally {
            reading = null;
            sendHeld();
        }
    }

    /**
     * Reader thread, after each chunk it decoded and at the end of a read: writes what completion code submitted
     * meanwhile. Per chunk, not per read: a read of large payloads can take many chunks, and a command held back
     * until all of them were in would leave the queue that much shallower.
     */
    void sendHeld() {
        if (heldByReader) {
            heldByReader = false;
            writeWaiting();
        }
    }

    /** Whether the engine was shut down or failed: nothing more is received. */
    boolean closed() {
        return state == CLOSED;
    }

    /** The channel takes data again after {@link Events#writeInterest} asked. */
    public void onWritable() {
        QueueFailure failed = null;
        synchronized (this) {
            if (state == CLOSED) {
                output.unblock();
            } else {
                failed = flush();
            }
        }
        report(failed);
    }

    /**
     * Stops the engine: nothing more is written, received or completed, and no caller buffer is read after this
     * returns (called by the transport when the connection failed, drains or closes).
     */
    public synchronized void shutdown() {
        closeOutput();
    }

    // ---- the send side (lock held) ----

    /** Writes what the output holds until it is empty or the channel is full; a failure closes the output. */
    private QueueFailure flush() {
        try {
            output.write(encoder, maxH2cData);
            return null;
        } catch (IOException | RuntimeException e) {
            boolean wasOpen = state != CLOSED;
            closeOutput();
            return wasOpen ? QueueFailure.connectionLost(qid, "write failed: " + e.getMessage(), e) : null;
        }
    }

    private void closeOutput() {
        state = CLOSED;
        output.clear();
        writeViews.clear();
    }

    private void report(QueueFailure failure) {
        if (failure != null) {
            events.failed(failure);
        }
    }

    /**
     * A fatal error in what the controller sent: an H2CTermReq quoting the PDU in error (unless the error forbids
     * one or a PDU is half on the wire), then the connection is failed. Nothing once closed.
     */
    private void fatal(FatalErrorStatus fes, int fei, boolean sendTermReq, String detail) {
        synchronized (this) {
            if (state == CLOSED) {
                return;
            }
            if (sendTermReq && output.started() && !output.headStarted()) {
                quoted.clear();
                decoder.copyHeaderInError(quoted);
                quoted.flip();
                encoder.termReq(output.control(), true, fes, fei, quoted);
                output.writeControlNow();
            }
            closeOutput();
        }
        events.failed(QueueFailure.protocolError(qid, fes, fei, detail));
    }

    // ---- the receive side (reader thread) ----

    /** The slot of a command in flight with exactly this CID, or null after failing the connection. */
    private HostSlot<R> inFlight(int cid, int cidOffset, String pdu) {
        int tag = CommandIds.tag(cid);
        HostSlot<R> slot = tag < slots.length ? slots[tag] : null;
        if (slot == null || !slot.inFlight || slot.cid != cid) {
            fatal(FatalErrorStatus.INVALID_PDU_HEADER_FIELD, cidOffset, true, pdu + " for CID " + cid
                    + ", which has no command in flight");
            return null;
        }
        return slot;
    }

    /**
     * Ends a command. Its capsule or H2CData may still wait in the ring when a controller answers early: it is
     * taken out; if it is half on the wire the connection cannot go on (the caller's buffer would be read after
     * its completion), so it fails and the command is reissued by the host core.
     */
    private void complete(HostSlot<R> slot, int status, int dw0, int dw1) {
        if (slot.queued) {
            boolean removed;
            synchronized (this) {
                removed = !slot.queued || output.dequeue(slot);
            }
            if (!removed) {
                fatal(FatalErrorStatus.PDU_SEQUENCE_ERROR, 0, false, "completion for CID " + slot.cid
                        + " while its data is still being sent");
                return;
            }
        }
        R owner = slot.owner;
        int cid = slot.cid;
        slot.owner = null;
        slot.dataError = false;
        slot.inFlight = false;
        if (state == OPEN) {
            events.completed(owner, cid, status, dw0, dw1);
        }
    }

    private final class Handler implements HostPduHandler {
        /** The slot whose C2HData {@link #onC2hData} just accepted. */
        private HostSlot<R> receiving;

        @Override
        public void onIcResp(IcRespPdu pdu) {
            pdusReceived++;
            if (pdu.headerDigest() != headerDigest || pdu.dataDigest() != dataDigest) {
                failNegotiation("the controller granted header/data digest " + pdu.headerDigest() + "/"
                        + pdu.dataDigest() + " for " + headerDigest + "/" + dataDigest + " asked");
                return;
            }
            int granted = pdu.maxH2cData();
            if (granted < MIN_MAX_H2C_DATA || pdu.cpda() > 31) {
                failNegotiation("the controller granted MAXH2CDATA " + Integer.toUnsignedString(granted)
                        + " and CPDA " + pdu.cpda() + " (MAXH2CDATA must be at least " + MIN_MAX_H2C_DATA + ")");
                return;
            }
            decoder.negotiated(headerDigest, dataDigest, 0);
            synchronized (HostQueueEngine.this) {
                if (state != CONNECTING) {
                    return;
                }
                encoder.negotiated(headerDigest, dataDigest, pdu.cpda());
                maxH2cData = granted;
                state = OPEN;
            }
            events.established(granted);
        }

        private void failNegotiation(String detail) {
            synchronized (HostQueueEngine.this) {
                if (state == CLOSED) {
                    return;
                }
                closeOutput();
            }
            events.failed(QueueFailure.negotiationFailed(qid, detail));
        }

        @Override
        public void onTermReq(TermReqPdu pdu) {
            pdusReceived++;
            synchronized (HostQueueEngine.this) {
                if (state == CLOSED) {
                    return;
                }
                closeOutput();
            }
            events.failed(QueueFailure.terminatedByController(qid, pdu.fes(), pdu.fei()));
        }

        @Override
        public void onCapsuleResp(CapsuleRespPdu pdu) {
            pdusReceived++;
            HostSlot<R> slot = inFlight(pdu.cid(), CapsuleRespPdu.CID_OFFSET, "CapsuleResp");
            if (slot != null) {
                ByteBuffer b = pdu.buffer();
                int cqe = pdu.cqeIndex();
                complete(slot, slot.dataError ? DATA_TRANSFER_ERROR : pdu.statusWord(), b.getInt(cqe),
                        b.getInt(cqe + 4));
            }
        }

        @Override
        public void onR2t(R2tPdu pdu) {
            pdusReceived++;
            HostSlot<R> slot = inFlight(pdu.cccid(), R2tPdu.CCCID_OFFSET, "R2T");
            if (slot == null) {
                return;
            }
            long offset = Integer.toUnsignedLong(pdu.r2to());
            long length = Integer.toUnsignedLong(pdu.r2tl());
            if (slot.direction != DataDirection.HOST_TO_CONTROLLER || slot.inCapsule != 0 || length == 0
                    || offset + length > slot.length) {
                fatal(FatalErrorStatus.DATA_TRANSFER_OUT_OF_RANGE, 0, true, "R2T for CID " + pdu.cccid() + " at "
                        + offset + "+" + length + " does not fit its " + (slot.direction
                        == DataDirection.HOST_TO_CONTROLLER ? slot.length + "-byte write" : "command"));
                return;
            }
            QueueFailure failed = null;
            boolean busy;
            boolean answering = false;
            synchronized (HostQueueEngine.this) {
                if (state != OPEN) {
                    return;
                }
                busy = slot.queued;
                if (busy) {
                    answering = slot.h2cActive;
                } else {
                    slot.ttag = pdu.ttag();
                    slot.h2cOffset = (int) offset;
                    slot.h2cRemaining = (int) length;
                    slot.h2cActive = true;
                    slot.queued = true;
                    output.queue(slot.tag, OutputRing.H2C);
                    failed = output.blocked() ? null : flush();
                }
            }
            if (!busy) {
                report(failed);
                return;
            }
            // Its capsule is not even sent yet, or its last R2T is still being answered: we grant one at a time.
            fatal(FatalErrorStatus.PDU_SEQUENCE_ERROR, 0, true, "R2T for CID " + pdu.cccid() + " while "
                    + (answering ? "an earlier R2T is still being answered (MAXR2T is 1)"
                            : "its command is still being sent"));
        }

        @Override
        public ByteBuffer onC2hData(C2hDataPdu pdu) {
            pdusReceived++;
            int cid = pdu.cccid();
            int tag = CommandIds.tag(cid);
            if (state != OPEN || tag >= slots.length) {
                return null; // the decoder fails the connection: data for no command
            }
            HostSlot<R> slot = slots[tag];
            if (!slot.inFlight || slot.cid != cid || slot.direction != DataDirection.CONTROLLER_TO_HOST) {
                return null;
            }
            receiving = slot;
            return slot.data;
        }

        @Override
        public int c2hDataIndex() {
            return receiving.dataStart;
        }

        @Override
        public int c2hDataLength() {
            return receiving.length;
        }

        @Override
        public void onC2hDataEnd(C2hDataPdu pdu, boolean dataDigestOk) {
            HostSlot<R> slot = slots[CommandIds.tag(pdu.cccid())]; // onC2hData checked the whole CID
            if (dataDigest && corruptDigests > 0) {
                corruptDigests--;
                dataDigestOk = false;
            }
            if (!dataDigestOk) {
                slot.dataError = true;
                events.dataDigestError(slot.cid);
            }
            if (pdu.hasFlag(PduFlags.SUCCESS)) {
                complete(slot, slot.dataError ? DATA_TRANSFER_ERROR : 0, 0, 0);
            }
        }
    }
}
