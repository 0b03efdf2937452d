package dev.nvmeof.target.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

import dev.nvmeof.protocol.GenericStatus;
import dev.nvmeof.protocol.NvmeStatus;
import dev.nvmeof.protocol.tcp.CapsuleCmdPdu;
import dev.nvmeof.protocol.tcp.ControllerPduHandler;
import dev.nvmeof.protocol.tcp.FatalErrorStatus;
import dev.nvmeof.protocol.tcp.FatalPduException;
import dev.nvmeof.protocol.tcp.H2cDataPdu;
import dev.nvmeof.protocol.tcp.IcReqPdu;
import dev.nvmeof.protocol.tcp.PduDecoder;
import dev.nvmeof.protocol.tcp.PduFlags;
import dev.nvmeof.protocol.tcp.PduType;
import dev.nvmeof.protocol.tcp.TermReqPdu;
import dev.nvmeof.target.ListenerSecurity;
import dev.nvmeof.tls.TlsHandshakeException;

/**
 * One NVMe/TCP connection (one queue), confined to its event loop: ICReq/ICResp, Connect, then commands. Data moves
 * once: in-capsule and H2C data land in this connection's buffers straight from the decoder, and read data goes from
 * a RAM namespace's memory to the socket in a gathering write (other read data is copied into the send buffer behind
 * its C2HData header: {@link ConnectionOutput}).
 *
 * <p>Memory is bounded per connection and taken as it is used, so idle or half-open connections cost next to
 * nothing: nothing but the decoder until the ICReq; then a small send buffer ({@link ConnectionOutput#SMALL}), and
 * the in-capsule buffer only once a command carries data (under 16 KiB until Connect); the send buffer grows to at
 * most {@link ConnectionOutput#LARGE} when reads need it, and an R2T transfer borrows a buffer of at most
 * {@link #MAXH2CDATA} from its loop's {@link BufferPool} while it runs ({@link R2tTransfers}: up to four at a time);
 * reads whose data does not fit in the send buffer wait, and the connection stops reading from the socket until they
 * are sent (backpressure instead of buffering).
 */
final class Connection implements ControllerPduHandler {
    /** Queue entries per queue: CAP.MQES + 1 and Identify MAXCMD. */
    static final int QUEUE_ENTRIES = 128;
    /**
     * The most data one PDU carries, both ways: C2HData PDUs, and MAXH2CDATA, which is also the most one R2T asks for.
     * Commands move up to {@link dev.nvmeof.target.TargetOptions#maxTransferSize} in several of them, so a
     * connection's memory does not grow with the command size.
     */
    static final int DATA_PDU = 128 * 1024;
    /** The most data an admin command moves (Identify, log pages): built in memory, so bounded on its own. */
    static final int ADMIN_MAX_TRANSFER = DATA_PDU;
    /** In-capsule data accepted on every queue (the admin queue's 8 KiB; IOCCSZ advertises the same on I/O queues). */
    static final int IN_CAPSULE_DATA = 8192;
    static final int MAXH2CDATA = DATA_PDU;

    enum Phase { AWAIT_IC_REQ, AWAIT_CONNECT, LIVE, CLOSED }

    final Engine engine;
    final EventLoop loop;
    private final InetAddress remote;
    /** TLS, or the socket passed through: what the PDUs are read from and written to. */
    final ConnectionTls tls;
    SelectionKey key;
    private final PduDecoder decoder = PduDecoder.forController(this);
    private final ConnectionOutput output = new ConnectionOutput();
    private final long createdNanos;
    private final CommandExecutor executor;

    Phase phase = Phase.AWAIT_IC_REQ;
    TargetController controller;
    /** DH-HMAC-CHAP of this queue when its host has secrets, else null; set by Connect. */
    QueueAuthentication authentication;
    int qid;
    /** Counted in its loop's {@link EventLoop#ioLoad()}: until Connect names the admin queue, or close. */
    private boolean ioLoad = true;
    private int sqsize;
    private boolean sqFlowControlDisabled;
    private int sqhd;
    private boolean closeAfterFlush;
    /**
     * A command arrived in the read being decoded: the controller's keep-alive is restarted once after it, not per
     * command (one clock read and one write of the shared field per read instead of per command; the time is the
     * decode's end, a little after the commands came, so a host is never torn down early).
     */
    private boolean commandDecoded;

    private ByteBuffer inCapsule;
    final ScratchBuffer scratch = new ScratchBuffer();

    private final CommandSlots slots = new CommandSlots(QUEUE_ENTRIES);
    private final R2tTransfers r2ts;
    private CommandSlot receiving;
    private final ArrayDeque<CommandSlot> dataWaiting = new ArrayDeque<>();
    private FatalPduException handlerError;
    private boolean readPaused;
    /** False once closed; read by the workers running this connection's background commands. */
    private volatile boolean open = true;

    Connection(Engine engine, EventLoop loop, SocketChannel channel, InetAddress remote, ListenerSecurity security)
            throws IOException {
        this.engine = engine;
        this.loop = loop;
        this.r2ts = new R2tTransfers(loop.buffers, output);
        this.remote = remote;
        this.tls = new ConnectionTls(channel, security);
        this.createdNanos = engine.clock().nanoTime();
        this.executor = new CommandExecutor(engine, this);
    }

    // ---- socket events ----

    void onReadable(ByteBuffer readBuffer) {
        if (tls.handshaking()) {
            continueTls(null);
            return;
        }
        readBuffer.clear();
        int n;
        try {
            n = tls.read(readBuffer);
        } catch (IOException e) {
            close();
            return;
        }
        if (n < 0) {
            close();
            return;
        }
        readBuffer.flip();
        try {
            if (tls.startsWith(readBuffer)) {
                continueTls(readBuffer);
                return;
            }
        } catch (IOException e) {
            close();
            return;
        }
        try {
            decoder.decode(readBuffer);
            if (commandDecoded) {
                commandDecoded = false;
                TargetController c = controller;
                if (c != null) {
                    c.touch(engine.clock().nanoTime());
                }
            }
            if (handlerError != null) {
                throw handlerError;
            }
        } catch (FatalPduException e) {
            fatal(handlerError != null ? handlerError : e);
            return;
        }
        afterWork();
        rereadBuffered();
    }

    void onWritable() {
        if (tls.handshaking()) {
            continueTls(null);
            return;
        }
        afterWork();
    }

    // ---- TLS ----

    /**
     * One step of the TLS handshake ({@code received}: bytes already read); once done, NVMe/TCP starts, and what
     * arrived with the handshake's end is read at once. A failed handshake closes the connection (the alert went).
     */
    private void continueTls(ByteBuffer received) {
        boolean done;
        try {
            done = tls.handshake(received);
        } catch (TlsHandshakeException e) {
            engine.tlsRefused("TLS from " + remote.getHostAddress() + " refused: " + e.getMessage());
            close();
            return;
        } catch (IOException e) {
            close();
            return;
        }
        if (!done) {
            if (key.isValid()) {
                key.interestOps(SelectionKey.OP_READ | (tls.outputPending() ? SelectionKey.OP_WRITE : 0));
            }
            return;
        }
        engine.log(System.Logger.Level.DEBUG, "TLS from " + remote.getHostAddress() + ": " + tls.cipherSuite()
                + ", identity " + tls.identity());
        updateInterest(false);
        rereadBuffered();
    }

    /** TLS plaintext decrypted beyond what one read took has no readiness event of its own: it is read here. */
    private void rereadBuffered() {
        if (!readPaused && phase != Phase.CLOSED && tls.bufferedInput() > 0) {
            loop.execute(() -> {
                if (!readPaused && phase != Phase.CLOSED && tls.bufferedInput() > 0) {
                    onReadable(loop.readBuffer);
                }
            });
        }
    }

    /** After input or output progress: send what waits, then flush, then adjust interest. */
    private void afterWork() {
        // Reads wait in dataWaiting only while the send buffer is full; once a flush has emptied it they must be
        // sent now: with nothing pending to write and reading paused, no socket event would ever come back.
        // (An empty send buffer always has room for one more: its LARGE exceeds a full transfer with headers.)
        while (phase != Phase.CLOSED) {
            drainDataWaiting();
            if (!flush() || dataWaiting.isEmpty()) {
                return;
            }
        }
    }

    /** Writes what the send buffer holds; true when all of it went out (and the connection is still open). */
    private boolean flush() {
        if (phase == Phase.CLOSED || !output.started()) {
            return false;
        }
        boolean pending;
        try {
            pending = output.flush(tls);
        } catch (IOException e) {
            close();
            return false;
        }
        if (!pending && closeAfterFlush) {
            close();
            return false;
        }
        updateInterest(pending);
        return !pending;
    }

    private void updateInterest(boolean pendingOutput) {
        if (!key.isValid()) {
            return;
        }
        boolean wasPaused = readPaused;
        readPaused = !dataWaiting.isEmpty();
        int ops = (readPaused ? 0 : SelectionKey.OP_READ) | (pendingOutput ? SelectionKey.OP_WRITE : 0);
        if (key.interestOps() != ops) {
            key.interestOps(ops);
        }
        if (wasPaused && !readPaused) {
            rereadBuffered();
        }
    }

    void checkDeadlines(long now) {
        if (phase == Phase.AWAIT_IC_REQ || phase == Phase.AWAIT_CONNECT) {
            if (now - createdNanos - engine.options.handshakeTimeout().toNanos() > 0) {
                engine.log(System.Logger.Level.DEBUG, "closing a connection that "
                        + (tls.handshaking() ? "did not complete its TLS handshake" : "sent no "
                                + (phase == Phase.AWAIT_IC_REQ ? "ICReq" : "Connect")) + " in time");
                close();
            }
        } else if (phase == Phase.LIVE && qid == 0 && controller != null) {
            controller.checkKeepAlive(now);
        }
    }

    // ---- PDUs from the host ----

    @Override
    public void onIcReq(IcReqPdu pdu) {
        boolean headerDigest = pdu.headerDigest();
        boolean dataDigest = pdu.dataDigest();
        output.icResp(headerDigest, dataDigest, pdu.hpda(), MAXH2CDATA, !tls.encrypts());
        decoder.negotiated(headerDigest, dataDigest, 0);
        decoder.limits(IN_CAPSULE_DATA, MAXH2CDATA);
        phase = Phase.AWAIT_CONNECT;
    }

    @Override
    public void onTermReq(TermReqPdu pdu) {
        engine.log(System.Logger.Level.INFO, "host terminated the connection: FES " + pdu.fesCode());
        close();
    }

    @Override
    public ByteBuffer onCapsuleCmd(CapsuleCmdPdu pdu) {
        if (handlerError != null || phase == Phase.CLOSED) {
            return null;
        }
        if (slots.full()) {
            // More commands than the queue holds: the host ignored SQ flow control.
            handlerError = FatalPduException.of(FatalErrorStatus.PDU_SEQUENCE_ERROR, PduType.CAPSULE_CMD.code(),
                    "more than " + QUEUE_ENTRIES + " commands outstanding");
            return null;
        }
        CommandSlot slot = slots.take(pdu.cid());
        slot.sqeBuffer.put(0, pdu.buffer(), pdu.sqeIndex(), CapsuleCmdPdu.SQE_LENGTH);
        commandDecoded = true;
        if (!sqFlowControlDisabled && sqsize > 0) {
            sqhd = (sqhd + 1) % (sqsize + 1);
        }
        if (pdu.dataLength() > 0) {
            receiving = slot;
            if (inCapsule == null) {
                inCapsule = ByteBuffer.allocateDirect(IN_CAPSULE_DATA).order(ByteOrder.LITTLE_ENDIAN);
            }
            inCapsule.clear();
            return inCapsule;
        }
        execute(slot, null);
        return null;
    }

    @Override
    public void onCapsuleCmdEnd(CapsuleCmdPdu pdu, boolean dataDigestOk) {
        CommandSlot slot = receiving;
        receiving = null;
        if (slot == null || phase == Phase.CLOSED) {
            return;
        }
        if (!dataDigestOk) {
            // The transport specification's rule for a data digest error on received data (NVMe TCP Transport 1.0,
            // digest error handling; SPDK's target does the same): that command completes with Transient Transport
            // Error (SCT 0, SC 22h) and the connection stays up. Linux nvmet drops the whole connection instead.
            slot.fail(GenericStatus.TRANSIENT_TRANSPORT_ERROR, false);
            complete(slot);
            return;
        }
        inCapsule.limit(pdu.dataLength()).position(0);
        execute(slot, inCapsule);
    }

    @Override
    public ByteBuffer onH2cData(H2cDataPdu pdu) {
        CommandSlot slot = slots.byTag(pdu.ttag());
        if (handlerError != null || slot == null || slot.staging == null || pdu.cccid() != slot.cid) {
            return null; // no R2T outstanding with this TTAG: the decoder reports it
        }
        if (pdu.datao() != slot.received) {
            handlerError = FatalPduException.of(FatalErrorStatus.DATA_TRANSFER_OUT_OF_RANGE, PduType.H2C_DATA.code(),
                    "H2CData at offset " + pdu.datao() + ", expected " + slot.received);
            return null;
        }
        return r2ts.receive(slot);
    }

    @Override
    public int h2cDataBase() {
        return r2ts.receivingBase();
    }

    @Override
    public void onH2cDataEnd(H2cDataPdu pdu, boolean dataDigestOk) {
        CommandSlot slot = r2ts.received();
        if (slot == null || phase == Phase.CLOSED) {
            return;
        }
        slot.received += pdu.datal();
        slot.dataDigestFailed |= !dataDigestOk;
        boolean last = pdu.hasFlag(PduFlags.LAST_PDU);
        int r2tEnd = slot.r2tOffset + slot.r2tLength;
        if (slot.received < r2tEnd) {
            if (last) {
                handlerError = FatalPduException.of(FatalErrorStatus.PDU_SEQUENCE_ERROR, PduType.H2C_DATA.code(),
                        "LAST_PDU after " + (slot.received - slot.r2tOffset) + " of the R2T's " + slot.r2tLength
                                + " bytes");
            }
            return;
        }
        ByteBuffer staging = r2ts.end(slot);
        if (slot.dataDigestFailed) {
            // Same rule as for in-capsule data: the command fails, the connection stays.
            slot.fail(GenericStatus.TRANSIENT_TRANSPORT_ERROR, false);
            r2ts.give(staging);
            complete(slot);
        } else {
            staging.limit(slot.r2tLength).position(0);
            try {
                if (slot.r2tLength == slot.dataLength) {
                    executor.continueWithHostData(slot, staging);
                } else {
                    executor.continueWithHostDataPart(slot, staging, slot.r2tOffset);
                }
            } catch (RuntimeException e) {
                engine.handlerFailed(slot, e);
                slot.fail(GenericStatus.INTERNAL_ERROR, false);
            }
            r2ts.give(staging);
            if (slot.outcome == CommandSlot.Outcome.NEED_HOST_DATA) {
                r2ts.continueNext(slot);
            } else {
                after(slot);
            }
        }
        r2ts.start();
    }

    // ---- commands ----

    /** Runs a command; a handler that throws completes it with Internal Error and the queue carries on. */
    private void execute(CommandSlot slot, ByteBuffer inData) {
        try {
            CommandSeam seam = engine.seam;
            if (seam != null) {
                seam.beforeExecute(qid, slot.sqe);
            }
            executor.execute(slot, inData);
        } catch (RuntimeException e) {
            engine.handlerFailed(slot, e);
            slot.fail(GenericStatus.INTERNAL_ERROR, false);
        }
        after(slot);
    }

    /** Runs a command's work on the engine's workers; it completes through {@link #completeHeld}. */
    void runInBackground(CommandSlot slot, BackgroundCommand.Work work) {
        slot.respond(0);
        slot.outcome = CommandSlot.Outcome.HELD;
        engine.background(new BackgroundCommand(this, slot, work));
    }

    /** Whether this queue's commands may still touch a namespace: open, and its controller enabled and alive. */
    boolean acceptsIo() {
        TargetController c = controller;
        return open && c != null && c.acceptsIo();
    }

    void force(Namespace ns) throws IOException {
        engine.force(controller.subsystem.nqn, ns);
    }

    private void after(CommandSlot slot) {
        switch (slot.outcome) {
            case NEED_HOST_DATA:
                r2ts.request(slot);
                break;
            case HELD:
                break;
            default:
                complete(slot);
                break;
        }
    }

    /** Completes a held command (an AER) from the controller; runs on this loop. */
    void completeHeld(CommandSlot slot) {
        if (phase == Phase.CLOSED) {
            return;
        }
        complete(slot);
        flush();
    }

    private void complete(CommandSlot slot) {
        if (slot.outcome == CommandSlot.Outcome.RESPOND_WITH_DATA && NvmeStatus.isSuccess(slot.status)) {
            if (!dataWaiting.isEmpty() || !sendData(slot)) {
                // Admin data is one PDU: nothing of it went out yet when it must wait.
                if (slot.source == CommandSlot.Source.SCRATCH) {
                    ByteBuffer copy = ByteBuffer.allocate(slot.dataLength);
                    copy.put(0, scratch.buffer(), slot.scratchOffset, slot.dataLength);
                    slot.owned = copy;
                    slot.source = CommandSlot.Source.OWNED;
                }
                dataWaiting.add(slot);
            }
            return;
        }
        sendResponse(slot);
        slots.release(slot);
    }

    private void drainDataWaiting() {
        while (!dataWaiting.isEmpty() && sendData(dataWaiting.peek())) {
            dataWaiting.poll();
        }
    }

    /** The command's data (then its response unless SUCCESS is allowed); false when the send buffer is full. */
    private boolean sendData(CommandSlot slot) {
        try {
            if (!output.data(slot, scratch, sqFlowControlDisabled)) {
                return false; // it resumes where it stopped
            }
        } catch (IOException | RuntimeException e) {
            engine.log(System.Logger.Level.WARNING, "read failed: " + e);
            slot.fail(GenericStatus.INTERNAL_ERROR, false);
            sendResponse(slot);
            slots.release(slot);
            return true;
        }
        if (!sqFlowControlDisabled) {
            sendResponse(slot);
        }
        slots.release(slot);
        return true;
    }

    private void sendResponse(CommandSlot slot) {
        output.response(slot, qid, sqFlowControlDisabled ? 0xFFFF : sqhd);
    }

    // ---- connection life ----

    /** Connect succeeded: this connection is queue {@code qid} of {@code controller}. */
    void connected(TargetController controller, int qid, int sqsize, boolean disableSqFlowControl) {
        this.controller = controller;
        this.qid = qid;
        this.sqsize = sqsize;
        this.sqFlowControlDisabled = disableSqFlowControl;
        this.sqhd = sqsize > 0 ? 1 % (sqsize + 1) : 0;
        this.phase = Phase.LIVE;
        if (qid == 0) {
            dropIoLoad();
        }
    }

    private void dropIoLoad() {
        if (ioLoad) {
            ioLoad = false;
            loop.dropIoLoad();
        }
    }

    /** Whether the queue may serve commands: its host authenticated it, or it needs no authentication. */
    boolean isAuthenticated() {
        return authentication == null || authentication.isAuthenticated();
    }

    /** Disconnect: respond, then close once the response is out. */
    void closeAfterResponse() {
        closeAfterFlush = true;
    }

    private void fatal(FatalPduException e) {
        engine.log(System.Logger.Level.WARNING, "queue " + qid + ": fatal protocol error from the host: "
                + e.getMessage());
        if (e.shouldSendTermReq()) {
            ByteBuffer quoted = ByteBuffer.allocate(TermReqPdu.MAX_DATA_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
            decoder.copyHeaderInError(quoted);
            quoted.flip();
            output.termReq(e.status(), e.errorInformation(), quoted); // what waited to be sent is dropped
            closeAfterFlush = true;
            flush();
            if (phase != Phase.CLOSED) {
                // Give the TermReq to the socket, then close whatever was not sent.
                close();
            }
        } else {
            close();
        }
    }

    void closeFromAnyThread() {
        if (loop.inLoop()) {
            close();
        } else {
            loop.execute(this::close);
        }
    }

    void close() {
        if (phase == Phase.CLOSED) {
            return;
        }
        Phase was = phase;
        phase = Phase.CLOSED;
        open = false;
        if (key != null) {
            key.cancel();
        }
        // The queue ID is free before the host sees the socket close: a host that connects it again at once (after
        // a Disconnect, say) must not find it still taken.
        if (controller != null && was == Phase.LIVE) {
            if (qid == 0) {
                controller.teardown("admin queue closed");
            } else {
                controller.detachIoQueue(qid, this);
            }
        }
        tls.close(); // close_notify if TLS and the socket takes it, then the socket
        loop.removed(this);
        dropIoLoad();
        engine.released(remote);
        r2ts.close(slots.all());
        if (authentication != null) {
            authentication.close();
        }
    }

    /** For logs: the queue and where the host is. */
    String describe() {
        return "queue " + qid + " from " + remote.getHostAddress()
                + (controller == null ? "" : " (controller " + controller.cntlid + ")");
    }

    long ageMillis(long now) {
        return TimeUnit.NANOSECONDS.toMillis(now - createdNanos);
    }
}
