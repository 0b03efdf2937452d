package dev.nvmeof.nic.emulated.internal;

import dev.nvmeof.nic.emulated.CompletionHandler;
import dev.nvmeof.nic.emulated.QueuePair;
import dev.nvmeof.nic.emulated.QueuePairListener;
import dev.nvmeof.nic.emulated.QueuePairOptions;
import dev.nvmeof.nic.emulated.SubmissionSlot;
import dev.nvmeof.protocol.tcp.FatalPduException;

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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One queue pair of the engine: a kernel TCP socket bound to the port's address, ICReq/ICResp, then the rings, with
 * the NVMe/TCP of its commands in {@link CommandFlow}; plus fault injection. All state but the rings' driver side is
 * touched only on the engine thread.
 */
public final class EngineQueuePair implements QueuePair {
    private enum State { CONNECTING, LIVE, FAILED, DRAINED }

    private final Engine engine;
    private final String port;
    private final QueuePairOptions options;
    private final QueuePairListener listener;
    private final Rings rings;
    private final Sender sender;
    private final CommandFlow flow;
    private final ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);
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
    // fault injection, engine thread only
    /** Fault injection: how many of the next received data PDUs count as data digest errors. */
    private int corruptDigests;
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
            this.sender = new Sender(channel, engine.counters);
            this.flow = new CommandFlow(options, engine.counters, sender, new FlowLink());
            this.deadline = engine.clock.nanoTime() + options.connectTimeout().toNanos();
            boolean now = channel.connect(target);
            this.key = channel.register(engine.selector(), now ? 0 : SelectionKey.OP_CONNECT, this);
            sender.key(key);
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
    public static CompletableFuture<QueuePair> open(Engine engine, String port, InetSocketAddress localAddress,
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
        sender.icReq(options.headerDigest(), options.dataDigest());
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
                sender.flush();
            }
            if (k.isReadable() && !stalled) {
                read();
            }
        } catch (FatalPduException e) {
            fail(new IOException("queue " + options.qid() + ": fatal PDU (" + e.status() + "): " + e.getMessage(), e));
        } catch (IOException e) {
            fail(e);
        }
    }

    private void read() throws IOException {
        for (int i = 0; i < 16 && receiving(); i++) {
            int n = channel.read(in);
            if (n < 0) {
                fail(new EOFException("queue " + options.qid() + ": the controller closed the connection"));
                return;
            }
            engine.counters.bytesIn.addAndGet(n);
            in.flip();
            flow.receive(in);
            in.clear();
            if (n < in.capacity()) {
                return;
            }
        }
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
        for (int i = 0; i < n; i++) {
            SubmissionSlot slot = rings.headSlot();
            boolean sent = flow.submit(slot);
            rings.consumed();
            if (!sent) {
                return;
            }
        }
    }

    /** What the command flow tells this queue pair (kept off its public face). */
    private final class FlowLink implements CommandFlow.Link {
        @Override
        public boolean live() {
            return state == State.LIVE;
        }

        @Override
        public void established(int granted) {
            maxH2cData = granted;
            state = State.LIVE;
            ready.complete(EngineQueuePair.this);
        }

        @Override
        public void completed(int cid, int status, int dw0, int dw1) {
            if (dropNextCompletion) {
                dropNextCompletion = false;
                engine.counters.completionsDropped.incrementAndGet();
                return;
            }
            publish(cid, status, dw0, dw1);
        }

        @Override
        public void fail(IOException cause) {
            EngineQueuePair.this.fail(cause);
        }

        @Override
        public boolean takeCorruptDigest() {
            if (corruptDigests == 0) {
                return false;
            }
            corruptDigests--;
            return true;
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

    public void injectReset() {
        if (state == State.LIVE || state == State.CONNECTING) {
            closeChannel(true);
            fail(new SocketException("queue " + options.qid() + ": connection reset (injected on " + port + ")"));
        }
    }

    public void injectLinkDown() {
        if (state == State.LIVE || state == State.CONNECTING) {
            closeChannel(true);
            fail(new IOException("queue " + options.qid() + ": link down on " + port));
        }
    }

    public void injectCorruptDataDigests(int count) {
        corruptDigests = count;
    }

    public void injectDropNextCompletion() {
        dropNextCompletion = true;
    }

    public void injectStall(boolean stall) {
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
        if (engine.inEngine()) {
            drainHere();
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        engine.execute(() -> {
            drainHere();
            done.complete(null);
        });
        try {
            done.get(DRAIN_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            state = State.DRAINED;
            closeChannel(false);
        }
    }

    private void drainHere() {
        if (state != State.DRAINED) {
            state = State.DRAINED;
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
