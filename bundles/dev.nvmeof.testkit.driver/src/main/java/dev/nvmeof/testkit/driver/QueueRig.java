package dev.nvmeof.testkit.driver;

import static dev.nvmeof.testkit.driver.Checks.check;
import static dev.nvmeof.testkit.driver.Checks.equal;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.protocol.ConnectDataFlyweight;
import dev.nvmeof.protocol.ControllerProperty;
import dev.nvmeof.protocol.DataDirection;
import dev.nvmeof.protocol.FabricsCommands;
import dev.nvmeof.protocol.NvmCommands;
import dev.nvmeof.spi.offload.ConnectRequest;
import dev.nvmeof.spi.offload.OffloadClaim;
import dev.nvmeof.spi.offload.OffloadController;
import dev.nvmeof.spi.offload.OffloadDriver;
import dev.nvmeof.spi.offload.OffloadQueue;
import dev.nvmeof.spi.transport.QueueParameters;
import dev.nvmeof.spi.transport.TransportRequest;

/**
 * The suite playing the ULP over the SPI: claim, {@code setupCtrl}, the admin queue with Fabrics Connect and CC.EN,
 * then I/O queues each connected with its own Fabrics Connect, every queue with a {@link RecordingHandle}. Closing
 * releases the controller (which destroys its queues).
 */
final class QueueRig implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(15);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final int ADMIN_SIZE = 32;
    private static final int CC_ENABLE = 0x00460001; // IOSQES 6, IOCQES 4, EN
    private static final UUID HOST_ID = UUID.nameUUIDFromBytes("dev.nvmeof.testkit.driver".getBytes());

    /** One I/O queue and what the driver reported on it. */
    record Io(int qid, int size, OffloadQueue queue, RecordingHandle handle) {
    }

    final Environment environment;
    final OffloadDriver driver;
    final ConnectRequest request;
    final OffloadClaim claim;
    final OffloadController controller;
    final RecordingHandle adminHandle = new RecordingHandle();
    final OffloadQueue admin;
    private final List<Io> ios = new ArrayList<>();
    private int cntlid;
    private int adminTag = 1;

    private QueueRig(Environment environment) throws Exception {
        this.environment = environment;
        this.driver = environment.driver();
        this.request = request(environment.target().address());
        Optional<OffloadClaim> claimed = driver.claimDev(request);
        if (claimed.isEmpty()) { // declineReason only after an empty claim, as the SPI says
            throw new AssertionError("the device does not claim the target its port routes to ("
                    + environment.target().address() + "): " + driver.declineReason(request));
        }
        this.claim = claimed.get();
        this.controller = driver.setupCtrl(request, claim);
        try {
            admin = controller.createQueue(new QueueParameters(0, ADMIN_SIZE, 8192, false, false, false,
                    CONNECT_TIMEOUT), adminHandle);
            TransportRequest connect = run(admin, adminHandle, connect(0, ADMIN_SIZE, ConnectDataFlyweight
                    .CNTLID_DYNAMIC));
            equal(0, connect.status(), "Fabrics Connect of the admin queue: status");
            cntlid = connect.dw0() & 0xFFFF;
            TransportRequest enable = new TransportRequest();
            FabricsCommands.propertySet(enable.sqe(), nextAdminTag(), ControllerProperty.CC, CC_ENABLE);
            equal(0, run(admin, adminHandle, enable).status(), "Property Set CC.EN=1: status");
        } catch (Exception | Error e) {
            controller.close();
            throw e;
        }
    }

    /** Claims, sets up and connects the admin queue of a controller on the environment's target. */
    static QueueRig open(Environment environment) throws Exception {
        return new QueueRig(environment);
    }

    /** The request for a connection to {@code target} with no options beyond address and subsystem. */
    static ConnectRequest request(InetSocketAddress target) throws Exception {
        ConnectOptions options = ConnectOptions.parse("transport=tcp_offload,traddr="
                + target.getAddress().getHostAddress() + ",trsvcid=" + target.getPort() + ",nqn="
                + ConformanceTarget.NQN);
        return new ConnectRequest(options, target, null, null, options.given());
    }

    /** Creates I/O queue {@code qid} of {@code size} entries (interrupt-driven) and connects it. */
    Io io(int qid, int size) throws Exception {
        RecordingHandle handle = new RecordingHandle();
        OffloadQueue queue = controller.createQueue(new QueueParameters(qid, size, 8192, false, false, false,
                CONNECT_TIMEOUT), handle);
        Io io = new Io(qid, size, queue, handle);
        ios.add(io);
        TransportRequest connect = run(queue, handle, connect(qid, size, cntlid));
        equal(0, connect.status(), "Fabrics Connect of I/O queue " + qid + ": status");
        return io;
    }

    /** A Property Get of CAP on the admin queue, waited for: a round trip through device and target. */
    void adminRoundTrip() throws Exception {
        TransportRequest cap = new TransportRequest();
        FabricsCommands.propertyGet(cap.sqe(), nextAdminTag(), ControllerProperty.CAP);
        equal(0, run(admin, adminHandle, cap).status(), "Property Get CAP on the admin queue: status");
    }

    private int nextAdminTag() {
        int tag = adminTag;
        adminTag = adminTag % (ADMIN_SIZE - 2) + 1;
        return tag;
    }

    /** Sends one request and waits for its completion (the handle's next event). */
    static TransportRequest run(OffloadQueue queue, RecordingHandle handle, TransportRequest request)
            throws Exception {
        Checks.bounded("sendReq", WAIT, () -> queue.sendReq(request));
        check(handle.awaitCompleted(request, WAIT), "request CID " + request.sqe().cid() + " did not complete within "
                + WAIT.toSeconds() + " s; events: " + handle.events());
        return request;
    }

    static TransportRequest read(int cid, ByteBuffer into, long lba) {
        return read(new TransportRequest(), cid, into, lba);
    }

    static TransportRequest write(int cid, ByteBuffer from, long lba) {
        return write(new TransportRequest(), cid, from, lba);
    }

    /** Makes {@code request} (reset first) a read of {@code into}'s bytes from {@code lba}. */
    static TransportRequest read(TransportRequest request, int cid, ByteBuffer into, long lba) {
        request.reset();
        NvmCommands.read(request.sqe(), cid, ConformanceTarget.NSID, lba, into.remaining()
                / ConformanceTarget.BLOCK_SIZE, false);
        return request.data(into, DataDirection.CONTROLLER_TO_HOST);
    }

    /** Makes {@code request} (reset first) a write of {@code from}'s bytes at {@code lba}. */
    static TransportRequest write(TransportRequest request, int cid, ByteBuffer from, long lba) {
        request.reset();
        NvmCommands.write(request.sqe(), cid, ConformanceTarget.NSID, lba, from.remaining()
                / ConformanceTarget.BLOCK_SIZE, false);
        return request.data(from, DataDirection.HOST_TO_CONTROLLER);
    }

    private static TransportRequest connect(int qid, int size, int cntlid) {
        TransportRequest request = new TransportRequest();
        FabricsCommands.connect(request.sqe(), 0, qid, size - 1, qid == 0 ? 30_000 : 0, 0);
        ByteBuffer data = ByteBuffer.allocateDirect(ConnectDataFlyweight.LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        new ConnectDataFlyweight().wrap(data, 0).set(HOST_ID, cntlid, ConformanceTarget.NQN,
                "nqn.2014-08.org.nvmexpress:uuid:" + HOST_ID);
        return request.data(data, DataDirection.HOST_TO_CONTROLLER);
    }

    /** Releases the controller: the driver destroys every queue still open. */
    @Override
    public void close() throws Exception {
        Checks.bounded("OffloadController.close", WAIT, controller::close);
    }
}
