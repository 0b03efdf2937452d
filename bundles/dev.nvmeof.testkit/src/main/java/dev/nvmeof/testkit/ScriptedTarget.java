package dev.nvmeof.testkit;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.nvmeof.protocol.CompletionQueueEntryFlyweight;
import dev.nvmeof.protocol.tcp.CapsuleCmdPdu;
import dev.nvmeof.protocol.tcp.ControllerPduHandler;
import dev.nvmeof.protocol.tcp.FatalErrorStatus;
import dev.nvmeof.protocol.tcp.H2cDataPdu;
import dev.nvmeof.protocol.tcp.IcReqPdu;
import dev.nvmeof.protocol.tcp.PduDecoder;
import dev.nvmeof.protocol.tcp.PduEncoder;
import dev.nvmeof.protocol.tcp.PduType;
import dev.nvmeof.protocol.tcp.TermReqPdu;

/**
 * A fake NVMe/TCP controller that follows a test's script, for the inputs a real target never sends: one
 * {@link ServerSocket} on 127.0.0.1, one connection, served by one thread of its own. The test calls the script's
 * steps in order (accept and answer the ICReq, read the next PDU, send these bytes, close, expect EOF); each step
 * runs on the target's thread and the caller waits for it, so a failed step fails the test with its own exception.
 * Every blocking call is bounded: the socket's read timeout and the wait for a step are {@link #TIMEOUT_MILLIS}.
 *
 * <p>What the host sends is decoded with {@link PduDecoder#forController}, so the target checks the host's PDUs (a
 * malformed ICReq or TermReq from the host fails the step). What the target sends is built by the test with the
 * helpers here ({@link PduEncoder} after the negotiated digests) or given as raw bytes.
 */
public final class ScriptedTarget implements AutoCloseable {
    public static final long TIMEOUT_MILLIS = 5_000;
    public static final int MAX_H2C_DATA = 128 * 1024;

    /**
     * One PDU the host sent: its type, and the CID (CapsuleCmd, H2CData) or FES/FEI (H2CTermReq) it carried;
     * {@code quotedLength} is the quoted header's length of an H2CTermReq and the data length of an H2CData.
     */
    public record Received(PduType type, int cid, FatalErrorStatus fes, int fei, int quotedLength) {
    }

    private final ServerSocket server;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "scripted-target");
        t.setDaemon(true);
        return t;
    });
    private final ArrayDeque<Received> received = new ArrayDeque<>();
    private final PduDecoder decoder = PduDecoder.forController(new Recorder());
    private final PduEncoder encoder = new PduEncoder();
    private final byte[] chunk = new byte[64 * 1024];
    private final ByteBuffer h2cData = ByteBuffer.allocate(1 << 20);
    private Socket socket;
    private boolean headerDigest;
    private boolean dataDigest;

    private ScriptedTarget(ServerSocket server) {
        this.server = server;
    }

    public static ScriptedTarget listen() throws IOException {
        ServerSocket server = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
        server.setSoTimeout((int) TIMEOUT_MILLIS);
        return new ScriptedTarget(server);
    }

    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", server.getLocalPort());
    }

    /**
     * Starts accepting the host's connection and answering its ICReq with an ICResp that grants these digests. Runs
     * in the background: the host's {@code createQueue} blocks until the ICResp arrives. Later steps wait for it.
     */
    public Future<Void> acceptAndAnswerIcReq(boolean grantHeaderDigest, boolean grantDataDigest) {
        return thread.submit(() -> {
            socket = server.accept();
            socket.setSoTimeout((int) TIMEOUT_MILLIS);
            socket.setTcpNoDelay(true);
            headerDigest = grantHeaderDigest;
            dataDigest = grantDataDigest;
            Received icReq = nextPdu();
            if (icReq.type() != PduType.IC_REQ) {
                throw new IOException("expected ICReq, got " + icReq);
            }
            ByteBuffer icResp = buffer(IcReqPdu.LENGTH);
            synchronized (this) {
                encoder.icResp(icResp, 0, grantHeaderDigest, grantDataDigest, MAX_H2C_DATA);
                encoder.negotiated(grantHeaderDigest, grantDataDigest, 0);
            }
            write(icResp.flip());
            return null;
        });
    }

    /** Reads until the host's next CapsuleCmd and returns its CID; any other PDU, or EOF, fails the step. */
    public int readCommand() throws Exception {
        Received pdu = readPdu();
        if (pdu.type() != PduType.CAPSULE_CMD) {
            throw new AssertionError("expected a CapsuleCmd, got " + pdu);
        }
        return pdu.cid();
    }

    /** Reads until the host's next PDU (after the ICReq) and returns it; EOF first fails the step. */
    public Received readPdu() throws Exception {
        return step(this::nextPdu);
    }

    /** Reads until the connection ends: the host must close it without sending anything more. */
    public void expectEof() throws Exception {
        step(() -> {
            InputStream in = socket.getInputStream();
            int n = in.read(chunk);
            if (n >= 0) {
                throw new AssertionError("expected EOF, got " + n + " more bytes, starting with type 0x"
                        + Integer.toHexString(chunk[0] & 0xff));
            }
            return null;
        });
    }

    /** Sends these bytes (position to limit) in one write. */
    public void send(ByteBuffer bytes) throws Exception {
        step(() -> {
            write(bytes);
            return null;
        });
    }

    /** Closes the connection (the host reads EOF). */
    public void closeConnection() throws Exception {
        step(() -> {
            socket.close();
            return null;
        });
    }

    // ---- PDUs a controller sends, after the negotiated digests (ready to send: position 0, limit = length) ----

    /** A CapsuleResp for {@code cid} with this status word (0 for success). */
    public synchronized ByteBuffer capsuleResp(int cid, int statusWord) {
        ByteBuffer cqe = buffer(CompletionQueueEntryFlyweight.LENGTH);
        new CompletionQueueEntryFlyweight().wrap(cqe, 0).cid(cid).statusWord(statusWord);
        ByteBuffer pdu = buffer(64);
        encoder.capsuleResp(pdu, cqe, 0);
        return pdu.flip();
    }

    /** One C2HData PDU with all of {@code data} at offset 0; a {@code corruptDigest} has one bit flipped. */
    public synchronized ByteBuffer c2hData(int cid, byte[] data, boolean success, boolean corruptDigest) {
        ByteBuffer pdu = buffer(256 + data.length);
        encoder.c2hData(pdu, cid, 0, data.length, true, success);
        ByteBuffer payload = ByteBuffer.wrap(data);
        pdu.put(payload.duplicate());
        int at = pdu.position();
        if (encoder.dataDigest(pdu, payload) == 0 && corruptDigest) {
            throw new IllegalStateException("no data digest was negotiated: nothing to corrupt");
        }
        if (corruptDigest) {
            pdu.put(at, (byte) (pdu.get(at) ^ 0x01));
        }
        return pdu.flip();
    }

    /** An R2T asking for {@code length} bytes at {@code offset} of the command's data. */
    public synchronized ByteBuffer r2t(int cid, int ttag, int offset, int length) {
        ByteBuffer pdu = buffer(64);
        encoder.r2t(pdu, cid, ttag, offset, length);
        return pdu.flip();
    }

    /** A C2HTermReq with this FES and FEI, quoting nothing. */
    public synchronized ByteBuffer c2hTermReq(FatalErrorStatus fes, int fei) {
        ByteBuffer pdu = buffer(TermReqPdu.MAX_LENGTH);
        encoder.termReq(pdu, false, fes, fei, null);
        return pdu.flip();
    }

    public static ByteBuffer concat(ByteBuffer... parts) {
        int length = 0;
        for (ByteBuffer part : parts) {
            length += part.remaining();
        }
        ByteBuffer all = buffer(length);
        for (ByteBuffer part : parts) {
            all.put(part.duplicate());
        }
        return all.flip();
    }

    @Override
    public void close() throws IOException {
        thread.shutdownNow();
        try {
            if (socket != null) {
                socket.close();
            }
        } finally {
            server.close();
        }
        try {
            thread.awaitTermination(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- on the target's thread ----

    private <T> T step(Callable<T> work) throws Exception {
        try {
            return thread.submit(work).get(2 * TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception) {
                throw (Exception) e.getCause();
            }
            throw new AssertionError(e.getCause());
        }
    }

    private Received nextPdu() throws IOException {
        InputStream in = socket.getInputStream();
        while (received.isEmpty()) {
            int n = in.read(chunk); // bounded by the socket's read timeout
            if (n < 0) {
                throw new EOFException("the host closed the connection before sending a PDU");
            }
            decoder.decode(ByteBuffer.wrap(chunk, 0, n).order(ByteOrder.LITTLE_ENDIAN));
        }
        return received.poll();
    }

    private void write(ByteBuffer bytes) throws IOException {
        byte[] out = new byte[bytes.remaining()];
        bytes.duplicate().get(out);
        socket.getOutputStream().write(out);
        socket.getOutputStream().flush();
    }

    private static ByteBuffer buffer(int length) {
        return ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Records what the host sent; the decoder calls it on the target's thread. */
    private final class Recorder implements ControllerPduHandler {
        @Override
        public void onIcReq(IcReqPdu pdu) {
            if (pdu.headerDigest() != headerDigest || pdu.dataDigest() != dataDigest) {
                throw new AssertionError("the host asked for digests " + pdu.headerDigest() + "/"
                        + pdu.dataDigest() + ", the script grants " + headerDigest + "/" + dataDigest);
            }
            decoder.negotiated(headerDigest, dataDigest, 0);
            received.add(new Received(PduType.IC_REQ, -1, null, 0, 0));
        }

        @Override
        public void onTermReq(TermReqPdu pdu) {
            received.add(new Received(PduType.H2C_TERM_REQ, -1, pdu.fes(), pdu.fei(), pdu.errorDataLength()));
        }

        @Override
        public ByteBuffer onCapsuleCmd(CapsuleCmdPdu pdu) {
            if (pdu.dataLength() == 0) {
                received.add(new Received(PduType.CAPSULE_CMD, pdu.cid(), null, 0, 0));
            }
            return null; // in-capsule data is discarded; the CapsuleCmd is recorded at its end
        }

        @Override
        public void onCapsuleCmdEnd(CapsuleCmdPdu pdu, boolean dataDigestOk) {
            received.add(new Received(PduType.CAPSULE_CMD, pdu.cid(), null, 0, 0));
        }

        @Override
        public ByteBuffer onH2cData(H2cDataPdu pdu) {
            return h2cData; // the data answering a scripted R2T is kept only for its length
        }

        @Override
        public void onH2cDataEnd(H2cDataPdu pdu, boolean dataDigestOk) {
            received.add(new Received(PduType.H2C_DATA, pdu.cccid(), null, 0, pdu.datal()));
        }
    }
}
