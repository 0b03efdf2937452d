package dev.nvmeof.benchmarks.suite;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.HdrHistogram.Histogram;

/**
 * The batched request/response ceiling of the shared {@code BENCHMARKS.md}: one client thread keeps {@code depth}
 * 72-byte requests (a CapsuleCmd) outstanding on a loopback socket ({@code ceiling-client}); one server thread
 * ({@code ceiling-server}) answers each with 4,120 bytes (a C2HData header, 4 KiB, a CapsuleResp). Both sides read
 * whatever has arrived and answer all of it with one write, as a good NVMe/TCP implementation batches. TCP_NODELAY.
 * With {@code selector} each side waits in its own {@link Selector} when nothing has arrived (an event loop's epoll
 * wait, as our stack's threads do); without, it blocks in {@code read} (fewer system calls: a higher ceiling).
 * Responses come back in order, so each round trip's latency is its response's arrival minus its request's send
 * (a ring of send times); at QD1 that is the ping-pong latency the host's QD1 latency is compared with.
 */
public final class BatchedCeiling {
    public static final int REQUEST = 72;
    public static final int RESPONSE = 4_120;
    private static final long HIGHEST = TimeUnit.SECONDS.toNanos(10);

    /** Round trips per second over the measured window, and their latency in nanoseconds. */
    public record Result(int depth, long roundTrips, long elapsedNanos, long p50, long p99, long p999) {
        public double perSecond() {
            return elapsedNanos <= 0 ? 0 : roundTrips * 1e9 / elapsedNanos;
        }
    }

    private BatchedCeiling() {
    }

    /** Runs {@code ramp} unmeasured, then {@code window} measured, at {@code depth} requests outstanding. */
    public static Result run(int depth, long rampNanos, long windowNanos, boolean selector) throws IOException,
            InterruptedException {
        return run(depth, rampNanos, windowNanos, selector, () -> { });
    }

    /**
     * As {@link #run(int, long, long, boolean)}; {@code pinThreads} runs on the client thread once both threads
     * exist and are connected, before the ramp: where the suite pins them.
     */
    static Result run(int depth, long rampNanos, long windowNanos, boolean selector, Runnable pinThreads)
            throws IOException, InterruptedException {
        if (depth < 1 || depth > 1024) {
            throw new IllegalArgumentException("depth " + depth + " is not 1..1024");
        }
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress("127.0.0.1", 0));
            Thread server = new Thread(() -> serve(listener, depth, selector), "ceiling-server");
            server.setDaemon(true);
            server.start();
            // The client is a thread of its own, named, so it can be pinned apart from the suite's main thread.
            FutureTask<Result> client = new FutureTask<>(() -> {
                try (SocketChannel socket = SocketChannel.open(listener.getLocalAddress());
                        Channel c = new Channel(socket, selector)) {
                    pinThreads.run();
                    return drive(c, depth, rampNanos, windowNanos);
                }
            });
            Thread clientThread = new Thread(client, "ceiling-client");
            clientThread.setDaemon(true);
            clientThread.start();
            try {
                return client.get(TimeUnit.NANOSECONDS.toSeconds(rampNanos + windowNanos) + 60, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw new IOException(e.getCause());
            } catch (TimeoutException e) {
                clientThread.interrupt();
                throw new IOException("the batched ceiling at QD" + depth + " did not finish", e);
            } finally {
                server.join(TimeUnit.SECONDS.toMillis(10));
            }
        }
    }

    /** As {@link #run(int, long, long, boolean)}, its two threads pinned at {@code placement} and moved back after. */
    static Result runPinned(int depth, long rampNanos, long windowNanos, boolean selector, ThreadPinning pinning,
            SuitePlacement placement) throws IOException, InterruptedException {
        try {
            return run(depth, rampNanos, windowNanos, selector,
                    () -> pinning.pinExpecting(placement, "ceiling-client", "ceiling-server"));
        } finally {
            pinning.unpin();
        }
    }

    private static Result drive(Channel client, int depth, long rampNanos, long windowNanos)
            throws IOException {
        ByteBuffer requests = ByteBuffer.allocateDirect(REQUEST * depth);
        ByteBuffer in = ByteBuffer.allocateDirect(Math.max(64 * 1024, RESPONSE * depth));
        long[] sentAt = new long[depth]; // ring, in send order
        int head = 0;
        int tail = 0;
        int partial = 0; // bytes of the next response already read
        Histogram latency = new Histogram(1, HIGHEST, 3);
        long start = System.nanoTime();
        long measureStart = start + rampNanos;
        long end = measureStart + windowNanos;
        long roundTrips = 0;
        int outstanding = send(client, requests, depth, sentAt, tail, start);
        tail = outstanding % depth;
        // Bounded by the clock: each pass completes at least one response or blocks in read; the server answers
        // every request, so the loop ends at `end` plus the drain of at most `depth` responses.
        while (outstanding > 0) {
            in.clear();
            int n = client.read(in);
            if (n < 0) {
                throw new IOException("the ceiling's server closed the connection");
            }
            int done = (partial + n) / RESPONSE;
            partial = (partial + n) % RESPONSE;
            long now = System.nanoTime();
            for (int i = 0; i < done; i++) {
                if (now - measureStart >= 0 && now - end < 0) {
                    latency.recordValue(Math.min(HIGHEST, now - sentAt[head]));
                    roundTrips++;
                }
                head = (head + 1) % depth;
            }
            outstanding -= done;
            if (done > 0 && now - end < 0) {
                outstanding += send(client, requests, done, sentAt, tail, now);
                tail = (tail + done) % depth;
            }
        }
        long elapsed = Math.min(System.nanoTime(), end) - measureStart;
        return new Result(depth, roundTrips, elapsed, latency.getValueAtPercentile(50),
                latency.getValueAtPercentile(99), latency.getValueAtPercentile(99.9));
    }

    /** Sends {@code count} requests in one write, stamping their send time into the ring from {@code tail}. */
    private static int send(Channel client, ByteBuffer requests, int count, long[] sentAt, int tail, long now)
            throws IOException {
        for (int i = 0; i < count; i++) {
            sentAt[(tail + i) % sentAt.length] = now;
        }
        client.writeFully(requests.clear().limit(REQUEST * count));
        return count;
    }

    /** Answers every whole request that arrived with one write; ends when the client closes. */
    private static void serve(ServerSocketChannel listener, int depth, boolean selector) {
        try (SocketChannel accepted = listener.accept(); Channel s = new Channel(accepted, selector)) {
            ByteBuffer in = ByteBuffer.allocateDirect(REQUEST * depth);
            ByteBuffer responses = ByteBuffer.allocateDirect(RESPONSE * depth);
            int partial = 0;
            while (true) {
                in.clear();
                int n = s.read(in);
                if (n < 0) {
                    return;
                }
                int whole = (partial + n) / REQUEST;
                partial = (partial + n) % REQUEST;
                s.writeFully(responses.clear().limit(RESPONSE * whole));
            }
        } catch (IOException e) {
            // the client went away: the run reports what it measured
        }
    }

    /** A socket read and written either blocking or through its own selector. */
    private static final class Channel implements AutoCloseable {
        private final SocketChannel socket;
        private final Selector selector;
        private final SelectionKey key;

        Channel(SocketChannel socket, boolean useSelector) throws IOException {
            this.socket = socket;
            socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (useSelector) {
                socket.configureBlocking(false);
                selector = Selector.open();
                key = socket.register(selector, SelectionKey.OP_READ);
            } else {
                selector = null;
                key = null;
            }
        }

        /** Whatever has arrived, waiting for some; -1 at the end of the stream. */
        int read(ByteBuffer b) throws IOException {
            int n = socket.read(b);
            while (n == 0 && selector != null) {
                selector.select();
                selector.selectedKeys().clear();
                n = socket.read(b);
            }
            return n;
        }

        void writeFully(ByteBuffer b) throws IOException {
            while (b.hasRemaining()) {
                if (socket.write(b) == 0 && selector != null) {
                    key.interestOps(SelectionKey.OP_WRITE);
                    selector.select();
                    selector.selectedKeys().clear();
                    key.interestOps(SelectionKey.OP_READ);
                }
            }
        }

        @Override
        public void close() throws IOException {
            if (selector != null) {
                selector.close();
            }
        }
    }
}
