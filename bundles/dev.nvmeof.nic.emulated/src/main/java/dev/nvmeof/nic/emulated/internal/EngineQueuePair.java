package dev.nvmeof.nic.emulated.internal;

import dev.nvmeof.nic.emulated.CompletionHandler;
import dev.nvmeof.nic.emulated.QueuePair;
import dev.nvmeof.nic.emulated.QueuePairListener;
import dev.nvmeof.nic.emulated.QueuePairOptions;
import dev.nvmeof.nic.emulated.SubmissionSlot;
import dev.nvmeof.protocol.NvmeStatus;
import dev.nvmeof.protocol.SubmissionQueueEntryFlyweight;
import dev.nvmeof.protocol.tcp.HostQueueEngine;
import dev.nvmeof.protocol.tcp.QueueFailure;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One queue pair of the engine: a kernel TCP socket bound to the port's address and the rings, with the NVMe/TCP of
 * its commands in the protocol's {@link HostQueueEngine} (the same engine the {@code tcp} transport drives); plus
 * fault injection. All state but the rings' driver side is touched only on the engine thread, which is the engine's
 * only reader and writer.
 */
final class EngineQueuePair implements QueuePair {
    private static final int INVALID_FIELD = NvmeStatus.of(0, 0x02, true).toStatusWord(false);

    private enum State { CONNECTING, LIVE, FAILED, DRAINED }

    private final Engine engine;
    private final String port;
    private final QueuePairOptions options;
    private final QueuePairListener listener;
    private final Rings rings;
    private final HostQueueEngine<Void> protocol;
    private final SubmissionQueueEntryFlyweight sqe = new SubmissionQueueEntryFlyweight();
    /** As large as the tcp transport's: a QD32 burst of 4 KiB reads (about 134 KiB) in one read, not three. */
    private final ByteBuffer in = ByteBuffer.allocateDirect(256 * 1024).order(ByteOrder.LITTLE_ENDIAN);
    private final CompletableFuture<QueuePair> ready = new CompletableFuture<>();
    private final SocketChannel channel;
    private final SelectionKey key;
    /** How long {@link #drain} waits for the engine thread. */
    static final long DRAIN_TIMEOUT_MILLIS = 10_000;

    private volatile State state = State.CONNECTING;
    private volatile InetSocketAddress local;
    private volatile IOException failure;
    private long deadline;
    private int maxH2cData;
    boolean notifyPending;
    /** The next queue pair on the engine's doorbell stack (written by the ringing thread before its CAS). */
    EngineQueuePair rungNext;
    /** What the counters already hold of the protocol engine's own counts. */
    private long bytesOutCounted;
    private long pdusOutCounted;
    private long pdusInCounted;
    // fault injection, engine thread only
    private boolean dropNextCompletion;
    private boolean stalled;

    /** Engine thread: opens the socket bound to {@code localAddress} and starts connecting. */
    EngineQueuePair(Engine engine, String port, InetSocketAddress localAddress, InetSocketAddress target,
            QueuePairOptions options, QueuePairListener listener) throws IOException {
        this.engine = engine;
        this.port = port;
        this.options = options;
        this.listener = listener;
        this.rings = new Rings(options.depth());
        this.channel = SocketChannel.open();
        try {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (options.tos() >= 0) {
                channel.setOption(StandardSocketOptions.IP_TOS, options.tos());
            }
            channel.bind(localAddress);
            this.protocol = new HostQueueEngine<>(options.qid(), options.depth(), options.headerDigest(),
                    options.dataDigest(), options.inCapsuleLimit(), new Events());
            this.deadline = engine.clock.nanoTime() + options.connectTimeout().toNanos();
            boolean now = channel.connect(target);
            this.key = channel.register(engine.selector(), now ? 0 : SelectionKey.OP_CONNECT, this);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        engine.register(this);
        if (key.interestOps() == 0) {
            onConnected();
        }
    }

    /** Opens a queue pair on the engine thread; the future completes after ICResp. */
    static CompletableFuture<QueuePair> open(Engine engine, String port, InetSocketAddress localAddress,
            InetSocketAddress target, QueuePairOptions options, QueuePairListener listener) {
        CompletableFuture<QueuePair> result = new CompletableFuture<>();
        engine.execute(() -> {
            try {
                new EngineQueuePair(engine, port, localAddress, target, options, listener).ready.whenComplete(
                        (qp, e) -> {
                            if (e != null) {
                                result.completeExceptionally(e);
                            } else {
                                result.complete(qp);
                            }
                        });
            } catch (IOException | RuntimeException e) {
                result.completeExceptionally(new IOException("queue " + options.qid() + " via " + port + " ("
                        + localAddress.getAddress().getHostAddress() + ") to " + target + ": " + e.getMessage(), e));
            }
        });
        return result;
    }

    @Override
    public String port() {
        return port;
    }

    long deadline() {
        return state == State.CONNECTING ? deadline : Long.MAX_VALUE;
    }

    void checkDeadline(long now) {
        if (state == State.CONNECTING && deadline - now < 0) {
            fail(new IOException("queue " + options.qid() + ": no " + (local == null ? "TCP connection" : "ICResp")
                    + " within " + options.connectTimeout()));
        }
    }

    private void onConnected() throws IOException {
        local = (InetSocketAddress) channel.getLocalAddress();
        key.interestOps(SelectionKey.OP_READ);
        protocol.start(channel);
        account();
    }

    void onReady(SelectionKey k) {
        try {
            if (!k.isValid()) {
                return;
            }
            if (k.isConnectable()) {
                channel.finishConnect();
                onConnected();
                return;
            }
            if (k.isWritable()) {
                protocol.onWritable();
            }
            if (k.isReadable() && !stalled) {
                read();
            }
            account();
        } catch (IOException e) {
            fail(QueueFailure.connectionLost(options.qid(), e.getMessage(), e));
        }
    }

    /** Adds what the protocol engine sent and received since last time to the NIC's counters. */
    private void account() {
        long bytes = protocol.bytesWritten();
        long pdusOut = protocol.pdusWritten();
        long pdusIn = protocol.pdusReceived();
        engine.counters.bytesOut.addAndGet(bytes - bytesOutCounted);
        engine.counters.pdusOut.addAndGet(pdusOut - pdusOutCounted);
        engine.counters.pdusIn.addAndGet(pdusIn - pdusInCounted);
        bytesOutCounted = bytes;
        pdusOutCounted = pdusOut;
        pdusInCounted = pdusIn;
    }

    private void read() throws IOException {
        if (!receiving()) {
            return;
        }
        long n = protocol.read(channel, in, 16);
        if (n < 0) {
            fail(QueueFailure.connectionLost(options.qid(), "the controller closed the connection",
                    new EOFException()));
            return;
        }
        engine.counters.bytesIn.addAndGet(n);
    }

    private boolean receiving() {
        return state == State.LIVE || state == State.CONNECTING;
    }

    // ---- the submission side (engine) ----

    void consumeSubmissions() {
        if (state != State.LIVE || stalled) {
            return;
        }
        int n = rings.beginConsume();
        for (int i = 0; i < n && state == State.LIVE; i++) {
            submit(rings.headSlot(), i == n - 1);
            rings.consumed();
        }
        protocol.commit(); // when the last slot was refused (or the queue pair failed half-way): the rest goes out
        account();
    }

    /**
     * Reads the slot once, like a DMA descriptor, and hands the command to the protocol engine, which writes the
     * doorbell's whole batch in one gathering write at its {@code last}. A CID out of range or already in flight
     * completes at once with Invalid Field (hardware does not throw at its driver).
     */
    private void submit(SubmissionSlot slot, boolean last) {
        try {
            protocol.submit(null, slot.sqe(), 0, slot.direction(), slot.dataBuffer(), slot.length(), last);
        } catch (IllegalArgumentException | IllegalStateException e) {
            publish(sqe.wrap(slot.sqe(), 0).cid(), INVALID_FIELD, 0, 0);
        }
    }

    /** What the protocol engine tells this queue pair (kept off its public face). */
    private final class Events implements HostQueueEngine.Events<Void> {
        @Override
        public void established(int granted) {
            maxH2cData = granted;
            state = State.LIVE;
            ready.complete(EngineQueuePair.this);
        }

        @Override
        public void completed(Void owner, int cid, int status, int dw0, int dw1) {
            if (dropNextCompletion) {
                dropNextCompletion = false;
                engine.counters.completionsDropped.incrementAndGet();
                return;
            }
            publish(cid, status, dw0, dw1);
        }

        @Override
        public void failed(QueueFailure failure) {
            fail(failure);
        }

        @Override
        public void writeInterest(boolean wanted) {
            if (key.isValid()) {
                int ops = key.interestOps();
                key.interestOps(wanted ? ops | SelectionKey.OP_WRITE : ops & ~SelectionKey.OP_WRITE);
            }
        }

        @Override
        public void dataDigestError(int cid) {
            engine.counters.digestErrors.incrementAndGet();
        }
    }

    private void publish(int cid, int status, int dw0, int dw1) {
        if (state != State.LIVE) {
            return;
        }
        rings.complete(cid, status, dw0, dw1);
        engine.completionsPublished(this);
    }

    void notifyCompletions() {
        if (state == State.LIVE && listener != null && rings.pendingCompletions() > 0) {
            engine.counters.notifications.incrementAndGet();
            listener.completionsAvailable(this);
        }
    }

    /** Engine thread: the queue pair is done; tells the listener once (unless drained). */
    void fail(IOException cause) {
        State was = state;
        if (was == State.FAILED || was == State.DRAINED) {
            return;
        }
        failure = cause;
        state = State.FAILED;
        protocol.shutdown();
        if (was == State.LIVE) {
            engine.counters.connectionsReset.incrementAndGet();
        }
        closeChannel(false);
        if (!ready.isDone()) {
            ready.completeExceptionally(cause);
        } else if (listener != null) {
            listener.queueFailed(this, cause);
        }
    }

    private void closeChannel(boolean reset) {
        try {
            if (reset && channel.isOpen()) {
                channel.setOption(StandardSocketOptions.SO_LINGER, 0); // close sends RST
            }
            key.cancel();
            channel.close();
        } catch (IOException ignored) {
            // already gone
        }
        engine.unregister(this);
    }

    // ---- fault injection (engine thread) ----

    void injectReset() {
        if (state == State.LIVE || state == State.CONNECTING) {
            closeChannel(true);
            fail(new SocketException("queue " + options.qid() + ": connection reset (injected on " + port + ")"));
        }
    }

    void injectLinkDown() {
        if (state == State.LIVE || state == State.CONNECTING) {
            closeChannel(true);
            fail(new IOException("queue " + options.qid() + ": link down on " + port));
        }
    }

    void injectCorruptDataDigests(int count) {
        protocol.corruptNextDataDigests(count);
    }

    void injectDropNextCompletion() {
        dropNextCompletion = true;
    }

    void injectStall(boolean stall) {
        stalled = stall;
        if (!stall && state == State.LIVE) {
            key.interestOps(key.interestOps() | SelectionKey.OP_READ);
            consumeSubmissions();
            onReady(key);
        }
    }

    // ---- QueuePair (driver side) ----

    @Override
    public int qid() {
        return options.qid();
    }

    @Override
    public int depth() {
        return rings.depth();
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public int maxH2cData() {
        return maxH2cData;
    }

    @Override
    public SubmissionSlot slot(int index) {
        return rings.slot(index);
    }

    @Override
    public void ringDoorbell(int tail) {
        if (state != State.LIVE) {
            throw new IllegalStateException("queue " + options.qid() + " is " + state);
        }
        if (rings.ringDoorbell(tail)) {
            engine.doorbell(this);
        }
    }

    @Override
    public int tail() {
        return rings.tail();
    }

    @Override
    public int reapCompletions(CompletionHandler handler) {
        return rings.reap(handler);
    }

    @Override
    public boolean live() {
        return state == State.LIVE;
    }

    @Override
    public Optional<IOException> failure() {
        return state == State.FAILED ? Optional.ofNullable(failure) : Optional.empty();
    }

    /**
     * Stops the queue pair on the engine thread and waits for that, at most {@link #DRAIN_TIMEOUT_MILLIS} (as the tcp
     * transport): an engine thread stuck in a listener's callback that blocks must not hang the host's recovery,
     * disconnect or an OSGi unbind for good. Past the bound the queue pair is stopped from here: it no longer counts
     * as live, so nothing more is published, and its socket is closed, so nothing more arrives.
     */
    @Override
    public void drain() {
        try {
            if (engine.runAndWait(this::drainHere, DRAIN_TIMEOUT_MILLIS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        state = State.DRAINED; // the engine stopped or is stuck
        protocol.shutdown();
        closeChannel(false);
    }

    private void drainHere() {
        if (state != State.DRAINED) {
            state = State.DRAINED;
            protocol.shutdown();
            closeChannel(false);
            if (!ready.isDone()) {
                ready.completeExceptionally(new IOException("queue " + options.qid() + " drained while connecting"));
            }
        }
    }

    @Override
    public void close() {
        drain();
    }

    @Override
    public String toString() {
        return "queue " + options.qid() + " on " + port + " (" + state + ")";
    }
}
