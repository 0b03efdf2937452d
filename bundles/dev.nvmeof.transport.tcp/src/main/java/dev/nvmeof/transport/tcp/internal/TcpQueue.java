package dev.nvmeof.transport.tcp.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import dev.nvmeof.api.NvmeException;
import dev.nvmeof.api.NvmeTimeoutException;
import dev.nvmeof.api.NvmeTransportException;
import dev.nvmeof.protocol.NanoClock;
import dev.nvmeof.protocol.CommandIds;
import dev.nvmeof.protocol.SubmissionQueueEntryFlyweight;
import dev.nvmeof.protocol.tcp.FatalErrorStatus;
import dev.nvmeof.protocol.tcp.IcRespPdu;
import dev.nvmeof.protocol.tcp.PduDecoder;
import dev.nvmeof.spi.transport.DataDirection;
import dev.nvmeof.spi.transport.QueueCallbacks;
import dev.nvmeof.spi.transport.QueueParameters;
import dev.nvmeof.spi.transport.TransportQueue;
import dev.nvmeof.spi.transport.TransportRequest;

/**
 * One NVMe/TCP connection: its socket, owned by one {@link EventLoop}, its {@link SendPath} and {@link ReceivePath},
 * and the preallocated {@link Slot} of every CID ({@code 0 .. queueSize - 1}; the core's tags).
 *
 * <p>Life: CONNECTING (non-blocking connect, ICReq, ICResp under the connect deadline) -> LIVE -> FAILED (the
 * connection broke: {@link QueueCallbacks#failed} once), DRAINED ({@link #drain()}) or CLOSED. Only LIVE delivers
 * completions.
 */
final class TcpQueue implements TransportQueue, EventLoop.Handler {
    static final int CONNECTING = 0;
    static final int LIVE = 1;
    static final int FAILED = 2;
    static final int DRAINED = 3;
    static final int CLOSED = 4;

    /** Header part of a CapsuleCmd or H2CData: 72-byte CH+PSH, header digest, padding up to a CPDA of 128. */
    private static final int HEADER_SPACE = 256;
    private static final int RECEIVE_BUFFER = 256 * 1024;
    /** How long {@link #drain()} waits for the event loop, which only has to finish its current cycle. */
    private static final long DRAIN_TIMEOUT_MILLIS = 10_000;

    private final EventLoop loop;
    private final QueueParameters parameters;
    private final QueueCallbacks callbacks;
    private final NanoClock clock;
    private final InetSocketAddress remote;
    private final SocketAddress local;
    private final int tos;
    private final Slot[] slots;
    private final SendPath send;
    private final ReceivePath receive;
    private final AtomicInteger state = new AtomicInteger(CONNECTING);
    private final CompletableFuture<Void> handshake = new CompletableFuture<>();
    private final ByteBuffer controlScratch = ByteBuffer.allocateDirect(256).order(ByteOrder.LITTLE_ENDIAN);
    private volatile SocketChannel channel;
    private volatile SelectionKey key;
    /** Written by the loop during the handshake; read by the creating thread for its error message. */
    private volatile boolean connected;
    private long deadline = Long.MAX_VALUE;
    private volatile String localAddress = "?";

    TcpQueue(EventLoop loop, QueueParameters parameters, QueueCallbacks callbacks, NanoClock clock,
            InetSocketAddress remote, SocketAddress local, int tos) {
        this.loop = loop;
        this.parameters = parameters;
        this.callbacks = callbacks;
        this.clock = clock;
        this.remote = remote;
        this.local = local;
        this.tos = tos;
        int size = parameters.queueSize();
        ByteBuffer slab = ByteBuffer.allocateDirect(size * (HEADER_SPACE + 4)).order(ByteOrder.LITTLE_ENDIAN);
        this.slots = new Slot[size];
        for (int cid = 0; cid < size; cid++) {
            int at = cid * (HEADER_SPACE + 4);
            ByteBuffer header = slab.slice(at, HEADER_SPACE).order(ByteOrder.LITTLE_ENDIAN);
            ByteBuffer digest = slab.slice(at + HEADER_SPACE, 4).order(ByteOrder.LITTLE_ENDIAN);
            digest.limit(0);
            header.limit(0);
            slots[cid] = new Slot(cid, header, digest);
        }
        this.send = new SendPath(this, slots);
        this.receive = new ReceivePath(this, slots, send, RECEIVE_BUFFER);
    }

    // ---- creation (caller's thread blocks, the loop does the work) ----

    /** Connects and exchanges ICReq/ICResp, blocking until done or the connect deadline passed. */
    void open() throws NvmeException {
        Duration timeout = parameters.connectTimeout();
        loop.execute(this::startConnect);
        try {
            // The loop enforces the deadline with the clock; this bound only guards against a loop that died.
            handshake.get(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            close();
            if (e.getCause() instanceof NvmeException) {
                throw (NvmeException) e.getCause();
            }
            throw NvmeTransportException.connectionLost("queue " + qid() + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            close();
            throw NvmeTimeoutException.of(connected ? NvmeTimeoutException.IC_RESP : "connect", timeout,
                    "queue " + qid() + " to " + address() + ": the event loop did not answer");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw NvmeTransportException.connectionLost("queue " + qid() + ": interrupted while connecting", e);
        }
    }

    private void startConnect() {
        try {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (tos >= 0) {
                channel.setOption(StandardSocketOptions.IP_TOS, tos);
            }
            if (local != null) {
                channel.bind(local);
            }
            deadline = clock.nanoTime() + parameters.connectTimeout().toNanos();
            boolean now = channel.connect(remote);
            key = channel.register(loop.selector(), now ? 0 : SelectionKey.OP_CONNECT, this);
            send.attach(channel, key);
            loop.time(this);
            if (now) {
                onConnected();
            }
        } catch (IOException | RuntimeException e) {
            handshake.completeExceptionally(NvmeTransportException.unreachable(address(), e));
        }
    }

    private void onConnected() throws IOException {
        connected = true;
        localAddress = String.valueOf(channel.getLocalAddress()).replaceFirst("^/", "");
        key.interestOps(SelectionKey.OP_READ);
        send.icReq(controlScratch, parameters.headerDigest(), parameters.dataDigest());
    }

    /** ICResp arrived (from the decoder, loop thread): check what was granted, then go LIVE. */
    void onIcResp(IcRespPdu pdu, PduDecoder decoder) {
        if (pdu.headerDigest() != parameters.headerDigest() || pdu.dataDigest() != parameters.dataDigest()) {
            fail(NvmeTransportException.of("queue " + qid() + ": the controller granted header/data digest "
                    + pdu.headerDigest() + "/" + pdu.dataDigest() + " for " + parameters.headerDigest() + "/"
                    + parameters.dataDigest() + " asked", FatalErrorStatus.UNSUPPORTED_PARAMETER, false, null));
            return;
        }
        decoder.negotiated(pdu.headerDigest(), pdu.dataDigest(), 0);
        send.negotiated(pdu.headerDigest(), pdu.dataDigest(), pdu.cpda(), pdu.maxH2cData());
        loop.untime(this);
        deadline = Long.MAX_VALUE;
        if (state.compareAndSet(CONNECTING, LIVE)) {
            handshake.complete(null);
        }
    }

    @Override
    public long deadline() {
        return deadline;
    }

    @Override
    public void onDeadline() {
        if (state.compareAndSet(CONNECTING, FAILED)) {
            closeChannel();
            handshake.completeExceptionally(NvmeTimeoutException.of(connected ? NvmeTimeoutException.IC_RESP
                    : "connect", parameters.connectTimeout(), "queue " + qid() + " to " + address()));
        }
    }

    @Override
    public void onReady(SelectionKey selectionKey) {
        try {
            int ready = selectionKey.readyOps();
            if ((ready & SelectionKey.OP_CONNECT) != 0) {
                try {
                    channel.finishConnect();
                } catch (IOException e) {
                    if (state.compareAndSet(CONNECTING, FAILED)) {
                        loop.untime(this);
                        closeChannel();
                        handshake.completeExceptionally(NvmeTransportException.unreachable(address(), e));
                    }
                    return;
                }
                onConnected();
                return;
            }
            if ((ready & SelectionKey.OP_WRITE) != 0) {
                send.onWritable();
            }
            if ((ready & SelectionKey.OP_READ) != 0) {
                receive.onReadable(channel);
            }
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    // ---- the SPI ----

    @Override
    public int qid() {
        return parameters.qid();
    }

    /** Sets the SGL, then queues the command and (when the socket is idle) writes it on this thread. */
    @Override
    public void submit(TransportRequest request) {
        SubmissionQueueEntryFlyweight sqe = request.sqe();
        int cid = sqe.cid();
        int tag = CommandIds.tag(cid);
        if (tag >= slots.length) {
            throw new IllegalArgumentException("CID " + cid + " beyond queue " + qid() + "'s " + slots.length
                    + " entries");
        }
        Slot slot = slots[tag];
        if (slot.request != null) {
            throw new IllegalStateException("CID " + cid + " is already in flight on queue " + qid());
        }
        slot.cid = cid;
        int length = request.dataLength();
        DataDirection direction = request.direction();
        slot.inCapsule = 0;
        slot.readTarget = null;
        if (length == 0) {
            sqe.sglNull();
        } else if (direction == DataDirection.HOST_TO_CONTROLLER && length <= parameters.inCapsuleLimit()) {
            sqe.sglInCapsule(0, length);
            slot.inCapsule = length;
        } else {
            sqe.sglTransportDataBlock(length);
            if (direction == DataDirection.CONTROLLER_TO_HOST) {
                slot.readTarget = slot.readTarget(request.data());
            }
        }
        send.submit(slot, request); // false when the queue is no longer live: the request is the core's again
    }

    /**
     * Nothing to reap: this transport says it cannot poll ({@code TransportLimits.polling} false), so the core never
     * asks for a polled queue; its poll queues ({@code nr_poll_queues}) are served by the event loop like the others,
     * and polled requests complete by themselves. Reading the socket on the caller's thread would split one queue's
     * receive state (and the R2T-driven send) between two owners.
     */
    @Override
    public int poll() {
        return 0;
    }

    @Override
    public void drain() {
        send.shutdown();
        state.compareAndSet(LIVE, DRAINED);
        state.compareAndSet(CONNECTING, DRAINED);
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> {
            if (key != null) {
                key.cancel(); // nothing more is read, so no buffer is written and nothing completes
            }
            done.complete(null);
        });
        try {
            done.get(DRAIN_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // the loop is gone or stuck: the queue's socket is closed below, so nothing more can arrive anyway
            closeChannel();
        }
    }

    @Override
    public void close() {
        if (state.getAndSet(CLOSED) == CLOSED) {
            return;
        }
        send.shutdown();
        if (!loop.thread().isAlive() || loop.inLoop()) {
            closeChannel();
            return;
        }
        drainAfterClose();
    }

    private void drainAfterClose() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> {
            loop.untime(this);
            closeChannel();
            done.complete(null);
        });
        try {
            done.get(DRAIN_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeChannel();
        } catch (ExecutionException | TimeoutException e) {
            closeChannel();
        }
    }

    // ---- for the send and receive paths ----

    EventLoop loop() {
        return loop;
    }

    /** Whether PDUs are still processed: during the handshake and while LIVE. */
    boolean receiving() {
        int s = state.get();
        return s == CONNECTING || s == LIVE;
    }

    boolean live() {
        return state.get() == LIVE;
    }

    void completed(TransportRequest request) {
        callbacks.completed(request);
    }

    /** The socket failed underneath (from any thread). */
    void fail(Exception cause) {
        fail(NvmeTransportException.connectionLost("queue " + qid() + " to " + address() + ": " + cause, cause));
    }

    /** The queue is dead: reported once, on the event loop; before LIVE it fails the handshake instead. */
    void fail(NvmeTransportException cause) {
        if (!loop.inLoop()) {
            loop.execute(() -> fail(cause));
            return;
        }
        if (state.compareAndSet(LIVE, FAILED)) {
            send.shutdown();
            closeChannel();
            callbacks.failed(cause);
        } else if (state.compareAndSet(CONNECTING, FAILED)) {
            loop.untime(this);
            closeChannel();
            handshake.completeExceptionally(cause);
        }
    }

    String address() {
        return remote.getHostString() + ":" + remote.getPort();
    }

    String localAddress() {
        return localAddress;
    }

    int state() {
        return state.get();
    }

    private void closeChannel() {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            // closing: nothing left to tell
        }
    }
}
