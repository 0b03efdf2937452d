package dev.nvmeof.transport.tcp.internal;

import java.io.EOFException;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.nvmeof.api.NvmeException;
import dev.nvmeof.api.NvmeTimeoutException;
import dev.nvmeof.api.NvmeTransportException;
import dev.nvmeof.protocol.NanoClock;
import dev.nvmeof.protocol.tcp.HostQueueEngine;
import dev.nvmeof.protocol.tcp.QueueFailure;
import dev.nvmeof.protocol.tls.DerivedTlsPsk;
import dev.nvmeof.spi.transport.QueueCallbacks;
import dev.nvmeof.spi.transport.QueueParameters;
import dev.nvmeof.spi.transport.TransportQueue;
import dev.nvmeof.spi.transport.TransportRequest;
import dev.nvmeof.tls.TlsChannel;
import dev.nvmeof.tls.TlsHandshakeException;

/**
 * One NVMe/TCP connection: its socket, owned by one {@link EventLoop}, driving the protocol's
 * {@link HostQueueEngine} (commands, R2T, C2HData, every error's classification). What stays here is the socket:
 * connecting, reading into one direct buffer, readiness, and the handshake deadline. A submitter on an idle
 * connection writes its command itself (the engine's send lock); the loop reads and writes what backed up. With a
 * TLS PSK the PDUs go through a {@link TlsChannel} whose handshake runs first, on the loop.
 *
 * <p>Life: CONNECTING (non-blocking connect, TLS handshake, ICReq, ICResp under the connect deadline) -> LIVE ->
 * FAILED (the connection broke: {@link QueueCallbacks#failed} once), DRAINED ({@link #drain()}) or CLOSED. Only LIVE
 * delivers completions.
 */
final class TcpQueue implements TransportQueue, EventLoop.Handler, HostQueueEngine.Events<TransportRequest> {
    static final int CONNECTING = 0;
    static final int LIVE = 1;
    static final int FAILED = 2;
    static final int DRAINED = 3;
    static final int CLOSED = 4;

    private static final int RECEIVE_BUFFER = 256 * 1024;
    /** Reads per readiness event before going back to the selector (fairness between queues of one loop). */
    private static final int MAX_READS = 16;
    /** How long {@link #drain()} waits for the event loop, which only has to finish its current cycle. */
    private static final long DRAIN_TIMEOUT_MILLIS = 10_000;

    private final EventLoop loop;
    private final QueueParameters parameters;
    private final QueueCallbacks callbacks;
    private final NanoClock clock;
    private final InetSocketAddress remote;
    private final SocketAddress local;
    private final int tos;
    private final HostQueueEngine<TransportRequest> engine;
    /** The TLS PSK when the connection runs over TLS, else null (owned by the association). */
    private final DerivedTlsPsk psk;
    private final ByteBuffer in = ByteBuffer.allocateDirect(RECEIVE_BUFFER).order(ByteOrder.LITTLE_ENDIAN);
    private final AtomicInteger state = new AtomicInteger(CONNECTING);
    private final CompletableFuture<Void> handshake = new CompletableFuture<>();
    private volatile SocketChannel channel;
    /** The TLS channel over {@link #channel} when {@link #psk} is set; its handshake is done once tlsUp. */
    private volatile TlsChannel tls;
    private boolean tlsUp;
    private volatile SelectionKey key;
    /** Written by the loop during the handshake; read by the creating thread for its error message. */
    private volatile boolean connected;
    private long deadline = Long.MAX_VALUE;
    private volatile String localAddress = "?";
    /** Gives this queue's place on its loop back to the transport ({@link TcpTransport#loopFor}); run once. */
    private final Runnable loopRelease;
    private final AtomicBoolean loopReleased = new AtomicBoolean();

    TcpQueue(EventLoop loop, QueueParameters parameters, QueueCallbacks callbacks, NanoClock clock,
            InetSocketAddress remote, SocketAddress local, int tos, DerivedTlsPsk psk, Runnable loopRelease) {
        this.loop = loop;
        this.loopRelease = loopRelease;
        this.parameters = parameters;
        this.callbacks = callbacks;
        this.clock = clock;
        this.remote = remote;
        this.local = local;
        this.tos = tos;
        this.psk = psk;
        this.engine = new HostQueueEngine<>(parameters.qid(), parameters.queueSize(), parameters.headerDigest(),
                parameters.dataDigest(), parameters.inCapsuleLimit(), this);
    }

    // ---- creation (caller's thread blocks, the loop does the work) ----

    /** Connects and exchanges ICReq/ICResp, blocking until done or the connect deadline passed. */
    void open() throws NvmeException {
        Duration timeout = parameters.connectTimeout();
        if (!loop.running()) {
            throw NvmeTransportException.of("queue " + qid() + " to " + address() + ": the tcp transport is closed",
                    null, false, null);
        }
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
            throw NvmeTimeoutException.of(phase(), timeout,
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
        if (psk == null) {
            engine.start(channel);
            return;
        }
        tls = TlsChannel.client(channel, psk);
        continueTls();
    }

    /** One step of the TLS handshake; once done, ICReq goes out through TLS and what arrived with it is read. */
    private void continueTls() throws IOException {
        try {
            tlsUp = tls.handshake();
        } catch (TlsHandshakeException e) {
            // The target refused our PSK (or is no TLS peer): retrying with the same key cannot succeed.
            fail(NvmeTransportException.of("queue " + qid() + " to " + address() + ": " + e.getMessage()
                    + (e.alert() == TlsHandshakeException.UNKNOWN_PSK_IDENTITY
                            || e.alert() == TlsHandshakeException.DECRYPT_ERROR
                                    ? " (check the TLS key configured for this host and subsystem on both sides)"
                                    : ""), null, false, e));
            return;
        }
        if (!tlsUp) {
            key.interestOps(SelectionKey.OP_READ | (tls.outputPending() ? SelectionKey.OP_WRITE : 0));
            return;
        }
        key.interestOps(SelectionKey.OP_READ);
        engine.start(tls);
        read();
    }

    /** What the connect deadline was waiting for, for its message. */
    private String phase() {
        if (!connected) {
            return "connect";
        }
        return tls != null && !tlsUp ? "TLS handshake" : NvmeTimeoutException.IC_RESP;
    }

    // ---- what the engine tells (loop thread, but writeInterest) ----

    /** ICResp granted what we asked: LIVE. */
    @Override
    public void established(int maxH2cData) {
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
            handshake.completeExceptionally(NvmeTimeoutException.of(phase(), parameters.connectTimeout(),
                    "queue " + qid() + " to " + address()));
        }
    }

    @Override
    public void onLoopClosed() {
        fail(NvmeTransportException.connectionLost("queue " + qid() + " to " + address()
                + ": the tcp transport closed", null));
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
            if (tls != null && !tlsUp) {
                continueTls();
                return;
            }
            if ((ready & SelectionKey.OP_WRITE) != 0) {
                engine.onWritable();
            }
            if ((ready & SelectionKey.OP_READ) != 0) {
                read();
            }
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    /** Reads and decodes until the socket is drained (or {@link #MAX_READS} reads). */
    private void read() throws IOException {
        TlsChannel t = tls;
        // Plaintext TLS decrypted beyond what one read took has no readiness event of its own: read it now.
        do {
            long n = receiving() ? engine.read(t != null ? t : channel, in, MAX_READS) : 0;
            if (n < 0) {
                fail(NvmeTransportException.connectionLost("queue " + qid() + " to " + address()
                        + ": the controller closed the connection", new EOFException()));
                return;
            }
            if (n == 0) {
                return; // nothing taken: the engine stopped, or the socket had nothing
            }
        } while (t != null && receiving() && t.bufferedInput() > 0);
    }

    @Override
    public void completed(TransportRequest request, int cid, int status, int dw0, int dw1) {
        if (state.get() == LIVE) {
            request.complete(status, dw0, dw1);
            callbacks.completed(request);
        }
    }

    @Override
    public void failed(QueueFailure failure) {
        fail(NvmeTransportException.of(failure, "queue " + qid() + " to " + address()));
    }

    /** Under the engine's send lock: switch OP_WRITE, which takes effect at the loop's next select. */
    @Override
    public void writeInterest(boolean wanted) {
        SelectionKey k = key;
        if (k == null || !k.isValid()) {
            return;
        }
        k.interestOps(wanted ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        if (wanted && !loop.inLoop()) {
            loop.wakeup();
        }
    }

    // ---- the SPI ----

    @Override
    public int qid() {
        return parameters.qid();
    }

    /** Hands the command to the engine, which writes it on this thread unless the socket is backed up. */
    @Override
    public void submit(TransportRequest request) {
        // false when the queue is no longer live: the request is the core's again
        engine.submit(request, request.sqeBuffer(), 0, request.direction(), request.data(), request.dataLength());
    }

    /** A batch's capsules wait in the engine's output ring and go out in one gathering write at the last. */
    @Override
    public void submit(TransportRequest request, boolean last) {
        engine.submit(request, request.sqeBuffer(), 0, request.direction(), request.data(), request.dataLength(),
                last);
    }

    @Override
    public void commit() {
        engine.commit();
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
        engine.shutdown();
        state.compareAndSet(LIVE, DRAINED);
        state.compareAndSet(CONNECTING, DRAINED);
        try {
            if (loop.runAndWait(() -> {
                if (key != null) {
                    key.cancel(); // nothing more is read, so no buffer is written and nothing completes
                }
            }, DRAIN_TIMEOUT_MILLIS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        closeChannel(); // the loop is gone or stuck: with the socket closed nothing more can arrive anyway
    }

    @Override
    public void close() {
        if (state.getAndSet(CLOSED) == CLOSED) {
            return;
        }
        releaseLoop();
        engine.shutdown();
        if (!loop.thread().isAlive() || loop.inLoop()) {
            closeChannel();
            return;
        }
        drainAfterClose();
    }

    private void drainAfterClose() {
        try {
            if (loop.runAndWait(() -> {
                loop.untime(this);
                closeChannel();
            }, DRAIN_TIMEOUT_MILLIS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeChannel(); // the loop stopped (the transport closed) or did not answer
    }

    /** The event loop this queue runs on. */
    EventLoop loop() {
        return loop;
    }

    /** The queue no longer counts on its loop: closed, or its open failed. */
    void releaseLoop() {
        if (loopReleased.compareAndSet(false, true)) {
            loopRelease.run();
        }
    }

    /** Whether PDUs are still processed: during the handshake and while LIVE. */
    private boolean receiving() {
        int s = state.get();
        return s == CONNECTING || s == LIVE;
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
            engine.shutdown();
            closeChannel();
            callbacks.failed(cause);
        } else if (state.compareAndSet(CONNECTING, FAILED)) {
            engine.shutdown();
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
            if (tls != null) {
                tls.close(); // close_notify if the socket takes it, then the socket
            } else if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            // closing: nothing left to tell
        }
    }
}
