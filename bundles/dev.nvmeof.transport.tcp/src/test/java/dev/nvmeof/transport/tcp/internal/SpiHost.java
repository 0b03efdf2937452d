package dev.nvmeof.transport.tcp.internal;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.NvmeTransportException;
import dev.nvmeof.protocol.AdminCommands;
import dev.nvmeof.protocol.ConnectDataFlyweight;
import dev.nvmeof.protocol.ControllerProperty;
import dev.nvmeof.protocol.FabricsCommands;
import dev.nvmeof.protocol.IdentifyCns;
import dev.nvmeof.protocol.IdentifyControllerFlyweight;
import dev.nvmeof.protocol.NvmCommands;
import dev.nvmeof.protocol.DataDirection;
import dev.nvmeof.spi.transport.QueueCallbacks;
import dev.nvmeof.spi.transport.QueueParameters;
import dev.nvmeof.spi.transport.TransportAssociation;
import dev.nvmeof.spi.transport.TransportQueue;
import dev.nvmeof.spi.transport.TransportRequest;

/**
 * A minimal host for the tests, through the transport SPI only: Fabrics Connect on the admin queue, CC.EN, CSTS.RDY,
 * Identify Controller, then one I/O queue and its Connect. Every wait is bounded.
 */
final class SpiHost implements AutoCloseable {
    static final String NQN = "testnqn";
    static final String HOST_NQN = "nqn.2014-08.org.nvmexpress:uuid:00000000-0000-0000-0000-0000000000aa";
    static final UUID HOST_ID = UUID.fromString("00000000-0000-0000-0000-0000000000aa");
    static final int NSID = 1;
    static final int BLOCK = 512;
    static final long WAIT_SECONDS = 10;

    /** Completes the {@link CompletableFuture} a request carries as attachment, or runs {@link #listener}. */
    static final class Recorder implements QueueCallbacks {
        final AtomicInteger completions = new AtomicInteger();
        final AtomicInteger failures = new AtomicInteger();
        final CompletableFuture<NvmeTransportException> failed = new CompletableFuture<>();
        volatile Consumer<TransportRequest> listener;

        @Override
        @SuppressWarnings("unchecked")
        public void completed(TransportRequest request) {
            completions.incrementAndGet();
            Consumer<TransportRequest> l = listener;
            if (l != null) {
                l.accept(request);
            } else {
                ((CompletableFuture<TransportRequest>) request.attachment()).complete(request);
            }
        }

        @Override
        public void failed(NvmeTransportException cause) {
            failures.incrementAndGet();
            failed.complete(cause);
        }
    }

    final TransportAssociation association;
    final TransportQueue admin;
    final Recorder adminEvents;
    final Recorder ioEvents = new Recorder();
    TransportQueue io;
    int cntlid;
    int inCapsuleLimit;
    private final TransportRequest adminRequest = new TransportRequest();

    private SpiHost(TransportAssociation association, TransportQueue admin, Recorder adminEvents) {
        this.association = association;
        this.admin = admin;
        this.adminEvents = adminEvents;
    }

    static ConnectOptions options(InetSocketAddress target, boolean headerDigest, boolean dataDigest)
            throws Exception {
        return ConnectOptions.builder().transport("tcp").traddr(target.getAddress().getHostAddress())
                .trsvcid(target.getPort()).nqn(NQN).hdrDigest(headerDigest).dataDigest(dataDigest).build();
    }

    /** Admin queue up and enabled, Identify done, one I/O queue of {@code ioQueueSize} entries connected. */
    static SpiHost connect(TcpTransport transport, InetSocketAddress target, boolean headerDigest, boolean dataDigest,
            int ioQueueSize) throws Exception {
        ConnectOptions options = options(target, headerDigest, dataDigest);
        transport.optionPolicy().check(options);
        TransportAssociation association = transport.associate(options);
        SpiHost host = null;
        try {
            Recorder adminEvents = new Recorder();
            TransportQueue admin = association.createQueue(new QueueParameters(0, 32, 8192, headerDigest,
                    dataDigest, false, Duration.ofSeconds(10)), adminEvents);
            host = new SpiHost(association, admin, adminEvents);
            host.start(adminEvents, headerDigest, dataDigest, ioQueueSize);
            return host;
        } catch (Exception | Error e) {
            association.close();
            throw e;
        }
    }

    private void start(Recorder events, boolean headerDigest, boolean dataDigest, int ioQueueSize) throws Exception {
        TransportRequest r = adminRequest;
        FabricsCommands.connect(r.reset().sqe(), 1, 0, 31, 0, 0);
        int connect = execute(admin, r.data(connectData(0xFFFF), DataDirection.HOST_TO_CONTROLLER), events);
        check(connect, "admin Connect");
        cntlid = r.dw0() & 0xFFFF;
        FabricsCommands.propertySet(r.reset().sqe(), 2, ControllerProperty.CC, 0x00460001);
        check(execute(admin, r, events), "Property Set CC");
        boolean ready = false;
        for (int i = 0; i < 1000 && !ready; i++) {
            FabricsCommands.propertyGet(r.reset().sqe(), 3, ControllerProperty.CSTS);
            check(execute(admin, r, events), "Property Get CSTS");
            ready = (r.dw0() & 1) != 0;
        }
        if (!ready) {
            throw new AssertionError("CSTS.RDY did not come up");
        }
        ByteBuffer identify = ByteBuffer.allocateDirect(AdminCommands.IDENTIFY_DATA_LENGTH)
                .order(ByteOrder.LITTLE_ENDIAN);
        AdminCommands.identify(r.reset().sqe(), 4, IdentifyCns.CONTROLLER, 0);
        check(execute(admin, r.data(identify, DataDirection.CONTROLLER_TO_HOST), events), "Identify");
        IdentifyControllerFlyweight id = new IdentifyControllerFlyweight().wrap(identify, 0);
        if (!NQN.equals(id.subnqn())) {
            throw new AssertionError("Identify returned subnqn " + id.subnqn());
        }
        inCapsuleLimit = Math.max(0, id.ioccsz() * 16 - 64);
        io = association.createQueue(new QueueParameters(1, ioQueueSize, inCapsuleLimit, headerDigest, dataDigest,
                false, Duration.ofSeconds(10)), ioEvents);
        TransportRequest c = new TransportRequest();
        FabricsCommands.connect(c.sqe(), 0, 1, ioQueueSize - 1, 0, 0);
        check(execute(io, c.data(connectData(cntlid), DataDirection.HOST_TO_CONTROLLER), ioEvents), "I/O Connect");
    }

    static ByteBuffer connectData(int cntlid) {
        ByteBuffer data = ByteBuffer.allocate(ConnectDataFlyweight.LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        new ConnectDataFlyweight().wrap(data, 0).set(HOST_ID, cntlid, NQN, HOST_NQN);
        return data;
    }

    /** Submits and waits for the completion; returns the status word. */
    static int execute(TransportQueue queue, TransportRequest request, Recorder events) throws Exception {
        CompletableFuture<TransportRequest> done = new CompletableFuture<>();
        request.attachment(done);
        queue.submit(request);
        return done.get(WAIT_SECONDS, TimeUnit.SECONDS).status();
    }

    /** A write of {@code data} (whole blocks) at {@code slba} on the I/O queue with this CID. */
    static TransportRequest write(TransportRequest r, int cid, long slba, ByteBuffer data) {
        NvmCommands.write(r.reset().sqe(), cid, NSID, slba, data.remaining() / BLOCK, false);
        return r.data(data, DataDirection.HOST_TO_CONTROLLER);
    }

    static TransportRequest read(TransportRequest r, int cid, long slba, ByteBuffer into) {
        NvmCommands.read(r.reset().sqe(), cid, NSID, slba, into.remaining() / BLOCK, false);
        return r.data(into, DataDirection.CONTROLLER_TO_HOST);
    }

    static void check(int status, String what) {
        if (status != 0) {
            throw new AssertionError(what + " failed with status 0x" + Integer.toHexString(status));
        }
    }

    @Override
    public void close() {
        association.close();
    }
}
