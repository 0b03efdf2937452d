package dev.nvmeof.host.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;

import dev.nvmeof.api.IoRequest;
import dev.nvmeof.api.NvmeTransportException;
import dev.nvmeof.protocol.CommandIds;
import dev.nvmeof.protocol.DsmRangeFlyweight;
import dev.nvmeof.protocol.NanoClock;
import dev.nvmeof.protocol.NvmeStatus;
import dev.nvmeof.spi.transport.QueueCallbacks;
import dev.nvmeof.spi.transport.TransportQueue;
import dev.nvmeof.spi.transport.TransportRequest;

/**
 * One request queue of a controller (blk-mq's hardware context plus {@code nvme_tcp_queue}'s request side): a
 * {@link TagSet}, one preallocated {@link TransportRequest} per tag (CID = tag and a generation, {@link CommandIds}),
 * a {@link RequestTimer}, and a {@link Backlog} for requests that find every tag taken.
 *
 * <p><b>Owners.</b> A tag holds a {@link RequestOwner} and, for caller I/O, the caller's {@link IoRequest} beside it,
 * in arrays indexed by tag; each {@code TransportRequest}'s attachment is its tag (boxed once). The submit path of an
 * {@code IoRequest} allocates nothing: tag, SQE, data, timer, transport.
 *
 * <p><b>Full queue.</b> A request that finds no free tag waits in the FIFO {@link Backlog} (sized
 * {@link #BACKLOG_PER_TAG} entries per tag at first, growing with what callers submit) and starts as tags free up,
 * as a block layer queues: no request is refused because the queue is full.
 *
 * <p><b>Threads.</b> Any thread may submit; completions come on transport threads; the timer is checked by the
 * controller's work loop. Tags, timer, backlog and the hand-over to {@link TransportQueue#submit} are guarded by
 * this object's monitor (short sections, no blocking: the SPI's {@code submit} never blocks), so a teardown cannot
 * slip between a tag being taken and its request reaching the transport. Callers' callbacks run outside the monitor,
 * except when a transport completes synchronously inside {@code submit}: then they run on the submitting thread,
 * which holds it (the monitor is reentrant).
 */
final class HostQueue implements QueueCallbacks {
    /** Backlog entries per tag to start with. */
    static final int BACKLOG_PER_TAG = 4;
    /** How often a command that failed without DNR is sent again (Linux {@code nvme_max_retries}). */
    static final int MAX_RETRIES = 5;

    /** What a queue tells its controller. */
    interface Listener {
        /** The transport reported the queue dead ({@link QueueCallbacks#failed}); called at most once. */
        void queueFailed(HostQueue queue, NvmeTransportException cause);
    }

    private final int qid;
    private final Duration timeout;
    private final long timeoutNanos;
    private final Listener listener;
    private final TagSet tags;
    private final RequestTimer timer;
    private final TransportRequest[] requests;
    private final RequestOwner[] owners;
    /** The caller's request beside its owner; null for a {@link Command}. */
    private final IoRequest[] ioRequests;
    private final long[] submitters;
    /** The owner was already completed (timed out while not LIVE); the late completion only frees the tag. */
    private final boolean[] abandoned;
    /** How often the request on each tag was sent again after an error without DNR. */
    private final int[] retries;
    /** Each tag's generation, counted up whenever the tag carries a command again (its CID's upper bits). */
    private final int[] generations;
    private final ByteBuffer[] dsmRanges;
    private final Backlog backlog;
    private final AtomicBoolean failed = new AtomicBoolean();
    private final IntConsumer onExpired = this::onExpired;
    /** Written under the monitor; volatile for {@link #poll()}, which reads them without it. */
    private volatile TransportQueue transport;
    private volatile boolean closed;
    private volatile boolean polled;
    /** What one {@link #checkTimeouts} found expired while not LIVE, completed once it left the monitor. */
    private List<PendingRequest> timedOutNotLive;
    private boolean expiredWhileLive;
    private boolean live;
    /** The thread running a caller's completion callback of this queue, while it does; else null. */
    private Thread delivering;

    /**
     * @param size     tags, the queue size
     * @param reserved tags kept for the core's own commands (Connect; Keep Alive on the admin queue)
     * @param timeout  the command timeout (I/O 30 s, admin 60 s)
     */
    HostQueue(int qid, int size, int reserved, Duration timeout, NanoClock clock, Listener listener) {
        this.qid = qid;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.timeoutNanos = timeout.toNanos();
        this.listener = Objects.requireNonNull(listener, "listener");
        this.tags = new TagSet(size, reserved);
        this.timer = new RequestTimer(clock, size);
        this.requests = new TransportRequest[size];
        this.owners = new RequestOwner[size];
        this.ioRequests = new IoRequest[size];
        this.submitters = new long[size];
        this.abandoned = new boolean[size];
        this.retries = new int[size];
        this.generations = new int[size];
        this.dsmRanges = new ByteBuffer[size];
        for (int tag = 0; tag < size; tag++) {
            requests[tag] = new TransportRequest().attachment(tag);
            if (qid != 0) {
                dsmRanges[tag] = ByteBuffer.allocate(DsmRangeFlyweight.LENGTH).order(ByteOrder.LITTLE_ENDIAN);
            }
        }
        this.backlog = new Backlog(BACKLOG_PER_TAG * tags.capacity());
    }

    int qid() {
        return qid;
    }

    int size() {
        return tags.size();
    }

    /**
     * Connects the queue to its transport queue, created with this object as its callbacks; {@code polled} when its
     * completions arrive only through {@link #poll()}.
     */
    synchronized void attach(TransportQueue transportQueue, boolean polled) {
        this.transport = transportQueue;
        this.polled = polled;
    }

    /** Whether completions arrive only through {@link #poll()}. */
    boolean polled() {
        return polled;
    }

    /** Whether command timeouts now start recovery (LIVE) or abort the command (not LIVE). */
    synchronized void live(boolean value) {
        this.live = value;
    }

    /** {@link #submit(RequestOwner, IoRequest, long)} for a core command of the calling thread. */
    boolean submit(Command command) {
        return submit(command, null, Thread.currentThread().getId());
    }

    /**
     * Starts a request first submitted by thread {@code submitter}, or backlogs it when every tag is taken.
     *
     * @param io the caller's request for caller I/O, null for a {@link Command}
     * @return false when the queue is torn down (the caller holds on to the request); true when it was taken (sent
     *         or backlogged)
     */
    boolean submit(RequestOwner owner, IoRequest io, long submitter) {
        synchronized (this) {
            if (closed || transport == null) {
                return false;
            }
            int tag = tags.acquire();
            if (tag >= 0) {
                start(tag, owner, io, submitter, true);
                return true;
            }
            backlog.add(owner, io, submitter);
            return true;
        }
    }

    /**
     * Sends {@code command} on reserved tag {@code index} (Connect, Keep Alive) under the command timeout.
     *
     * @return false when the queue is torn down
     * @throws IllegalStateException if that tag is still outstanding
     */
    boolean submitReserved(int index, Command command) {
        return submitReserved(index, command, true);
    }

    /**
     * Sends {@code command} on reserved tag {@code index}; {@code timed} false for a command that may stay
     * outstanding for the life of the association (the Asynchronous Event Request, which Linux does not time either).
     *
     * @return false when the queue is torn down
     * @throws IllegalStateException if that tag is still outstanding
     */
    boolean submitReserved(int index, Command command, boolean timed) {
        synchronized (this) {
            if (closed || transport == null) {
                return false;
            }
            int tag = tags.reservedTag(index);
            if (owners[tag] != null) {
                throw new IllegalStateException("reserved tag " + tag + " of queue " + qid + " is outstanding");
            }
            start(tag, command, null, 0, timed);
            return true;
        }
    }

    /** Holding the monitor. */
    private void start(int tag, RequestOwner owner, IoRequest io, long submitter, boolean timed) {
        TransportRequest request = requests[tag].reset();
        int cid = CommandIds.of(tag, ++generations[tag]);
        owners[tag] = owner;
        ioRequests[tag] = io;
        submitters[tag] = submitter;
        abandoned[tag] = false;
        try {
            owner.prepare(io, request, cid, dsmRanges[tag]);
        } catch (RuntimeException e) {
            // A request the validation let through but the writers refuse: fail it, never the queue.
            free(tag);
            RequestOwner.finish(owner, io, IoCommands.INVALID_FIELD, 0, 0);
            return;
        }
        if (timed) {
            timer.arm(tag, timeoutNanos);
        }
        try {
            SubmitBatch batch = SubmitBatch.current();
            if (batch == null) {
                transport.submit(request);
            } else {
                transport.submit(request, false);
                batch.defer(this);
            }
        } catch (RuntimeException e) {
            // The SPI's submit does not throw; one that does has lost its queue. The request stays ours and is
            // handed back by the teardown recovery starts.
            failed(NvmeTransportException.connectionLost("queue " + qid + " refused a request", e));
        }
    }

    /**
     * Sends what a {@link SubmitBatch} held back on this queue. Outside the monitor: the write is a system call, and
     * the transport thread completing requests meanwhile must not wait for it (a commit after a teardown does
     * nothing: the transport queue is drained).
     */
    void commit() {
        TransportQueue t = transport;
        if (closed || t == null) {
            return;
        }
        try {
            t.commit();
        } catch (RuntimeException e) {
            failed(NvmeTransportException.connectionLost("queue " + qid + " refused a request", e));
        }
    }

    private boolean retryable(RequestOwner owner, int status, int tag) {
        return status != 0 && !NvmeStatus.isDnr(status) && retries[tag] < MAX_RETRIES && !closed
                && owner.requeueable();
    }

    /** Holding the monitor: the tag is free again (reserved tags are never in the free list). */
    private void free(int tag) {
        retries[tag] = 0;
        owners[tag] = null;
        ioRequests[tag] = null;
        abandoned[tag] = false;
        timer.disarm(tag);
        if (!tags.isReserved(tag)) {
            tags.release(tag);
        }
    }

    @Override
    public void completed(TransportRequest request) {
        int tag = (Integer) request.attachment();
        RequestOwner owner;
        IoRequest io;
        boolean late;
        int status;
        int dw0;
        int dw1;
        synchronized (this) {
            owner = owners[tag];
            if (owner == null || requests[tag] != request) {
                return; // nothing of ours: a transport bug; the transport treats unknown CIDs as fatal itself
            }
            io = ioRequests[tag];
            late = abandoned[tag];
            status = request.status();
            dw0 = request.dw0();
            dw1 = request.dw1();
            if (!late && retryable(owner, status, tag)) {
                // Linux nvme_decide_disposition: an error without DNR (a data digest error's Data Transfer Error,
                // say) is retried up to MAX_RETRIES times before the caller sees it. Same tag, sent again.
                retries[tag]++;
                start(tag, owner, io, submitters[tag], true);
                return;
            }
            free(tag);
            startBacklog();
        }
        if (!late) {
            Thread outer = delivering; // a callback's own submission may complete at once, in here
            delivering = Thread.currentThread();
            try {
                RequestOwner.finish(owner, io, status, dw0, dw1);
            } finally {
                delivering = outer;
            }
        }
    }

    /**
     * Whether {@code thread} is delivering a completion of this queue right now (a submission from its callback
     * stays here). Only ever asked with the calling thread, which can see no other thread's value as its own.
     */
    boolean delivers(Thread thread) {
        return delivering == thread;
    }

    /** Holding the monitor: fills free tags from the backlog. */
    private void startBacklog() {
        while (!closed && !backlog.isEmpty() && tags.available() > 0) {
            RequestOwner owner = backlog.headOwner();
            IoRequest io = backlog.headRequest();
            long submitter = backlog.headSubmitter();
            backlog.remove();
            start(tags.acquire(), owner, io, submitter, true);
        }
    }

    /**
     * Reaps the transport queue's completions on the calling thread (a poll queue). Outside the monitor, which each
     * completion takes; 0 once the queue is torn down.
     */
    int poll() {
        TransportQueue t = transport;
        return closed || t == null ? 0 : t.poll();
    }

    @Override
    public void failed(NvmeTransportException cause) {
        if (failed.compareAndSet(false, true)) {
            listener.queueFailed(this, cause);
        }
    }

    /**
     * Checks the command timeouts at {@code now} (the work loop). On a LIVE queue an expired command is left where it
     * is and true is returned: the controller starts error recovery, which requeues it. Otherwise the command is
     * completed at once (an admin command with an {@code NvmeTimeoutException} naming its step, I/O with Host
     * Aborted) and its tag stays taken until the transport answers or the queue is torn down.
     *
     * @return true if a command expired on a LIVE queue
     */
    boolean checkTimeouts(long now) {
        List<PendingRequest> aborted;
        boolean recover;
        synchronized (this) {
            timedOutNotLive = null;
            expiredWhileLive = false;
            timer.expired(now, onExpired);
            aborted = timedOutNotLive;
            recover = expiredWhileLive;
            timedOutNotLive = null;
        }
        if (aborted != null) {
            for (PendingRequest request : aborted) {
                RequestOwner.expire(request.owner(), request.io(), timeout);
            }
        }
        return recover;
    }

    /** Holding the monitor (called from {@link RequestTimer#expired}). */
    private void onExpired(int tag) {
        if (owners[tag] == null || abandoned[tag]) {
            return;
        }
        if (live) {
            expiredWhileLive = true;
            return;
        }
        abandoned[tag] = true;
        if (timedOutNotLive == null) {
            timedOutNotLive = new ArrayList<>();
        }
        timedOutNotLive.add(new PendingRequest(owners[tag], ioRequests[tag], submitters[tag]));
    }

    /**
     * Tears the queue down (error recovery, a failed connect, disconnect): no more submissions, the transport queue
     * drained and closed (blocking), then every request still held, in flight first (by tag) and backlog after, is
     * handed back. Commands already completed because they timed out are dropped. Idempotent.
     */
    List<PendingRequest> teardown() {
        TransportQueue t;
        synchronized (this) {
            closed = true;
            t = transport;
        }
        if (t != null) {
            t.drain(); // outside the monitor: completions that race the drain still take it
            t.close();
        }
        List<PendingRequest> pending = new ArrayList<>();
        synchronized (this) {
            for (int tag = 0; tag < owners.length; tag++) {
                if (owners[tag] != null) {
                    if (!abandoned[tag]) {
                        pending.add(new PendingRequest(owners[tag], ioRequests[tag], submitters[tag]));
                    }
                    free(tag);
                }
            }
            while (!backlog.isEmpty()) {
                pending.add(new PendingRequest(backlog.headOwner(), backlog.headRequest(),
                        backlog.headSubmitter()));
                backlog.remove();
            }
        }
        return pending;
    }

    /** Requests on tags or in the backlog now. */
    synchronized int outstanding() {
        return tags.inUse() + backlog.size();
    }

    @Override
    public String toString() {
        return "queue " + qid;
    }
}
