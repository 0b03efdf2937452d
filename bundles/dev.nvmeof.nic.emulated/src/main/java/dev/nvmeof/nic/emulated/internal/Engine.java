package dev.nvmeof.nic.emulated.internal;

import dev.nvmeof.protocol.log.Log;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import dev.nvmeof.protocol.HandOff;
import dev.nvmeof.protocol.NanoClock;

/**
 * The offload engine of one NIC function: a single thread running a selector. It owns every socket and all
 * receive/send state; drivers reach it only through doorbells and tasks. Per loop: run tasks, serve ready sockets,
 * consume rung rings, check deadlines, then notify each queue pair with new completions once. A turn allocates
 * nothing (ready keys are visited without an iterator, lists walked by index); time comes from an injected clock.
 */
final class Engine implements Runnable, AutoCloseable {
    private final Selector selector;
    private final Thread thread;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /**
     * Queue pairs whose doorbell rang, as an intrusive stack through {@link EngineQueuePair#rungNext}: a doorbell
     * costs one CAS and no allocation (a ring is pushed at most once per batch: {@link Rings#ringDoorbell}).
     */
    private final AtomicReference<EngineQueuePair> rung = new AtomicReference<>();
    private final List<EngineQueuePair> queuePairs = new ArrayList<>();
    private final List<EngineQueuePair> toNotify = new ArrayList<>();
    final EngineCounters counters = new EngineCounters();
    final NanoClock clock;
    private final Consumer<SelectionKey> onReady = key -> {
        selecting = false; // the select returned: it does not block again in this turn
        ((EngineQueuePair) key.attachment()).onReady(key);
    };
    private volatile boolean running = true;
    /**
     * Set before the engine's last look at its doorbells and tasks and cleared after its select: a doorbell wakes the
     * selector only then (one eventfd write, and one read to clear it); otherwise the engine is mid-turn and finds the
     * rung queue pair when it looks. Both sides write, then read the other's flag: one of them sees the other.
     */
    private volatile boolean selecting;
    /** Completed when the engine thread is done: no task handed over from then on will run. */
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();

    Engine(String name) {
        this(name, NanoClock.SYSTEM);
    }

    Engine(String name, NanoClock clock) {
        this.clock = clock;
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        thread = new Thread(this, name);
        thread.setDaemon(true);
        thread.start();
    }

    EngineCounters counters() {
        return counters;
    }

    Selector selector() {
        return selector;
    }

    boolean inEngine() {
        return Thread.currentThread() == thread;
    }

    /** Runs {@code task} on the engine thread. */
    void execute(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    /**
     * Runs {@code task} on the engine thread and waits at most {@code timeoutMillis}: true once it ran; false when the
     * time ran out or the engine stopped first.
     */
    boolean runAndWait(Runnable task, long timeoutMillis) throws InterruptedException {
        return HandOff.runAndWait(thread, this::execute, task, stopped, timeoutMillis);
    }

    /** A doorbell found the ring not yet due: pushed for the engine, which is woken only if it waits in select. */
    void doorbell(EngineQueuePair qp) {
        EngineQueuePair top;
        do {
            top = rung.get();
            qp.rungNext = top;
        } while (!rung.compareAndSet(top, qp));
        if (selecting && !inEngine()) {
            counters.doorbellWakeups.incrementAndGet();
            selector.wakeup();
        }
    }

    void register(EngineQueuePair qp) {
        queuePairs.add(qp);
    }

    void unregister(EngineQueuePair qp) {
        queuePairs.remove(qp);
    }

    List<EngineQueuePair> queuePairsSnapshot() {
        return List.copyOf(queuePairs);
    }

    /** A queue pair published completions in this batch: notify it once at the end of the batch. */
    void completionsPublished(EngineQueuePair qp) {
        if (!qp.notifyPending) {
            qp.notifyPending = true;
            toNotify.add(qp);
        }
    }

    /** Serves the rung queue pairs in the order their doorbells rang. */
    private void consumeRung() {
        EngineQueuePair reversed = null;
        for (EngineQueuePair qp = rung.getAndSet(null); qp != null; ) {
            EngineQueuePair next = qp.rungNext;
            qp.rungNext = reversed;
            reversed = qp;
            qp = next;
        }
        while (reversed != null) {
            EngineQueuePair next = reversed.rungNext; // read first: once served, the pair may be rung again
            reversed.rungNext = null;
            reversed.consumeSubmissions();
            reversed = next;
        }
    }

    @Override
    public void run() {
        while (running) {
            try {
                long timeout = nextTimeoutMillis();
                selecting = true;
                try {
                    if (tasks.isEmpty() && rung.get() == null) {
                        selector.select(onReady, timeout);
                    } else {
                        selector.selectNow(onReady);
                    }
                } finally {
                    selecting = false;
                }
                for (Runnable t; (t = tasks.poll()) != null; ) {
                    t.run();
                }
                consumeRung();
                long now = clock.nanoTime();
                for (int i = queuePairs.size() - 1; i >= 0; i--) { // backwards: a queue pair may leave meanwhile
                    if (i < queuePairs.size()) {
                        queuePairs.get(i).checkDeadline(now);
                    }
                }
                for (int i = 0; i < toNotify.size(); i++) {
                    EngineQueuePair qp = toNotify.get(i);
                    qp.notifyPending = false;
                    qp.notifyCompletions();
                }
                toNotify.clear();
            } catch (IOException | RuntimeException | Error e) {
                // a bug in one queue pair must not stop the NIC: the queue pairs fail themselves on their own errors
                Log.get(Engine.class.getName()).log(System.Logger.Level.ERROR, "NIC engine loop", e);
            }
        }
        for (EngineQueuePair qp : List.copyOf(queuePairs)) {
            qp.fail(new IOException("NIC function stopped"));
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing
        }
        stopped.complete(null); // what is handed over from now on never runs
    }

    private long nextTimeoutMillis() {
        long now = clock.nanoTime();
        long min = Long.MAX_VALUE;
        for (int i = 0; i < queuePairs.size(); i++) {
            long d = queuePairs.get(i).deadline();
            if (d != Long.MAX_VALUE) {
                min = Math.min(min, Math.max(1, (d - now) / 1_000_000 + 1));
            }
        }
        return min == Long.MAX_VALUE ? 0 : min;
    }

    @Override
    public void close() {
        running = false;
        selector.wakeup();
        if (!inEngine()) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
