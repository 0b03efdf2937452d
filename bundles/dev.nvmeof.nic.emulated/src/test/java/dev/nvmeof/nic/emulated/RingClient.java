package dev.nvmeof.nic.emulated;

import dev.nvmeof.protocol.DataDirection;
import dev.nvmeof.protocol.ConnectDataFlyweight;
import dev.nvmeof.protocol.ControllerProperty;
import dev.nvmeof.protocol.FabricsCommands;
import dev.nvmeof.protocol.SubmissionQueueEntryFlyweight;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A minimal test driver of one queue pair: fills ring slots from the test thread, reaps completions in the
 * interrupt-style listener and hands them to futures. Just enough NVMe to prove the engine against a real target.
 */
final class RingClient implements QueuePairListener, AutoCloseable {
    static final String HOST_NQN = "nqn.2014-08.org.nvmexpress:uuid:00000000-0000-0000-0000-0000000000aa";
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /** A completion as the ring reported it. */
    record Completion(int status, int dw0, int dw1) {
        boolean ok() {
            return status == 0;
        }
    }

    final CompletableFuture<IOException> failure = new CompletableFuture<>();
    final AtomicInteger notifications = new AtomicInteger();
    final AtomicInteger completions = new AtomicInteger();
    final AtomicInteger failures = new AtomicInteger();
    private final Map<Integer, CompletableFuture<Completion>> pending = new ConcurrentHashMap<>();
    private final SubmissionQueueEntryFlyweight sqe = new SubmissionQueueEntryFlyweight();
    private QueuePair queuePair;
    private int nextCid;

    static RingClient open(NicFunction nic, String port, InetSocketAddress target, int qid, boolean digests)
            throws Exception {
        return open(nic, port, target, qid, digests, digests, 8192);
    }

    static RingClient open(NicFunction nic, String port, InetSocketAddress target, int qid, boolean headerDigest,
            boolean dataDigest, int inCapsuleLimit) throws Exception {
        RingClient client = new RingClient();
        QueuePairOptions options = new QueuePairOptions(qid, 32, headerDigest, dataDigest, inCapsuleLimit,
                CONNECT_TIMEOUT, -1);
        client.queuePair = nic.createQueuePair(port, target, options, client).get(15, TimeUnit.SECONDS);
        return client;
    }

    QueuePair queuePair() {
        return queuePair;
    }

    /** Admin queue: Connect, CC.EN, CSTS.RDY; returns the controller id. */
    int connectAdmin(String nqn) throws Exception {
        Completion connect = connect(nqn, 0xFFFF);
        if (!connect.ok()) {
            throw new IOException("admin Connect failed with status 0x" + Integer.toHexString(connect.status()));
        }
        run(s -> FabricsCommands.propertySet(s, 0, ControllerProperty.CC, 0x00460001), null, DataDirection.NONE);
        Completion csts = run(s -> FabricsCommands.propertyGet(s, 0, ControllerProperty.CSTS), null,
                DataDirection.NONE);
        if ((csts.dw0() & 1) == 0) {
            throw new IOException("CSTS.RDY not set after CC.EN: 0x" + Integer.toHexString(csts.dw0()));
        }
        return connect.dw0() & 0xFFFF;
    }

    Completion connect(String nqn, int cntlid) throws Exception {
        ByteBuffer data = ByteBuffer.allocateDirect(ConnectDataFlyweight.LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        new ConnectDataFlyweight().wrap(data, 0).set(UUID.nameUUIDFromBytes(HOST_NQN.getBytes()), cntlid, nqn,
                HOST_NQN);
        return run(s -> FabricsCommands.connect(s, 0, queuePair.qid(), queuePair.depth() - 1, 0, 0), data,
                DataDirection.HOST_TO_CONTROLLER);
    }

    Completion run(Consumer<SubmissionQueueEntryFlyweight> writer, ByteBuffer data, DataDirection direction)
            throws Exception {
        return submit(writer, data, direction).get(15, TimeUnit.SECONDS);
    }

    /** Fills the next slot (CID = ring index modulo depth) and rings the doorbell. */
    CompletableFuture<Completion> submit(Consumer<SubmissionQueueEntryFlyweight> writer, ByteBuffer data,
            DataDirection direction) {
        int cid = nextCid;
        nextCid = (nextCid + 1) % queuePair.depth();
        return submit(writer, data, direction, cid);
    }

    /** Fills the next slot with this CID (a tag and a generation, say) and rings the doorbell. */
    CompletableFuture<Completion> submit(Consumer<SubmissionQueueEntryFlyweight> writer, ByteBuffer data,
            DataDirection direction, int cid) {
        int tail = fill(writer, data, direction, cid);
        CompletableFuture<Completion> done = new CompletableFuture<>();
        pending.put(cid, done);
        queuePair.ringDoorbell(tail + 1);
        return done;
    }

    /**
     * Lean mode, for allocation measurements: completions only count and wake {@code waiter}; commands go in with
     * {@link #submitLean} (no future, no map).
     */
    void lean(Thread waiter) {
        leanWaiter = waiter;
    }

    /** Fills the next slot with this CID and rings the doorbell; the completion only counts (lean mode). */
    void submitLean(Consumer<SubmissionQueueEntryFlyweight> writer, ByteBuffer data, DataDirection direction,
            int cid) {
        queuePair.ringDoorbell(fill(writer, data, direction, cid) + 1);
    }

    /** Fills the tail slot with the SQE (this CID) and names the data; returns the tail. */
    private int fill(Consumer<SubmissionQueueEntryFlyweight> writer, ByteBuffer data, DataDirection direction,
            int cid) {
        int tail = queuePair.tail();
        SubmissionSlot slot = queuePair.slot(tail);
        sqe.wrap(slot.sqe(), 0);
        writer.accept(sqe);
        sqe.cid(cid);
        if (data == null) {
            slot.noData();
        } else {
            slot.data(data, direction, data.remaining());
        }
        return tail;
    }

    final AtomicInteger leanCompleted = new AtomicInteger();
    final AtomicInteger leanFailed = new AtomicInteger();
    private volatile Thread leanWaiter;
    private final CompletionHandler leanReaper = (cid, status, dw0, dw1) -> {
        if ((status & 0xFFFE) != 0) {
            leanFailed.incrementAndGet();
        }
        leanCompleted.incrementAndGet();
    };

    @Override
    public void completionsAvailable(QueuePair qp) {
        Thread waiter = leanWaiter;
        if (waiter != null) {
            qp.reapCompletions(leanReaper);
            java.util.concurrent.locks.LockSupport.unpark(waiter);
            return;
        }
        notifications.incrementAndGet();
        reap(qp);
    }

    /** Hands every posted completion to its future. */
    private void reap(QueuePair qp) {
        qp.reapCompletions((cid, status, dw0, dw1) -> {
            completions.incrementAndGet();
            CompletableFuture<Completion> done = pending.remove(cid);
            if (done != null) {
                done.complete(new Completion(status & 0xFFFE, dw0, dw1));
            }
        });
    }

    @Override
    public void queueFailed(QueuePair qp, IOException cause) {
        reap(qp); // as a driver does: what was posted before the failure is still handed over
        failures.incrementAndGet();
        failure.complete(cause);
    }

    @Override
    public void close() {
        if (queuePair != null) {
            queuePair.close();
        }
    }
}
