package dev.nvmeof.host.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.NvmeException;
import dev.nvmeof.api.NvmeTransportException;
import dev.nvmeof.api.OptionPolicy;
import dev.nvmeof.protocol.AdminCommands;
import dev.nvmeof.protocol.AdminOpcode;
import dev.nvmeof.protocol.ControllerProperty;
import dev.nvmeof.protocol.FabricsCommandType;
import dev.nvmeof.protocol.FabricsCommands;
import dev.nvmeof.protocol.SubmissionQueueEntryFlyweight;
import dev.nvmeof.spi.transport.QueueCallbacks;
import dev.nvmeof.spi.transport.QueueParameters;
import dev.nvmeof.spi.transport.Transport;
import dev.nvmeof.spi.transport.TransportAssociation;
import dev.nvmeof.spi.transport.TransportLimits;
import dev.nvmeof.spi.transport.TransportQueue;
import dev.nvmeof.spi.transport.TransportRequest;

/**
 * A transport whose queues answer from a {@link FakeTarget}: synchronously inside {@code submit} (the default) or
 * when the test says ({@link #completePending()}); it can drop completions, fail a queue, and refuse associations.
 * Admin and Connect commands are recorded by name ({@link #commands()}); I/O commands only counted. Asynchronous
 * Event Requests are held until {@link #asyncEvent(int)} completes one, as a controller holds them.
 */
final class FakeTransport implements Transport {
    final FakeTarget target;
    volatile TransportLimits limits = new TransportLimits(8, 1 << 20, 1, false);
    volatile boolean autoComplete = true;
    /** Hold I/O completions (not admin or Fabrics ones) until {@link #completePending()}. */
    volatile boolean holdIo;
    /** The next this many I/O commands complete with {@link #failIoStatus} instead of executing. */
    final java.util.concurrent.atomic.AtomicInteger failIo = new java.util.concurrent.atomic.AtomicInteger();
    volatile int failIoStatus;
    /** Commands (by recorded name) whose completion is dropped: they stay outstanding until the queue dies. */
    volatile Predicate<String> drop = name -> false;
    /** Drop every I/O completion. */
    volatile boolean dropIo;
    /** How many of the next associations fail as unreachable. */
    volatile int refuseAssociations;
    private final List<String> commands = new ArrayList<>();
    private final List<FakeQueue> queues = new ArrayList<>();
    private final List<QueueParameters> parameters = new ArrayList<>();
    /** I/O commands by QID; an array, since the fake's I/O path allocates nothing. */
    private final int[] ioByQueue = new int[1024];
    private int ioCommands;
    private int associations;

    FakeTransport(FakeTarget target) {
        this.target = target;
    }

    @Override
    public String name() {
        return "fake";
    }

    @Override
    public OptionPolicy optionPolicy() {
        return new OptionPolicy("fake", Set.of("traddr", "trsvcid", "reconnect_delay", "ctrl_loss_tmo",
                "hdr_digest", "data_digest", "nr_write_queues", "nr_poll_queues"), Set.of("traddr"));
    }

    @Override
    public TransportAssociation associate(ConnectOptions options) throws NvmeException {
        synchronized (this) {
            associations++;
            if (refuseAssociations > 0) {
                refuseAssociations--;
                throw NvmeTransportException.unreachable(options.traddr() + ":" + options.trsvcid(), null);
            }
        }
        target.newAssociation();
        return new Association();
    }

    synchronized List<String> commands() {
        return List.copyOf(commands);
    }

    synchronized void clearCommands() {
        commands.clear();
    }

    synchronized int ioCommands() {
        return ioCommands;
    }

    /** I/O commands sent on queue {@code qid} (any association). */
    synchronized int ioCommands(int qid) {
        return ioByQueue[qid];
    }

    synchronized int associations() {
        return associations;
    }

    synchronized List<QueueParameters> queueParameters() {
        return List.copyOf(parameters);
    }

    /** The newest queue with {@code qid}. */
    synchronized FakeQueue queue(int qid) {
        for (int i = queues.size() - 1; i >= 0; i--) {
            if (queues.get(i).qid == qid) {
                return queues.get(i);
            }
        }
        throw new IllegalArgumentException("no queue " + qid);
    }

    /**
     * Completes the oldest Asynchronous Event Request held on the newest admin queue with {@code dw0}.
     *
     * @return false when none is held
     */
    boolean asyncEvent(int dw0) {
        return queue(0).completeAsyncEvent(dw0);
    }

    /** Asynchronous Event Requests held on the newest admin queue. */
    int asyncEventRequests() {
        return queue(0).heldAsyncEvents();
    }

    /** Completes every request held back (not the dropped ones) on every open queue. */
    void completePending() {
        List<FakeQueue> open;
        synchronized (this) {
            open = List.copyOf(queues);
        }
        for (FakeQueue queue : open) {
            queue.completePending();
        }
    }

    /** Waits (bounded) until a command whose name starts with {@code prefix} was seen. */
    synchronized boolean awaitCommand(String prefix, long millis) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000;
        while (commands.stream().noneMatch(c -> c.startsWith(prefix))) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    private synchronized boolean record(int qid, SubmissionQueueEntryFlyweight sqe, boolean io) {
        if (io) {
            ioCommands++;
            ioByQueue[qid]++;
            return dropIo;
        }
        String name = "q" + qid + " " + describe(sqe);
        commands.add(name);
        notifyAll();
        return drop.test(name);
    }

    static String describe(SubmissionQueueEntryFlyweight sqe) {
        int opcode = sqe.opcode();
        if (opcode == AdminOpcode.FABRICS.code()) {
            int fctype = sqe.fctype();
            if (fctype == FabricsCommandType.CONNECT.code()) {
                return "Connect qid=" + FabricsCommands.qid(sqe) + " sqsize=" + FabricsCommands.sqsize(sqe)
                        + " kato=" + FabricsCommands.kato(sqe);
            }
            String property = ControllerProperty.of(FabricsCommands.propertyOffset(sqe)).name();
            if (fctype == FabricsCommandType.PROPERTY_GET.code()) {
                return "Property Get " + property;
            }
            return "Property Set " + property + " 0x" + Long.toHexString(FabricsCommands.propertyValue(sqe));
        }
        if (opcode == AdminOpcode.IDENTIFY.code()) {
            return "Identify CNS " + AdminCommands.identifyCns(sqe) + " nsid " + sqe.nsid();
        }
        if (opcode == AdminOpcode.SET_FEATURES.code()) {
            return "Set Features " + AdminCommands.featureId(sqe) + " 0x" + Integer.toHexString(sqe.cdw11());
        }
        if (opcode == AdminOpcode.KEEP_ALIVE.code()) {
            return "Keep Alive";
        }
        if (opcode == AdminOpcode.ASYNC_EVENT_REQUEST.code()) {
            return "Async Event Request";
        }
        if (opcode == AdminOpcode.GET_LOG_PAGE.code()) {
            return "Get Log Page " + AdminCommands.logPageId(sqe) + " nsid 0x" + Integer.toHexString(sqe.nsid())
                    + " rae=" + (AdminCommands.isRetainAsyncEvent(sqe) ? 1 : 0);
        }
        return "opcode 0x" + Integer.toHexString(opcode);
    }

    private final class Association implements TransportAssociation {
        @Override
        public TransportLimits limits() {
            return limits;
        }

        @Override
        public TransportQueue createQueue(QueueParameters p, QueueCallbacks callbacks) {
            FakeQueue queue = new FakeQueue(p.qid(), p.polled(), callbacks);
            synchronized (FakeTransport.this) {
                queues.add(queue);
                parameters.add(p);
            }
            return queue;
        }

        @Override
        public String describe() {
            return "fake";
        }

        @Override
        public void close() {
        }
    }

    /** A queue of the fake; a polled one keeps every completion, Connect's too, until {@link #poll()}. */
    final class FakeQueue implements TransportQueue {
        final int qid;
        final boolean polled;
        private final QueueCallbacks callbacks;
        private final List<TransportRequest> completions = new ArrayList<>();
        private final List<TransportRequest> pending = new ArrayList<>();
        private final List<TransportRequest> dropped = new ArrayList<>();
        private final List<TransportRequest> asyncEvents = new ArrayList<>();
        private boolean dead;

        FakeQueue(int qid, boolean polled, QueueCallbacks callbacks) {
            this.qid = qid;
            this.polled = polled;
            this.callbacks = callbacks;
        }

        @Override
        public int qid() {
            return qid;
        }

        /** Requests a batch held back, sent at its last one or at commit like a real transport. */
        private final List<TransportRequest> held = new ArrayList<>();
        /** Per send of held requests: how many went together, and whether a commit sent them. */
        final List<String> batches = new ArrayList<>();

        @Override
        public void submit(TransportRequest request, boolean last) {
            synchronized (this) {
                held.add(request);
            }
            if (last) {
                send("last");
            }
        }

        @Override
        public void commit() {
            send("commit");
        }

        private void send(String how) {
            List<TransportRequest> now;
            synchronized (this) {
                if (held.isEmpty()) {
                    return;
                }
                now = new ArrayList<>(held);
                held.clear();
                batches.add(now.size() + " at " + how);
            }
            now.forEach(this::submit);
        }

        @Override
        public void submit(TransportRequest request) {
            boolean io = qid != 0 && request.sqe().opcode() != AdminOpcode.FABRICS.code();
            boolean drop = record(qid, request.sqe(), io);
            synchronized (this) {
                if (dead) {
                    return;
                }
                if (drop) {
                    dropped.add(request);
                    return;
                }
                if (qid == 0 && request.sqe().opcode() == AdminOpcode.ASYNC_EVENT_REQUEST.code()) {
                    asyncEvents.add(request);
                    return;
                }
                if (!autoComplete || (io && holdIo)) {
                    pending.add(request);
                    return;
                }
                if (polled) {
                    target.execute(qid, request);
                    completions.add(request);
                    return;
                }
            }
            if (io && failIo.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                request.complete(failIoStatus, 0, 0);
            } else {
                target.execute(qid, request);
            }
            callbacks.completed(request);
        }

        /** Completions a poll would reap now. */
        synchronized int reapable() {
            return completions.size();
        }

        void completePending() {
            List<TransportRequest> now;
            synchronized (this) {
                if (dead) {
                    return;
                }
                now = new ArrayList<>(pending);
                pending.clear();
            }
            for (TransportRequest request : now) {
                target.execute(qid, request);
                callbacks.completed(request);
            }
        }

        boolean completeAsyncEvent(int dw0) {
            TransportRequest request;
            synchronized (this) {
                if (dead || asyncEvents.isEmpty()) {
                    return false;
                }
                request = asyncEvents.remove(0);
            }
            request.complete(0, dw0, 0);
            callbacks.completed(request);
            return true;
        }

        synchronized int heldAsyncEvents() {
            return asyncEvents.size();
        }

        synchronized int outstanding() {
            return pending.size() + dropped.size();
        }

        /** The connection dies: nothing completes any more, the core is told once. */
        void fail(String why) {
            synchronized (this) {
                dead = true;
                pending.clear();
                dropped.clear();
                asyncEvents.clear();
                completions.clear();
            }
            callbacks.failed(NvmeTransportException.connectionLost(why, null));
        }

        @Override
        public int poll() {
            int reaped = 0;
            for (;;) { // one at a time and outside the monitor, allocating nothing, as a transport's reap does
                TransportRequest request;
                synchronized (this) {
                    if (dead || completions.isEmpty()) {
                        return reaped;
                    }
                    request = completions.remove(0);
                }
                callbacks.completed(request);
                reaped++;
            }
        }

        @Override
        public synchronized void drain() {
            dead = true;
            completions.clear();
            pending.clear();
            dropped.clear();
            asyncEvents.clear();
        }

        @Override
        public void close() {
            drain();
        }
    }
}
