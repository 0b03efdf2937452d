package dev.nvmeof.transport.tcp.internal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;

import dev.nvmeof.api.NvmeTransportException;
import dev.nvmeof.protocol.CommandIds;
import dev.nvmeof.protocol.NvmeStatus;
import dev.nvmeof.protocol.tcp.C2hDataPdu;
import dev.nvmeof.protocol.tcp.CapsuleRespPdu;
import dev.nvmeof.protocol.tcp.FatalErrorStatus;
import dev.nvmeof.protocol.tcp.FatalPduException;
import dev.nvmeof.protocol.tcp.HostPduHandler;
import dev.nvmeof.protocol.tcp.IcRespPdu;
import dev.nvmeof.protocol.tcp.PduDecoder;
import dev.nvmeof.protocol.tcp.PduFlags;
import dev.nvmeof.protocol.tcp.R2tPdu;
import dev.nvmeof.protocol.tcp.TermReqPdu;
import dev.nvmeof.spi.transport.DataDirection;
import dev.nvmeof.spi.transport.TransportRequest;

/**
 * The receive side of one queue, confined to its event loop: reads the socket into one direct buffer, decodes
 * incrementally and acts on each PDU. C2HData goes straight from that buffer into the request's own buffer (the
 * decoder copies once, to the buffer {@link #onC2hData} names for the CID); CapsuleResp or a C2HData with SUCCESS
 * completes the request; R2T hands the send path an H2CData transfer.
 *
 * <p>Errors, as the Linux host classifies them: a data digest mismatch fails only that command (Data Transfer
 * Error, the queue goes on); a bad header digest, a malformed PDU, an unknown CID, a C2HTermReq or the socket
 * closing fail the queue.
 */
final class ReceivePath implements HostPduHandler {
    /** The status word of a command whose received data failed its digest: Generic, Data Transfer Error. */
    static final int DATA_TRANSFER_ERROR = NvmeStatus.DATA_TRANSFER_ERROR.toStatusWord(false);
    /** Reads per readiness event before going back to the selector (fairness between queues of one loop). */
    private static final int MAX_READS = 16;

    private final TcpQueue queue;
    private final Slot[] slots;
    private final SendPath send;
    private final PduDecoder decoder = PduDecoder.forHost(this);
    private final ByteBuffer in;

    ReceivePath(TcpQueue queue, Slot[] slots, SendPath send, int bufferSize) {
        this.queue = queue;
        this.slots = slots;
        this.send = send;
        this.in = ByteBuffer.allocateDirect(bufferSize).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The socket is readable: read and decode until it is drained (or {@link #MAX_READS} buffers). */
    void onReadable(SocketChannel channel) {
        try {
            for (int i = 0; i < MAX_READS && queue.receiving(); i++) {
                int n = channel.read(in);
                if (n < 0) {
                    queue.fail(NvmeTransportException.connectionLost("queue " + queue.qid()
                            + ": the controller closed the connection", new EOFException()));
                    return;
                }
                in.flip();
                decoder.decode(in);
                in.clear();
                if (n == 0 || n < in.capacity()) {
                    return;
                }
            }
        } catch (FatalPduException e) {
            fatal(e.status(), e.errorInformation(), e.shouldSendTermReq(), e.getMessage());
        } catch (IOException e) {
            queue.fail(NvmeTransportException.connectionLost("queue " + queue.qid() + ": " + e.getMessage(), e));
        }
    }

    @Override
    public void onIcResp(IcRespPdu pdu) {
        queue.onIcResp(pdu, decoder);
    }

    @Override
    public void onTermReq(TermReqPdu pdu) {
        queue.fail(NvmeTransportException.terminatedByController(pdu.fes(), "queue " + queue.qid() + ", FEI "
                + pdu.fei()));
    }

    @Override
    public void onCapsuleResp(CapsuleRespPdu pdu) {
        Slot slot = inFlight(pdu.cid(), CapsuleRespPdu.CID_OFFSET, "CapsuleResp");
        if (slot == null) {
            return;
        }
        ByteBuffer b = pdu.buffer();
        int cqe = pdu.cqeIndex();
        complete(slot, slot.dataError ? DATA_TRANSFER_ERROR : pdu.statusWord(), b.getInt(cqe), b.getInt(cqe + 4));
    }

    @Override
    public void onR2t(R2tPdu pdu) {
        Slot slot = inFlight(pdu.cccid(), R2tPdu.CCCID_OFFSET, "R2T");
        if (slot == null) {
            return;
        }
        TransportRequest request = slot.request;
        long end = Integer.toUnsignedLong(pdu.r2to()) + Integer.toUnsignedLong(pdu.r2tl());
        if (request.direction() != DataDirection.HOST_TO_CONTROLLER || slot.inCapsule != 0
                || end > request.dataLength() || slot.h2cActive) {
            fatal(FatalErrorStatus.DATA_TRANSFER_OUT_OF_RANGE, 0, true, "R2T for CID " + pdu.cccid() + " at "
                    + Integer.toUnsignedString(pdu.r2to()) + "+" + Integer.toUnsignedString(pdu.r2tl())
                    + " does not fit its " + request.dataLength() + "-byte write");
            return;
        }
        send.r2t(slot, pdu.ttag(), pdu.r2to(), pdu.r2tl());
    }

    @Override
    public ByteBuffer onC2hData(C2hDataPdu pdu) {
        int cid = pdu.cccid();
        int tag = CommandIds.tag(cid);
        if (!queue.live() || tag >= slots.length) {
            return null; // the decoder fails the connection (unknown command), or the queue is already done
        }
        Slot slot = slots[tag];
        return slot.request == null || slot.cid != cid ? null : slot.readTarget; // an ended command's CID: fatal
    }

    @Override
    public void onC2hDataEnd(C2hDataPdu pdu, boolean dataDigestOk) {
        Slot slot = slots[CommandIds.tag(pdu.cccid())]; // onC2hData checked the whole CID
        if (!dataDigestOk) {
            slot.dataError = true;
        }
        if (pdu.hasFlag(PduFlags.SUCCESS)) {
            complete(slot, slot.dataError ? DATA_TRANSFER_ERROR : 0, 0, 0);
        }
    }

    /**
     * The slot of a command in flight, or null after failing the queue for a CID that names none: no command on its
     * tag, or one of another generation (a completion for a command that already ended). An invalid header field:
     * {@code cidOffset} is the FEI.
     */
    private Slot inFlight(int cid, int cidOffset, String pdu) {
        int tag = CommandIds.tag(cid);
        Slot slot = tag < slots.length ? slots[tag] : null;
        if (slot == null || slot.request == null || slot.cid != cid) {
            fatal(FatalErrorStatus.INVALID_PDU_HEADER_FIELD, cidOffset, true, pdu + " for CID " + cid
                    + ", which has no command in flight");
            return null;
        }
        return slot;
    }

    /**
     * A fatal error in what the controller sent, found by the decoder or here: an H2CTermReq quoting the PDU in
     * error (unless the error forbids one), then the queue fails. Nothing when the queue no longer receives.
     */
    private void fatal(FatalErrorStatus fes, int fei, boolean sendTermReq, String detail) {
        if (!queue.receiving()) {
            return;
        }
        if (sendTermReq) {
            ByteBuffer quoted = ByteBuffer.allocate(TermReqPdu.MAX_DATA_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
            decoder.copyHeaderInError(quoted);
            quoted.flip();
            send.termReq(ByteBuffer.allocate(TermReqPdu.MAX_LENGTH).order(ByteOrder.LITTLE_ENDIAN), fes, fei,
                    quoted);
        }
        queue.fail(NvmeTransportException.protocolError(fes, "queue " + queue.qid() + ": " + detail));
    }

    /** Frees the CID first, so the core may reuse it from inside the callback. */
    private void complete(Slot slot, int status, int dw0, int dw1) {
        TransportRequest request = slot.request;
        slot.request = null;
        slot.dataError = false;
        if (queue.live()) {
            request.complete(status, dw0, dw1);
            queue.completed(request);
        }
    }
}
