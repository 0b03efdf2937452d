package dev.nvmeof.nic.emulated.internal;

import dev.nvmeof.nic.emulated.DataDirection;
import dev.nvmeof.nic.emulated.QueuePairOptions;
import dev.nvmeof.nic.emulated.SubmissionSlot;
import dev.nvmeof.protocol.CommandIds;
import dev.nvmeof.protocol.NvmeStatus;
import dev.nvmeof.protocol.SubmissionQueueEntryFlyweight;
import dev.nvmeof.protocol.tcp.C2hDataPdu;
import dev.nvmeof.protocol.tcp.CapsuleRespPdu;
import dev.nvmeof.protocol.tcp.FatalPduException;
import dev.nvmeof.protocol.tcp.HostPduHandler;
import dev.nvmeof.protocol.tcp.IcRespPdu;
import dev.nvmeof.protocol.tcp.PduDecoder;
import dev.nvmeof.protocol.tcp.PduFlags;
import dev.nvmeof.protocol.tcp.R2tPdu;
import dev.nvmeof.protocol.tcp.TermReqPdu;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The NVMe/TCP of one queue pair, engine thread only: a submission slot becomes a capsule (data in-capsule, or later
 * H2CData for each R2T), and received PDUs complete the commands, with C2HData moved straight into host buffers. What
 * the connection and the rings do with the outcome is the queue pair's, through {@link Link}.
 */
final class CommandFlow implements HostPduHandler {
    private static final int INVALID_FIELD = NvmeStatus.of(0, 0x02, true).toStatusWord(false);
    private static final int DATA_TRANSFER_ERROR = NvmeStatus.DATA_TRANSFER_ERROR.toStatusWord(false);

    /** What the flow tells its queue pair. */
    interface Link {
        /** Whether the queue pair still serves commands. */
        boolean live();

        /** ICResp accepted: the queue pair is live. */
        void established(int maxH2cData);

        /** A command's completion, for the completion ring. */
        void completed(int cid, int status, int dw0, int dw1);

        /** The connection cannot go on. */
        void fail(IOException cause);

        /** Fault injection: whether to treat this data digest as corrupted (consumes the fault). */
        boolean takeCorruptDigest();
    }

    private final QueuePairOptions options;
    private final EngineCounters counters;
    private final Sender sender;
    private final Link link;
    private final Command[] commands;
    private final PduDecoder decoder = PduDecoder.forHost(this);
    private final SubmissionQueueEntryFlyweight sqe = new SubmissionQueueEntryFlyweight();

    CommandFlow(QueuePairOptions options, EngineCounters counters, Sender sender, Link link) {
        this.options = options;
        this.counters = counters;
        this.sender = sender;
        this.link = link;
        this.commands = new Command[options.depth()];
        for (int i = 0; i < commands.length; i++) {
            commands[i] = new Command();
        }
    }

    /** Feeds received bytes to the decoder, which calls back here. */
    void receive(ByteBuffer bytes) throws FatalPduException {
        decoder.decode(bytes);
    }

    /**
     * Starts the command in {@code slot} (read once, like a DMA descriptor): sets its SGL and sends the capsule. A CID
     * out of range or already in flight completes at once with Invalid Field.
     *
     * @return false when the connection failed sending it
     */
    boolean submit(SubmissionSlot slot) {
        sqe.wrap(slot.sqe(), 0);
        int cid = sqe.cid();
        int tag = CommandIds.tag(cid);
        if (tag >= commands.length || commands[tag].busy) {
            link.completed(cid, INVALID_FIELD, 0, 0);
            return true;
        }
        Command c = commands[tag].start(slot);
        c.cid = cid;
        if (c.direction == DataDirection.NONE) {
            sqe.sglNull();
        } else if (c.direction == DataDirection.HOST_TO_CONTROLLER && c.length <= options.inCapsuleLimit()) {
            sqe.sglInCapsule(0, c.length);
            c.inCapsule = true;
        } else {
            sqe.sglTransportDataBlock(c.length);
        }
        try {
            sender.capsule(c, slot.sqe());
            return true;
        } catch (IOException e) {
            link.fail(e);
            return false;
        }
    }

    @Override
    public void onIcResp(IcRespPdu pdu) {
        counters.pdusIn.incrementAndGet();
        if (pdu.headerDigest() != options.headerDigest() || pdu.dataDigest() != options.dataDigest()) {
            link.fail(new IOException("queue " + options.qid() + ": the controller granted header/data digest "
                    + pdu.headerDigest() + "/" + pdu.dataDigest() + " for " + options.headerDigest() + "/"
                    + options.dataDigest() + " asked"));
            return;
        }
        decoder.negotiated(pdu.headerDigest(), pdu.dataDigest(), 0);
        sender.negotiated(pdu.headerDigest(), pdu.dataDigest(), pdu.cpda(), pdu.maxH2cData());
        link.established(pdu.maxH2cData());
    }

    @Override
    public void onTermReq(TermReqPdu pdu) {
        counters.pdusIn.incrementAndGet();
        link.fail(new IOException("queue " + options.qid() + ": C2HTermReq " + pdu.fes() + ", FEI " + pdu.fei()));
    }

    @Override
    public void onCapsuleResp(CapsuleRespPdu pdu) {
        counters.pdusIn.incrementAndGet();
        Command c = inFlight(pdu.cid(), "CapsuleResp");
        if (c != null) {
            ByteBuffer b = pdu.buffer();
            int at = pdu.cqeIndex();
            complete(pdu.cid(), c, c.dataError ? DATA_TRANSFER_ERROR : pdu.statusWord(), b.getInt(at),
                    b.getInt(at + 4));
        }
    }

    @Override
    public void onR2t(R2tPdu pdu) {
        counters.pdusIn.incrementAndGet();
        Command c = inFlight(pdu.cccid(), "R2T");
        if (c == null) {
            return;
        }
        long end = Integer.toUnsignedLong(pdu.r2to()) + Integer.toUnsignedLong(pdu.r2tl());
        if (c.direction != DataDirection.HOST_TO_CONTROLLER || c.inCapsule || end > c.length) {
            link.fail(new IOException("queue " + options.qid() + ": R2T for CID " + pdu.cccid() + " does not fit its "
                    + c.length + "-byte write"));
            return;
        }
        try {
            sender.h2cData(pdu.cccid(), pdu.ttag(), c, pdu.r2to(), pdu.r2tl());
        } catch (IOException e) {
            link.fail(e);
        }
    }

    @Override
    public ByteBuffer onC2hData(C2hDataPdu pdu) {
        counters.pdusIn.incrementAndGet();
        int cid = pdu.cccid();
        int tag = CommandIds.tag(cid);
        if (!link.live() || tag >= commands.length || !commands[tag].busy || commands[tag].cid != cid
                || commands[tag].direction != DataDirection.CONTROLLER_TO_HOST) {
            return null; // the decoder fails the connection: data for no read in flight (or one that ended)
        }
        return commands[tag].data; // DMA: the decoder writes straight into the host buffer
    }

    @Override
    public void onC2hDataEnd(C2hDataPdu pdu, boolean dataDigestOk) {
        if (options.dataDigest() && link.takeCorruptDigest()) {
            dataDigestOk = false;
        }
        Command c = commands[CommandIds.tag(pdu.cccid())]; // onC2hData checked the whole CID
        if (!dataDigestOk) {
            // As the tcp transport (ARCHITECTURE's failure table): only this command fails, with Data Transfer
            // Error, and the host core retries it; the connection is fine.
            counters.digestErrors.incrementAndGet();
            c.dataError = true;
        }
        if (pdu.hasFlag(PduFlags.SUCCESS)) {
            complete(pdu.cccid(), c, c.dataError ? DATA_TRANSFER_ERROR : 0, 0, 0);
        }
    }

    /** The command a CID names, or null after failing the connection: no command on its tag, or one that ended. */
    private Command inFlight(int cid, String pdu) {
        int tag = CommandIds.tag(cid);
        if (tag >= commands.length || !commands[tag].busy || commands[tag].cid != cid) {
            link.fail(new IOException("queue " + options.qid() + ": " + pdu + " for CID " + cid
                    + ", which has no command in flight"));
            return null;
        }
        return commands[tag];
    }

    private void complete(int cid, Command c, int status, int dw0, int dw1) {
        c.reset();
        link.completed(cid, status, dw0, dw1);
    }
}
