package dev.nvmeof.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import dev.nvmeof.protocol.ConnectDataFlyweight;
import dev.nvmeof.protocol.ControllerProperty;
import dev.nvmeof.protocol.FabricsCommands;
import dev.nvmeof.protocol.SglDescriptor;
import dev.nvmeof.protocol.SubmissionQueueEntryFlyweight;
import dev.nvmeof.protocol.tcp.C2hDataPdu;
import dev.nvmeof.protocol.tcp.CapsuleRespPdu;
import dev.nvmeof.protocol.tcp.HostPduHandler;
import dev.nvmeof.protocol.tcp.IcRespPdu;
import dev.nvmeof.protocol.tcp.PduDecoder;
import dev.nvmeof.protocol.tcp.PduEncoder;
import dev.nvmeof.protocol.tcp.R2tPdu;
import dev.nvmeof.protocol.tcp.TermReqPdu;

/**
 * A small blocking NVMe/TCP host for tests, built only on the protocol bundle: one queue per instance, a real
 * socket, every wait bounded by the socket timeout (10 s). It drives a target the way a host does (ICReq, Connect,
 * CC.EN, commands with in-capsule data or R2T/H2CData, C2HData) and records what came back, so tests of targets,
 * drivers and emulated hardware can check the protocol from the outside; it can also send malformed input.
 * Not thread-safe; not for production.
 */
public final class NvmeTcpTestClient implements AutoCloseable, HostPduHandler {
    public static final String HOST_NQN = "nqn.2014-08.org.nvmexpress:uuid:00000000-0000-0000-0000-000000000001";
    public static final UUID HOST_ID = UUID.fromString("00000000-0000-0000-0000-000000000001");
    public static final int IN_CAPSULE_LIMIT = 8192;

    /** What came back for a command. */
    public record Completion(int cid, int status, int dw0, int dw1, int sqhd, boolean viaSuccessFlag) {
        public int sct() {
            return (status >>> 9) & 0x7;
        }

        public int sc() {
            return (status >>> 1) & 0xFF;
        }

        public boolean dnr() {
            return (status & 0x8000) != 0;
        }

        public boolean ok() {
            return (status & 0xFFFE) == 0;
        }
    }

    final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    final PduEncoder encoder = new PduEncoder();
    final PduDecoder decoder = PduDecoder.forHost(this);
    private final boolean headerDigest;
    private final boolean dataDigest;
    private final byte[] readChunk = new byte[64 * 1024];
    private final ByteBuffer header = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
    public final ByteBuffer sqeBuffer = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
    public final SubmissionQueueEntryFlyweight sqe = new SubmissionQueueEntryFlyweight().wrap(sqeBuffer, 0);

    private final Map<Integer, ByteBuffer> readBuffers = new HashMap<>();
    private final Map<Integer, ByteBuffer> writeBuffers = new HashMap<>();
    private final ArrayDeque<Completion> completions = new ArrayDeque<>();
    private int nextCid = 1;
    public boolean icDone;
    public int termReqFes = -1;
    public int termReqFei = -1;
    public boolean grantedHeaderDigest;
    public boolean grantedDataDigest;
    /** When set, R2Ts are only recorded ({@link #lastR2t}) and the test sends H2CData itself. */
    public boolean manualR2t;
    public int[] lastR2t;
    /** Every R2T recorded with {@link #manualR2t}, oldest first, as {@link #lastR2t} holds one (since 1.4). */
    public final ArrayDeque<int[]> manualR2ts = new ArrayDeque<>();
    public int r2tCount;
    public int maxH2cData;
    public boolean dataDigestErrorSeen;
    /** Corrupts the data digest of the next H2CData / in-capsule data sent (for digest error tests). */
    public boolean corruptNextDataDigest;
    public boolean closedByPeer;

    private NvmeTcpTestClient(InetSocketAddress address, InetAddress localAddress, boolean headerDigest,
            boolean dataDigest, int timeoutMillis) throws IOException {
        this.socket = new Socket();
        socket.setTcpNoDelay(true);
        if (localAddress != null) {
            socket.bind(new InetSocketAddress(localAddress, 0));
        }
        socket.connect(address, timeoutMillis);
        socket.setSoTimeout(timeoutMillis);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.headerDigest = headerDigest;
        this.dataDigest = dataDigest;
    }

    public static NvmeTcpTestClient open(InetSocketAddress address) throws IOException {
        return open(address, false, false);
    }

    /** Connects the socket and exchanges ICReq/ICResp. */
    public static NvmeTcpTestClient open(InetSocketAddress address, boolean headerDigest, boolean dataDigest)
            throws IOException {
        return handshake(new NvmeTcpTestClient(address, null, headerDigest, dataDigest, 10_000));
    }

    /** Connects from {@code localAddress} (another loopback address, say 127.0.0.2) and exchanges ICReq/ICResp. */
    public static NvmeTcpTestClient openFrom(InetAddress localAddress, InetSocketAddress address) throws IOException {
        return handshake(new NvmeTcpTestClient(address, localAddress, false, false, 10_000));
    }

    private static NvmeTcpTestClient handshake(NvmeTcpTestClient host) throws IOException {
        boolean headerDigest = host.headerDigest;
        boolean dataDigest = host.dataDigest;
        host.header.clear();
        host.encoder.icReq(host.header, 0, headerDigest, dataDigest, 0);
        host.writeHeader();
        while (!host.icDone) {
            host.readSome();
        }
        return host;
    }

    /** Only the socket: no ICReq (for handshake and hostile-input tests). */
    public static NvmeTcpTestClient raw(InetSocketAddress address) throws IOException {
        return new NvmeTcpTestClient(address, null, false, false, 10_000);
    }

    // ---- fabrics helpers ----

    public Completion connect(String subsystemNqn, int qid, int cntlid, int sqsize, int katoMillis) throws IOException {
        return connect(subsystemNqn, HOST_NQN, qid, cntlid, sqsize, katoMillis, 0);
    }

    public Completion connect(String subsystemNqn, String hostNqn, int qid, int cntlid, int sqsize, int katoMillis,
            int cattr) throws IOException {
        return connect(subsystemNqn, hostNqn, HOST_ID, qid, cntlid, sqsize, katoMillis, cattr);
    }

    public Completion connect(String subsystemNqn, String hostNqn, UUID hostId, int qid, int cntlid, int sqsize,
            int katoMillis, int cattr) throws IOException {
        ByteBuffer data = ByteBuffer.allocate(ConnectDataFlyweight.LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        new ConnectDataFlyweight().wrap(data, 0).set(hostId, cntlid, subsystemNqn, hostNqn);
        int cid = cid();
        FabricsCommands.connect(sqe, cid, qid, sqsize, katoMillis, cattr);
        return execute(data, null);
    }

    /** Admin queue Connect, then CC.EN with IOSQES 6 / IOCQES 4, waiting for CSTS.RDY. */
    public int connectAndEnable(String subsystemNqn, int katoMillis) throws IOException {
        Completion connect = connect(subsystemNqn, 0, 0xFFFF, 31, katoMillis);
        if (!connect.ok()) {
            throw new IOException("connect failed: " + connect);
        }
        propertySet(ControllerProperty.CC, 0x00460001);
        for (int i = 0; i < 100; i++) {
            if ((propertyGet(ControllerProperty.CSTS).dw0() & 1) != 0) {
                return connect.dw0() & 0xFFFF;
            }
        }
        throw new IOException("CSTS.RDY did not come up");
    }

    public Completion propertyGet(ControllerProperty property) throws IOException {
        FabricsCommands.propertyGet(sqe, cid(), property);
        return execute(null, null);
    }

    public Completion propertySet(ControllerProperty property, long value) throws IOException {
        FabricsCommands.propertySet(sqe, cid(), property, value);
        return execute(null, null);
    }

    // ---- commands ----

    public int cid() {
        int cid = nextCid;
        nextCid = nextCid == 0xFFFE ? 1 : nextCid + 1;
        return cid;
    }

    /** Fills the SQE with a fresh CID, then runs it: writes {@code dataOut}, reads into {@code dataIn}. */
    public Completion command(Consumer<SubmissionQueueEntryFlyweight> writer, ByteBuffer dataOut, ByteBuffer dataIn)
            throws IOException {
        writer.accept(sqe);
        sqe.cid(cid());
        return execute(dataOut, dataIn);
    }

    /**
     * Runs the SQE as it is: data out goes in-capsule when it fits (unless the SQE already names a transport data
     * block), else through R2T; data in arrives by C2HData.
     */
    public Completion execute(ByteBuffer dataOut, ByteBuffer dataIn) throws IOException {
        int cid = send(dataOut, dataIn);
        return await(cid);
    }

    public int send(ByteBuffer dataOut, ByteBuffer dataIn) throws IOException {
        int cid = sqe.cid();
        int dptr = sqe.dptrIndex();
        if (dataOut != null && dataOut.remaining() > 0) {
            int length = dataOut.remaining();
            boolean transport = SglDescriptor.isTransportDataBlock(sqeBuffer, dptr) && SglDescriptor.length(sqeBuffer,
                    dptr) > 0;
            if (!transport && length <= IN_CAPSULE_LIMIT) {
                if (SglDescriptor.length(sqeBuffer, dptr) == 0) {
                    sqe.sglInCapsule(0, length);
                }
                header.clear();
                encoder.capsuleCmd(header, sqeBuffer, 0, length);
                writeHeader();
                writeData(dataOut);
            } else {
                if (!transport) {
                    sqe.sglTransportDataBlock(length);
                }
                writeBuffers.put(cid, dataOut.duplicate());
                header.clear();
                encoder.capsuleCmd(header, sqeBuffer, 0, 0);
                writeHeader();
            }
        } else {
            if (dataIn != null && SglDescriptor.length(sqeBuffer, dptr) == 0) {
                sqe.sglTransportDataBlock(dataIn.remaining());
            }
            if (dataIn != null) {
                readBuffers.put(cid, dataIn);
            }
            header.clear();
            encoder.capsuleCmd(header, sqeBuffer, 0, 0);
            writeHeader();
        }
        return cid;
    }

    public Completion await(int cid) throws IOException {
        while (true) {
            for (Completion c : completions) {
                if (c.cid() == cid) {
                    completions.remove(c);
                    readBuffers.remove(cid);
                    writeBuffers.remove(cid);
                    return c;
                }
            }
            readSome();
        }
    }

    /** Completions received but not yet awaited (a duplicate CQE would stay here). */
    public int pendingCompletions() {
        return completions.size();
    }

    /** Reads until the peer closes; true if it did within the socket timeout. */
    public boolean awaitClose() throws IOException {
        try {
            while (!closedByPeer) {
                readSome();
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset by peer
        }
    }

    /** Sends H2CData for a command by hand (only with {@link #manualR2t}). */
    public void sendH2cData(int cccid, int ttag, int datao, byte[] data, boolean last) throws IOException {
        header.clear();
        encoder.h2cData(header, cccid, ttag, datao, data.length, last);
        writeHeader();
        writeData(ByteBuffer.wrap(data));
    }

    /** The bytes of a CapsuleCmd PDU header for the current SQE announcing {@code inCapsuleLength} bytes of data. */
    public byte[] capsuleHeaderBytes(int inCapsuleLength) {
        header.clear();
        encoder.capsuleCmd(header, sqeBuffer, 0, inCapsuleLength);
        header.flip();
        byte[] bytes = new byte[header.remaining()];
        header.get(bytes);
        return bytes;
    }

    /** Reads until a completion for {@code cid} arrives or the peer closes; true if it closed first. */
    public boolean awaitCloseWithout(int cid) throws IOException {
        for (Completion c : completions) {
            if (c.cid() == cid) {
                return false;
            }
        }
        return awaitClose() && completions.stream().noneMatch(c -> c.cid() == cid);
    }

    public void writeRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    private void writeHeader() throws IOException {
        header.flip();
        out.write(header.array(), 0, header.limit());
        out.flush();
    }

    private void writeData(ByteBuffer data) throws IOException {
        byte[] bytes = new byte[data.remaining()];
        data.duplicate().get(bytes);
        out.write(bytes);
        header.clear();
        if (encoder.dataDigest(header, data) > 0 && corruptNextDataDigest) {
            header.put(0, (byte) (header.get(0) ^ 0x5A));
            corruptNextDataDigest = false;
        }
        header.flip();
        out.write(header.array(), 0, header.limit());
        out.flush();
    }

    public void readSome() throws IOException {
        int n = in.read(readChunk);
        if (n < 0) {
            closedByPeer = true;
            throw new java.io.EOFException("target closed the connection");
        }
        decoder.decode(ByteBuffer.wrap(readChunk, 0, n).order(ByteOrder.LITTLE_ENDIAN));
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    // ---- PDUs from the target ----

    @Override
    public void onIcResp(IcRespPdu pdu) {
        maxH2cData = pdu.maxH2cData();
        grantedHeaderDigest = pdu.headerDigest();
        grantedDataDigest = pdu.dataDigest();
        encoder.negotiated(pdu.headerDigest(), pdu.dataDigest(), pdu.cpda());
        decoder.negotiated(pdu.headerDigest(), pdu.dataDigest(), 0);
        icDone = true;
    }

    @Override
    public void onTermReq(TermReqPdu pdu) {
        termReqFes = pdu.fesCode();
        termReqFei = pdu.fei();
    }

    @Override
    public void onCapsuleResp(CapsuleRespPdu pdu) {
        ByteBuffer b = pdu.buffer();
        int at = pdu.cqeIndex();
        completions.add(new Completion(pdu.cid(), pdu.statusWord(), b.getInt(at), b.getInt(at + 4),
                b.getShort(at + 8) & 0xFFFF, false));
    }

    @Override
    public void onR2t(R2tPdu pdu) {
        r2tCount++;
        if (manualR2t) {
            lastR2t = new int[] {pdu.cccid(), pdu.ttag(), pdu.r2to(), pdu.r2tl()};
            manualR2ts.add(lastR2t);
            return;
        }
        ByteBuffer data = writeBuffers.get(pdu.cccid());
        if (data == null) {
            throw new IllegalStateException("R2T for unknown CID " + pdu.cccid());
        }
        int offset = pdu.r2to();
        int remaining = pdu.r2tl();
        int cccid = pdu.cccid();
        int ttag = pdu.ttag();
        try {
            while (remaining > 0) {
                int n = Math.min(remaining, maxH2cData);
                ByteBuffer slice = data.duplicate();
                slice.position(data.position() + offset).limit(data.position() + offset + n);
                header.clear();
                encoder.h2cData(header, cccid, ttag, offset, n, remaining == n);
                writeHeader();
                writeData(slice);
                offset += n;
                remaining -= n;
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public ByteBuffer onC2hData(C2hDataPdu pdu) {
        return readBuffers.get(pdu.cccid());
    }

    @Override
    public void onC2hDataEnd(C2hDataPdu pdu, boolean dataDigestOk) {
        dataDigestErrorSeen |= !dataDigestOk;
        if (pdu.hasFlag(dev.nvmeof.protocol.tcp.PduFlags.SUCCESS)) {
            completions.add(new Completion(pdu.cccid(), 0, 0, 0, -1, true));
        }
    }
}
