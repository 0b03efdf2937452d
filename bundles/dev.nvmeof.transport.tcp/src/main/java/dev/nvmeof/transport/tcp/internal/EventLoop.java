package dev.nvmeof.transport.tcp.internal;

import dev.nvmeof.protocol.log.Log;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.nvmeof.protocol.HandOff;
import dev.nvmeof.protocol.NanoClock;

/**
 * One NIO selector on one thread: the owner of the receive side of its queues. Its duty cycle reads every ready
 * socket (decoding and completing on this thread), flushes sockets that had backed up, runs tasks handed over by
 * other threads (queue registration, drain, close) and checks handshake deadlines against the injected clock.
 *
 * <p>Nothing here allocates per I/O: {@link Selector#select(Consumer, long)} visits ready keys without an iterator,
 * and the key handler is one preallocated object. Tasks are control plane (one per queue creation or drain).
 */
final class EventLoop implements Runnable {
    /** Something a loop serves: a queue's connection. */
    interface Handler {
        /** The key is ready for the operations in {@code readyOps}. */
        void onReady(SelectionKey key);

        /** The deadline (clock nanos) this handler waits for, checked every cycle; {@code Long.MAX_VALUE} for none. */
        long deadline();

        /** The deadline passed. */
        void onDeadline();

        /** The loop stops (the transport closes): nothing more will be served. */
        void onLoopClosed();
    }

    private static final System.Logger LOG = Log.get(EventLoop.class.getName());

    private final Selector selector;
    private final NanoClock clock;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** Handlers with a deadline (queues in their handshake); loop thread only. */
    private final List<Handler> timed = new ArrayList<>();
    private final Consumer<SelectionKey> onKey = key -> ((Handler) key.attachment()).onReady(key);
    private volatile boolean running = true;
    /** Completed when the loop thread is done: no task handed over from then on will run. */
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();

    EventLoop(String name, NanoClock clock) {
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector", e);
        }
        this.clock = clock;
        this.thread = new Thread(this, name);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    Selector selector() {
        return selector;
    }

    Thread thread() {
        return thread;
    }

    /** Whether the loop still serves (false once {@link #shutdown} began). */
    boolean running() {
        return running;
    }

    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Runs {@code task} on the loop thread: now when called there, otherwise soon (waking the selector). */
    void execute(Runnable task) {
        if (inLoop()) {
            task.run();
            return;
        }
        tasks.add(task);
        selector.wakeup();
    }

    /**
     * Runs {@code task} on the loop and waits for it, at most {@code timeoutMillis}: true once it ran; false when the
     * time ran out or the loop stopped first (a task handed over after its last turn never runs, and the caller must
     * not wait for it).
     */
    boolean runAndWait(Runnable task, long timeoutMillis) throws InterruptedException {
        return HandOff.runAndWait(thread, this::execute, task, stopped, timeoutMillis);
    }

    /** Watches {@code handler}'s deadline until {@link #untime}; loop thread only. */
    void time(Handler handler) {
        timed.add(handler);
    }

    void untime(Handler handler) {
        timed.remove(handler);
    }

    /** Wakes the selector, e.g. after another thread changed a key's interest set. */
    void wakeup() {
        selector.wakeup();
    }

    @Override
    public void run() {
        while (running) {
            try {
                selector.select(onKey, selectTimeoutMillis());
            } catch (IOException | RuntimeException | Error e) {
                // Handlers catch their own errors (and fail their queue); this is the last resort, keeping the loop
                // alive for the other queues.
                LOG.log(System.Logger.Level.ERROR, "event loop " + thread.getName() + ": " + e, e);
            }
            runTasks();
            try {
                checkDeadlines();
            } catch (RuntimeException | Error e) {
                LOG.log(System.Logger.Level.ERROR, "event loop " + thread.getName() + " deadline check: " + e, e);
            }
        }
        runTasks();
        // A queue still connecting (or live) would otherwise wait for a loop that is gone.
        for (SelectionKey key : selector.keys()) {
            try {
                ((Handler) key.attachment()).onLoopClosed();
            } catch (RuntimeException | Error e) {
                LOG.log(System.Logger.Level.ERROR, "event loop " + thread.getName() + " closing a queue: " + e, e);
            }
        }
        try {
            selector.close();
        } catch (IOException e) {
            // closing: nothing left to tell
        }
        stopped.complete(null);
    }

    /** Runs the handed-over tasks; one that throws is logged and the others (and the loop) carry on. */
    private void runTasks() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                LOG.log(System.Logger.Level.ERROR, "event loop " + thread.getName() + " task failed: " + e, e);
            }
        }
    }

    private long selectTimeoutMillis() {
        if (timed.isEmpty()) {
            return 0; // no deadline: block until I/O or a task
        }
        long now = clock.nanoTime();
        long nearest = Long.MAX_VALUE;
        for (int i = 0; i < timed.size(); i++) {
            long left = timed.get(i).deadline() - now;
            nearest = Math.min(nearest, Math.max(0, left));
        }
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(nearest) + 1);
    }

    private void checkDeadlines() {
        if (timed.isEmpty()) {
            return;
        }
        long now = clock.nanoTime();
        for (int i = timed.size() - 1; i >= 0; i--) {
            Handler handler = timed.get(i);
            if (handler.deadline() - now <= 0) {
                timed.remove(i);
                handler.onDeadline();
            }
        }
    }

    /** Stops the loop; it closes its selector on the way out. Waits at most {@code timeoutMillis} for the thread. */
    void shutdown(long timeoutMillis) {
        running = false;
        selector.wakeup();
        if (!inLoop()) {
            try {
                thread.join(timeoutMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
