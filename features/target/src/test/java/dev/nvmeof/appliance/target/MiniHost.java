package dev.nvmeof.appliance.target;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import dev.nvmeof.protocol.ConnectDataFlyweight;
import dev.nvmeof.protocol.ControllerProperty;
import dev.nvmeof.protocol.FabricsCommands;
import dev.nvmeof.protocol.NvmCommands;
import dev.nvmeof.protocol.SubmissionQueueEntryFlyweight;
import dev.nvmeof.protocol.tcp.C2hDataPdu;
import dev.nvmeof.protocol.tcp.CapsuleRespPdu;
import dev.nvmeof.protocol.tcp.HostPduHandler;
import dev.nvmeof.protocol.tcp.IcRespPdu;
import dev.nvmeof.protocol.tcp.PduDecoder;
import dev.nvmeof.protocol.tcp.PduEncoder;
import dev.nvmeof.protocol.tcp.PduFlags;
import dev.nvmeof.protocol.tcp.R2tPdu;
import dev.nvmeof.protocol.tcp.TermReqPdu;

/**
 * The smallest blocking NVMe/TCP host the appliance tests need: one queue per instance (one socket), no digests,
 * one command at a time, writes in-capsule, reads through C2HData. Every read of the socket is bounded by its
 * timeout.
 */
final class MiniHost implements HostPduHandler, AutoCloseable {
    static final UUID HOST_ID = UUID.fromString("00000000-0000-0000-0000-00000000a001");
    static final String HOST_NQN = "nqn.2014-08.org.nvmexpress:uuid:" + HOST_ID;
    private static final int TIMEOUT_MILLIS = 5000;

    /** A completion: the status word (phase bit included) and DW0. */
    record Cqe(int status, int dw0) {
        boolean ok() {
            return (status & 0xFFFE) == 0;
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final PduEncoder encoder = new PduEncoder();
    private final PduDecoder decoder = PduDecoder.forHost(this);
    private final ByteBuffer header = ByteBuffer.allocate(128).order(ByteOrder.LITTLE_ENDIAN);
    private final ByteBuffer sqeBuffer = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
    private final SubmissionQueueEntryFlyweight sqe = new SubmissionQueueEntryFlyweight().wrap(sqeBuffer, 0);
    private final byte[] chunk = new byte[16 * 1024];
    private final Map<Integer, Cqe> completions = new HashMap<>();
    private final Map<Integer, ByteBuffer> reads = new HashMap<>();
    private boolean icResp;
    private int nextCid = 1;

    private MiniHost(InetSocketAddress address) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(address, TIMEOUT_MILLIS);
        socket.setSoTimeout(TIMEOUT_MILLIS);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** Connects and exchanges ICReq/ICResp. */
    static MiniHost open(InetSocketAddress address) throws IOException {
        MiniHost host = new MiniHost(address);
        host.header.clear();
        host.encoder.icReq(host.header, 0, false, false, 0);
        host.send(null);
        while (!host.icResp) {
            host.readSome();
        }
        return host;
    }

    /** Admin queue Connect (dynamic controller), CC.EN = 1 and wait for CSTS.RDY; returns the CNTLID. */
    int connectAdmin(String subsystemNqn) throws IOException {
        Cqe connect = connect(subsystemNqn, 0, ConnectDataFlyweight.CNTLID_DYNAMIC);
        FabricsCommands.propertySet(sqe, nextCid(), ControllerProperty.CC, 0x00460001);
        require(execute(null, null), "Property Set CC");
        for (int i = 0; i < 100; i++) {
            FabricsCommands.propertyGet(sqe, nextCid(), ControllerProperty.CSTS);
            if ((require(execute(null, null), "Property Get CSTS").dw0() & 1) != 0) {
                return connect.dw0() & 0xFFFF;
            }
        }
        throw new IOException("CSTS.RDY did not come up");
    }

    /** I/O queue 1 Connect for the controller the admin queue made. */
    void connectIo(String subsystemNqn, int cntlid) throws IOException {
        connect(subsystemNqn, 1, cntlid);
    }

    private Cqe connect(String subsystemNqn, int qid, int cntlid) throws IOException {
        ByteBuffer data = ByteBuffer.allocate(ConnectDataFlyweight.LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        new ConnectDataFlyweight().wrap(data, 0).set(HOST_ID, cntlid, subsystemNqn, HOST_NQN);
        FabricsCommands.connect(sqe, nextCid(), qid, 31, 0, 0);
        return require(execute(data, null), "Connect qid " + qid);
    }

    Cqe write(int nsid, long slba, int blocks, byte[] data) throws IOException {
        NvmCommands.write(sqe, nextCid(), nsid, slba, blocks, false);
        sqe.sglInCapsule(0, data.length);
        return execute(ByteBuffer.wrap(data), null);
    }

    byte[] read(int nsid, long slba, int blocks, int blockSize) throws IOException {
        ByteBuffer data = ByteBuffer.allocate(blocks * blockSize);
        NvmCommands.read(sqe, nextCid(), nsid, slba, blocks, false);
        sqe.sglTransportDataBlock(data.capacity());
        require(execute(null, data), "Read");
        return data.array();
    }

    /** True when the target closes the connection within the socket timeout. */
    boolean closedByTarget() {
        try {
            while (true) {
                readSome();
            }
        } catch (EOFException e) {
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset by the peer
        }
    }

    private int nextCid() {
        return nextCid++;
    }

    private static Cqe require(Cqe cqe, String what) throws IOException {
        if (!cqe.ok()) {
            throw new IOException(what + " failed: status 0x" + Integer.toHexString(cqe.status()));
        }
        return cqe;
    }

    /** Sends the SQE (with {@code dataOut} in-capsule) and reads until its completion; reads land in {@code dataIn}. */
    private Cqe execute(ByteBuffer dataOut, ByteBuffer dataIn) throws IOException {
        int cid = sqe.cid();
        if (dataIn != null) {
            reads.put(cid, dataIn);
        }
        header.clear();
        encoder.capsuleCmd(header, sqeBuffer, 0, dataOut == null ? 0 : dataOut.remaining());
        send(dataOut);
        while (!completions.containsKey(cid)) {
            readSome();
        }
        reads.remove(cid);
        return completions.remove(cid);
    }

    private void send(ByteBuffer data) throws IOException {
        header.flip();
        out.write(header.array(), 0, header.limit());
        if (data != null) {
            out.write(data.array(), data.arrayOffset() + data.position(), data.remaining());
        }
        out.flush();
    }

    private void readSome() throws IOException {
        int n = in.read(chunk);
        if (n < 0) {
            throw new EOFException("the target closed the connection");
        }
        decoder.decode(ByteBuffer.wrap(chunk, 0, n).order(ByteOrder.LITTLE_ENDIAN));
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    @Override
    public void onIcResp(IcRespPdu pdu) {
        encoder.negotiated(pdu.headerDigest(), pdu.dataDigest(), pdu.cpda());
        decoder.negotiated(pdu.headerDigest(), pdu.dataDigest(), 0);
        icResp = true;
    }

    @Override
    public void onTermReq(TermReqPdu pdu) {
        throw new IllegalStateException("the target sent a TermReq, FES " + pdu.fesCode());
    }

    @Override
    public void onCapsuleResp(CapsuleRespPdu pdu) {
        completions.put(pdu.cid(), new Cqe(pdu.statusWord(), pdu.buffer().getInt(pdu.cqeIndex())));
    }

    @Override
    public void onR2t(R2tPdu pdu) {
        throw new IllegalStateException("R2T: this host only writes in-capsule");
    }

    @Override
    public ByteBuffer onC2hData(C2hDataPdu pdu) {
        return reads.get(pdu.cccid());
    }

    @Override
    public void onC2hDataEnd(C2hDataPdu pdu, boolean dataDigestOk) {
        if (pdu.hasFlag(PduFlags.SUCCESS)) {
            completions.put(pdu.cccid(), new Cqe(0, 0));
        }
    }
}
