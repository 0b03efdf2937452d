package dev.nvmeof.target.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One NIO selector thread owning a set of connections (and, on the first loop, the listening sockets). Everything a
 * connection does runs here; other threads hand work over with {@link #execute}. Deadlines are checked on every turn,
 * at least every {@link #TURN_MILLIS} ms.
 */
final class EventLoop implements Runnable {
    static final long TURN_MILLIS = 50;
    /** One receive buffer per loop: the decoder consumes every byte it is given, so nothing stays in it. */
    private static final int READ_BUFFER = 64 * 1024;

    private final Engine engine;
    private final Selector selector;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final List<Connection> connections = new ArrayList<>();
    /** The peer address of each open connection, readable from any thread. */
    private final Map<Connection, InetSocketAddress> peers =
            new ConcurrentHashMap<>();
    final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER).order(ByteOrder.LITTLE_ENDIAN);
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

    void register(SocketChannel channel) {
        try {
            Connection connection = new Connection(engine, this, channel);
            connection.key = channel.register(selector, SelectionKey.OP_READ, connection);
            connections.add(connection);
            peers.put(connection, (InetSocketAddress) channel.getRemoteAddress());
        } catch (IOException e) {
            closeQuietly(channel);
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
                selector.select(TURN_MILLIS);
                runTasks();
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    dispatch(key);
                }
                checkDeadlines();
            } catch (IOException e) {
                engine.log(System.Logger.Level.ERROR, "event loop failed: " + e);
            } catch (RuntimeException e) {
                engine.log(System.Logger.Level.ERROR, "event loop task failed: " + e);
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
        if (key.isWritable()) {
            connection.onWritable();
        }
        if (key.isValid() && key.isReadable()) {
            connection.onReadable(readBuffer);
        }
    }

    private void accept(ServerSocketChannel server) {
        try {
            SocketChannel channel;
            while ((channel = server.accept()) != null) {
                engine.assign(channel);
            }
        } catch (IOException e) {
            engine.log(System.Logger.Level.WARNING, "accept failed: " + e);
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            try {
                task.run();
            } catch (RuntimeException e) {
                engine.log(System.Logger.Level.ERROR, "event loop task failed: " + e);
            }
        }
    }

    void checkDeadlines() {
        long now = engine.clock().nanoTime();
        for (Connection connection : new ArrayList<>(connections)) {
            connection.checkDeadlines(now);
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
