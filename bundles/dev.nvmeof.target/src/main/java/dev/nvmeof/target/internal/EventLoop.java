package dev.nvmeof.target.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import dev.nvmeof.target.ListenerSecurity;

/**
 * One NIO selector thread owning a set of connections (and, on the first loop, the listening sockets). Everything a
 * connection does runs here; other threads hand work over with {@link #execute}. Deadlines are checked every
 * {@link #TURN_MILLIS} ms. Nothing a connection does can end the loop: a failure while serving it closes that
 * connection only.
 */
final class EventLoop implements Runnable {
    static final long TURN_MILLIS = 50;
    /** One receive buffer per loop: the decoder consumes every byte it is given, so nothing stays in it. */
    private static final int READ_BUFFER = 64 * 1024;

    private final Engine engine;
    private final Selector selector;
    /** Ready keys are handed over as the selector finds them: no selected-key set, iterator or entry per event. */
    private final Consumer<SelectionKey> dispatcher = this::dispatch;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final List<Connection> connections = new ArrayList<>();
    private final AtomicInteger ioLoad = new AtomicInteger();
    /** The peer address of each open connection, readable from any thread. */
    private final Map<Connection, InetSocketAddress> peers =
            new ConcurrentHashMap<>();
    final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER).order(ByteOrder.LITTLE_ENDIAN);
    /** R2T data buffers of this loop's connections. */
    final BufferPool buffers = new BufferPool();
    private long nextDeadlineCheck = System.nanoTime();
    private volatile boolean running = true;

    EventLoop(Engine engine, int index) throws IOException {
        this.engine = engine;
        this.selector = Selector.open();
        this.thread = new Thread(this, "nvmeof-target-loop-" + index);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    void execute(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    int connectionCount() {
        return connections.size();
    }

    /**
     * Connections on this loop that may carry I/O: every one from its accept until its Connect names the admin
     * queue (or it closes). Read and counted by the accepting thread, dropped on this loop.
     */
    int ioLoad() {
        return ioLoad.get();
    }

    void addIoLoad() {
        ioLoad.incrementAndGet();
    }

    void dropIoLoad() {
        ioLoad.decrementAndGet();
    }

    /** Takes over an accepted connection counted against the caps; {@code remote} is released when it closes. */
    void register(SocketChannel channel, InetAddress remote, ListenerSecurity security) {
        Connection connection = null;
        try {
            connection = new Connection(engine, this, channel, remote, security);
            connection.key = channel.register(selector, SelectionKey.OP_READ, connection);
            connections.add(connection);
            peers.put(connection, (InetSocketAddress) channel.getRemoteAddress());
        } catch (IOException | RuntimeException | OutOfMemoryError e) {
            if (connection != null) {
                connection.close();
            } else {
                closeQuietly(channel);
                engine.released(remote);
                dropIoLoad();
            }
        }
    }

    void listen(ServerSocketChannel server) throws IOException {
        server.register(selector, SelectionKey.OP_ACCEPT, server);
    }

    Collection<InetSocketAddress> peers() {
        return peers.values();
    }

    void removed(Connection connection) {
        connections.remove(connection);
        peers.remove(connection);
    }

    @Override
    public void run() {
        while (running) {
            try {
                selector.select(dispatcher, TURN_MILLIS);
                runTasks();
                long now = System.nanoTime();
                if (now - nextDeadlineCheck >= 0) {
                    nextDeadlineCheck = now + TimeUnit.MILLISECONDS.toNanos(TURN_MILLIS);
                    checkDeadlines();
                }
            } catch (IOException | RuntimeException | Error e) {
                // Not a connection's doing (those are caught in dispatch): log it and keep serving.
                engine.log(System.Logger.Level.ERROR, "event loop failed: " + e, e);
            }
        }
        for (Connection connection : new ArrayList<>(connections)) {
            connection.close();
        }
        try {
            selector.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void dispatch(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        Object attachment = key.attachment();
        if (attachment instanceof ServerSocketChannel) {
            accept((ServerSocketChannel) attachment);
            return;
        }
        Connection connection = (Connection) attachment;
        try {
            if (key.isWritable()) {
                connection.onWritable();
            }
            if (key.isValid() && key.isReadable()) {
                connection.onReadable(readBuffer);
            }
        } catch (RuntimeException | Error e) {
            // This connection's input led here (an OutOfMemoryError allocating its buffers, a bug): it goes, the
            // loop and every other connection stay.
            engine.log(System.Logger.Level.ERROR, "closing connection " + connection.describe() + ": " + e, e);
            closeAfterFailure(connection);
        }
    }

    private void closeAfterFailure(Connection connection) {
        try {
            connection.close();
        } catch (RuntimeException | Error e) {
            engine.log(System.Logger.Level.ERROR, "closing a failed connection failed: " + e, e);
        }
    }

    private void accept(ServerSocketChannel server) {
        try {
            SocketChannel channel;
            while ((channel = server.accept()) != null) {
                engine.assign(channel, engine.securityOf(server));
            }
        } catch (IOException e) {
            engine.acceptFailed(e);
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                engine.log(System.Logger.Level.ERROR, "event loop task failed: " + e, e);
            }
        }
    }

    /**
     * Handshake and keep-alive deadlines, checked only after the input already waiting in the sockets was read: a
     * loop that was busy (or a JVM that paused) must not tear down a host whose Keep Alive is sitting in its socket.
     */
    void checkDeadlines() {
        try {
            selector.selectNow(dispatcher);
        } catch (IOException e) {
            engine.log(System.Logger.Level.WARNING, "reading pending input before the deadline check failed: " + e);
        }
        long now = engine.clock().nanoTime();
        for (Connection connection : new ArrayList<>(connections)) {
            try {
                connection.checkDeadlines(now);
            } catch (RuntimeException | Error e) {
                engine.log(System.Logger.Level.ERROR, "closing connection " + connection.describe() + ": " + e, e);
                closeAfterFailure(connection);
            }
        }
    }

    void shutdown() {
        running = false;
        selector.wakeup();
        if (!inLoop()) {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // closing after a failure: nothing more to do
        }
    }
}
