package dev.nvmeof.host.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.ControllerEvent;
import dev.nvmeof.api.ControllerFailure;
import dev.nvmeof.api.ControllerState;
import dev.nvmeof.api.IoRequest;
import dev.nvmeof.api.NvmeController;
import dev.nvmeof.api.NvmeException;
import dev.nvmeof.api.NvmeNamespace;
import dev.nvmeof.api.NvmeTimeoutException;
import dev.nvmeof.api.NvmeTransportException;
import dev.nvmeof.api.QueueCounts;
import dev.nvmeof.protocol.AdminCommands;
import dev.nvmeof.protocol.AsyncEvent;
import dev.nvmeof.protocol.IdentifyController;
import dev.nvmeof.spi.transport.Transport;
import dev.nvmeof.spi.transport.TransportAssociation;

/**
 * A controller of this host ({@code struct nvme_ctrl} with the fabrics parts): its state machine, the queues of the
 * current association, its namespaces, keep-alive and error recovery ({@link Recovery}).
 *
 * <p><b>Threads.</b> {@link #connect()} and {@link #disconnect()} run on the caller's thread. I/O is submitted from
 * any thread: on a LIVE controller straight to the I/O queue of the submitting thread ({@code thread id mod queue
 * count}, like blk-mq's per-CPU mapping); otherwise it is held by {@link Recovery} until the controller is LIVE again
 * or gives up. Everything timed (command timeouts, keep-alive, reconnect attempts, {@code fast_io_fail_tmo},
 * {@code ctrl_loss_tmo}) happens in {@link #doWork(long)}, called by one thread only: a {@link ControllerWorker} in
 * production, the test itself after advancing a manual clock.
 *
 * <p><b>Asynchronous events.</b> While LIVE the admin queue keeps one Asynchronous Event Request outstanding on a
 * reserved, untimed tag; it is sent again after each completion (and by every new association). A Namespace
 * Attribute Changed notice, and every reconnect, starts a {@link NamespaceScan} from the work loop; its result
 * updates {@link #namespaces()} and the {@link HostListener} hears of each namespace added or removed.
 */
public final class HostController implements NvmeController, IoPath {
    private static final System.Logger LOG = System.getLogger("dev.nvmeof.host");

    private final String name;
    private final ConnectOptions options;
    private final Transport transport;
    private final HostSettings settings;
    private final ControllerStateMachine state;
    private final Recovery recovery;
    private final Consumer<HostController> onDead;
    private final AtomicLong keepAliveDoneAt = new AtomicLong();
    private volatile ConnectSequence.Connected connected;
    private volatile ConnectSequence attempt;
    private volatile List<NvmeNamespace> namespaces = List.of();
    private volatile Runnable wakeup = () -> { };
    private volatile boolean keepAliveFailed;
    private volatile HostListener listener = HostListener.NONE;
    private volatile Consumer<ControllerEvent> events = event -> { };
    private volatile ControllerFailure lastFailure;
    /** Held back until the host forgot the controller ({@link #dead()}): nothing follows DEAD, so order holds. */
    private volatile ControllerEvent deadEvent;
    /** A notice or a reconnect asked for a rescan; the work loop starts it. */
    private volatile boolean rescanRequested;
    private volatile boolean identifyAll;
    private boolean everLive;
    /** The rescan running, owned by the work loop. */
    private CompletableFuture<List<ConnectSequence.NamespaceInfo>> scan;
    /** Serialises changes of {@link #namespaces} with their announcements. */
    private final Object namespaceLock = new Object();
    /** The last association's limit, kept while reconnecting so requests held meanwhile are split alike. */
    private volatile int maxTransferSize = 4096;
    private KeepAlive keepAlive;
    private volatile Executor callbacks = Runnable::run;

    /**
     * @param options with the host identity filled in
     * @param onDead  told once the controller is DEAD (the host forgets it)
     */
    public HostController(String name, ConnectOptions options, Transport transport, HostSettings settings,
            Consumer<HostController> onDead) {
        this.name = Objects.requireNonNull(name, "name");
        this.options = Objects.requireNonNull(options, "options");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.onDead = Objects.requireNonNull(onDead, "onDead");
        // System.Logger until DS brings the OSGi Logger: every state change at DEBUG (STYLE 8).
        this.state = new ControllerStateMachine((from, to) -> {
            LOG.log(System.Logger.Level.DEBUG, "{0}: {1} -> {2}", name, from, to);
            listener.stateChanged(this, from, to);
        }, this::changed);
        this.recovery = new Recovery(this, options, settings);
    }

    /** Called by the worker so errors are handled at once rather than at its next tick. */
    void wakeup(Runnable value) {
        this.wakeup = Objects.requireNonNull(value, "wakeup");
    }

    /** Who hears of state changes and namespaces (set before {@link #connect()}). */
    void listener(HostListener value) {
        this.listener = Objects.requireNonNull(value, "listener");
    }

    /** Where public {@link ControllerEvent}s go, in order; must only queue them (set before {@link #connect()}). */
    void events(Consumer<ControllerEvent> value) {
        this.events = Objects.requireNonNull(value, "events");
    }

    /** Where the block devices' {@code CompletableFuture}s complete (set before {@link #connect()}). */
    void callbacks(Executor value) {
        this.callbacks = Objects.requireNonNull(value, "callbacks");
    }

    @Override
    public Executor callbacks() {
        return callbacks;
    }

    /** From the state machine, under its monitor, in the order of the changes. */
    private void changed(ControllerState from, ControllerState to, ControllerFailure failure) {
        if (failure != null) {
            lastFailure = failure;
        }
        ControllerEvent event = ControllerEvent.of(this, from, to, failure);
        if (to == ControllerState.DEAD) {
            deadEvent = event;
        } else {
            events.accept(event);
        }
    }

    /**
     * The first connect: NEW -> CONNECTING -> LIVE with namespaces scanned; on failure CONNECTING -> DELETING -> DEAD
     * and the error thrown (a timeout names its step).
     */
    public void connect() throws NvmeException {
        if (!state.transition(ControllerState.NEW, ControllerState.CONNECTING)) {
            throw new IllegalStateException(name + " is " + state.state());
        }
        try {
            // A discovery controller has no namespaces to scan: it serves only the Discovery Log Page.
            ConnectSequence.Connected result = attempt(!options.discovery(), () -> false);
            List<NvmeNamespace> found = new ArrayList<>();
            for (ConnectSequence.NamespaceInfo info : result.namespaces()) {
                found.add(new HostNamespace(name + "n" + info.nsid(), info.nsid(), info.blocks(), info.blockSize(),
                        this));
            }
            if (goLive(result)) {
                synchronized (namespaceLock) {
                    namespaces = List.copyOf(found);
                    if (!state.state().isTerminal()) { // else dead() has run: nothing to announce
                        for (NvmeNamespace namespace : found) {
                            listener.namespaceAdded(this, namespace);
                        }
                    }
                }
            }
        } catch (NvmeException | RuntimeException e) {
            NvmeException why = e instanceof NvmeException n ? n
                    : NvmeTransportException.of("connect failed: " + e, null, false, e);
            state.changeTo(ControllerState.DELETING);
            state.transition(ControllerState.DELETING, ControllerState.DEAD,
                    ControllerFailure.of(ControllerFailure.Reason.CONNECT_FAILED, why));
            dead();
            throw e;
        }
    }

    /**
     * One attempt: associate, run the connect sequence; the association is closed again when it fails. The
     * attempt's queues are checked for timeouts by {@link #doWork} too while it runs.
     */
    ConnectSequence.Connected attempt(boolean scan, java.util.function.BooleanSupplier abandoned)
            throws NvmeException {
        TransportAssociation association = transport.associate(options);
        ConnectSequence sequence = new ConnectSequence(options, settings, this::queueFailed, abandoned);
        attempt = sequence;
        try {
            return sequence.run(association, scan);
        } catch (NvmeException | RuntimeException e) {
            association.close();
            throw e;
        } finally {
            attempt = null;
        }
    }

    /** Installs a connected association and goes CONNECTING -> LIVE; false (and torn down) if deleted meanwhile. */
    boolean goLive(ConnectSequence.Connected result) {
        result.admin().live(true);
        for (HostQueue queue : result.io()) {
            queue.live(true);
        }
        if (keepAlive == null) {
            keepAlive = new KeepAlive(settings.clock(), Deadlines.secondsToNanos(options.keepAliveTmo(),
                    "keep_alive_tmo"));
        }
        keepAlive.restart(settings.clock().nanoTime());
        keepAliveFailed = false;
        keepAliveDoneAt.set(0);
        maxTransferSize = result.maxTransferSize();
        if (everLive) {
            // Namespaces may have changed while we were away, and their notice is lost with the association.
            identifyAll = true;
            rescanRequested = true;
        }
        everLive = true;
        connected = result; // publishes the fields above to the work loop, which reads it first
        if (!recovery.live(() -> state.transition(ControllerState.CONNECTING, ControllerState.LIVE))) {
            connected = null;
            Recovery.failAll(Recovery.teardown(result), IoCommands.HOST_ABORTED);
            result.association().close();
            return false;
        }
        armAsyncEvent(result);
        return true;
    }

    // ---- asynchronous events ----

    private void armAsyncEvent(ConnectSequence.Connected c) {
        try {
            c.admin().submitReserved(ConnectSequence.ASYNC_EVENT_TAG_INDEX,
                    new AsyncEventCommand(c, this::asyncEventCompleted), false);
        } catch (IllegalStateException e) {
            // still outstanding: nothing to do
        }
    }

    /** On a transport thread: note what the event asks for, send the next request; the work loop does the rest. */
    private void asyncEventCompleted(AsyncEventCommand command, int statusWord, int dw0) {
        if (statusWord != 0) {
            return; // torn down (Host Aborted) or refused: the next association sends a new one
        }
        if (AsyncEvent.of(dw0).isNamespaceAttributeChanged()) {
            rescanRequested = true;
            wakeup.run();
        } else {
            LOG.log(System.Logger.Level.DEBUG, "{0}: asynchronous event 0x{1} ignored", name,
                    Integer.toHexString(dw0));
        }
        ConnectSequence.Connected c = connected;
        if (c == command.association() && state.state() == ControllerState.LIVE) {
            armAsyncEvent(c);
        }
    }

    /** The work loop's part: start a requested rescan on a LIVE controller, apply a finished one. */
    private int rescan(ConnectSequence.Connected c) {
        int work = 0;
        CompletableFuture<List<ConnectSequence.NamespaceInfo>> running = scan;
        if (running != null && running.isDone()) {
            scan = null;
            work++;
            if (!running.isCompletedExceptionally()) {
                apply(running.join());
            } else if (state.state() == ControllerState.LIVE) {
                LOG.log(System.Logger.Level.WARNING, "{0}: namespace rescan failed", name);
            }
        }
        if (scan == null && rescanRequested && c != null && state.state() == ControllerState.LIVE) {
            rescanRequested = false;
            Map<Integer, ConnectSequence.NamespaceInfo> known = new LinkedHashMap<>();
            for (NvmeNamespace namespace : namespaces) {
                known.put(namespace.nsid(), info(namespace));
            }
            boolean all = identifyAll;
            identifyAll = false;
            CompletableFuture<List<ConnectSequence.NamespaceInfo>> started =
                    new NamespaceScan(c.admin(), known, all).start();
            started.whenComplete((value, error) -> wakeup.run());
            scan = started;
            work++;
        }
        return work;
    }

    private static ConnectSequence.NamespaceInfo info(NvmeNamespace namespace) {
        return new ConnectSequence.NamespaceInfo(namespace.nsid(), namespace.blocks(), namespace.blockSize());
    }

    /** Installs the scanned list: gone or changed namespaces are removed, new or changed ones added. */
    private void apply(List<ConnectSequence.NamespaceInfo> scanned) {
        synchronized (namespaceLock) {
            if (state.state().isTerminal()) {
                return;
            }
            Map<Integer, ConnectSequence.NamespaceInfo> found = new LinkedHashMap<>();
            for (ConnectSequence.NamespaceInfo info : scanned) {
                found.put(info.nsid(), info);
            }
            List<NvmeNamespace> kept = new ArrayList<>();
            List<NvmeNamespace> removed = new ArrayList<>();
            for (NvmeNamespace namespace : namespaces) {
                if (info(namespace).equals(found.get(namespace.nsid()))) {
                    kept.add(namespace);
                    found.remove(namespace.nsid());
                } else {
                    removed.add(namespace); // gone, or changed size: withdrawn, then announced again
                }
            }
            List<NvmeNamespace> added = new ArrayList<>();
            for (ConnectSequence.NamespaceInfo info : found.values()) {
                added.add(new HostNamespace(name + "n" + info.nsid(), info.nsid(), info.blocks(), info.blockSize(),
                        this));
            }
            if (removed.isEmpty() && added.isEmpty()) {
                return;
            }
            List<NvmeNamespace> now = new ArrayList<>(kept);
            now.addAll(added);
            now.sort(Comparator.comparingInt(NvmeNamespace::nsid));
            namespaces = List.copyOf(now);
            for (NvmeNamespace namespace : removed) {
                LOG.log(System.Logger.Level.DEBUG, "{0}: namespace {1} removed", name, namespace);
                listener.namespaceRemoved(this, namespace);
            }
            for (NvmeNamespace namespace : added) {
                LOG.log(System.Logger.Level.DEBUG, "{0}: namespace {1} added", name, namespace);
                listener.namespaceAdded(this, namespace);
            }
        }
    }

    // ---- I/O ----

    @Override
    public void submit(RequestOwner owner, IoRequest io) {
        submit(owner, io, Thread.currentThread().getId());
    }

    /**
     * Sends a request to the queue {@link IoQueues} picks for its kind and for thread {@code submitter} (the one that
     * submitted it first, also when recovery reissues it), or holds it while not LIVE.
     */
    void submit(RequestOwner owner, IoRequest io, long submitter) {
        ConnectSequence.Connected c = connected;
        if (state.state() == ControllerState.LIVE && c != null && c.io().length > 0) {
            IoRequest request = owner.ioRequest(io);
            HostQueue queue = c.io()[request == null ? 0 : IoQueues.index(c.counts(), request.operation(),
                    request.polled(), submitter)];
            if (queue.submit(owner, io, submitter)) {
                return;
            }
        }
        recovery.hold(owner, io, submitter);
    }

    /**
     * Runs an admin command on the LIVE controller's admin queue and waits for it (discovery's Get Log Page). The
     * admin queue's timer bounds it on a running work loop (a timeout starts error recovery, which fails the command
     * with Host Aborted); the wait itself gives up one admin timeout and a second later.
     *
     * @return the completion's DW0 and DW1 ({@code dw1 << 32 | dw0})
     */
    long adminCommand(AdminCommand command) throws NvmeException {
        ConnectSequence.Connected c = connected;
        if (state.state() != ControllerState.LIVE || c == null || !c.admin().submit(command)) {
            throw NvmeTransportException.connectionLost(name + ": " + command.step() + ": the controller is "
                    + state.state(), null);
        }
        Duration wait = settings.adminTimeout().plusSeconds(1);
        try {
            return command.result().get(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | InterruptedException e) {
            throw command.failure(e);
        } catch (TimeoutException e) {
            throw NvmeTimeoutException.of(command.step(), wait);
        }
    }

    /** Reaps the calling thread's poll queue (see {@link dev.nvmeof.api.BlockDevice#poll()}); 0 without one. */
    @Override
    public int poll() {
        ConnectSequence.Connected c = connected;
        if (c == null || c.counts().pollQueues() == 0) {
            return 0;
        }
        return c.io()[IoQueues.pollIndex(c.counts(), Thread.currentThread().getId())].poll();
    }

    @Override
    public int maxTransferSize() {
        return maxTransferSize;
    }

    // ---- the work loop ----

    /**
     * One turn of the controller's duty cycle at {@code now}: command timeouts, keep-alive, and error recovery
     * (teardown, reconnect attempts, fast fail, giving up). Single-threaded: one caller at a time.
     *
     * @return how much work was done (0 when idle)
     */
    public int doWork(long now) {
        int work = 0;
        ConnectSequence running = attempt;
        if (running != null) {
            running.checkTimeouts(now);
        }
        ConnectSequence.Connected c = connected;
        if (state.state() == ControllerState.LIVE && c != null) {
            boolean expired = c.admin().checkTimeouts(now);
            for (HostQueue queue : c.io()) {
                expired |= queue.checkTimeouts(now);
            }
            if (expired) {
                errorRecovery(ControllerFailure.Reason.COMMAND_TIMEOUT,
                        NvmeTransportException.of("command timeout", null, true, null));
                work++;
            } else {
                work += keepAlive(c, now);
            }
        }
        work += recovery.doWork(now);
        return work + rescan(connected);
    }

    private int keepAlive(ConnectSequence.Connected c, long now) {
        long doneAt = keepAliveDoneAt.getAndSet(0);
        if (doneAt != 0) {
            keepAlive.completed(doneAt);
        }
        if (keepAliveFailed || keepAlive.lost(now)) {
            errorRecovery(ControllerFailure.Reason.KEEP_ALIVE_LOST,
                    NvmeTransportException.connectionLost("keep-alive lost", null));
            return 1;
        }
        if (!keepAlive.due(now)) {
            return 0;
        }
        AdminCommand command = new AdminCommand("Keep Alive", AdminCommands::keepAlive);
        command.result().whenComplete((value, error) -> {
            if (error != null) {
                keepAliveFailed = true;
                wakeup.run();
            } else {
                long at = settings.clock().nanoTime();
                keepAliveDoneAt.set(at == 0 ? 1 : at);
            }
        });
        keepAlive.sent(now);
        c.admin().submitReserved(ConnectSequence.KEEP_ALIVE_TAG_INDEX, command);
        return 1;
    }

    /**
     * Starts error recovery if this call wins {@code LIVE -> RESETTING} (a queue failed, a command timed out, the
     * keep-alive was lost); otherwise someone else already did, or the controller is not LIVE: nothing to do.
     */
    void errorRecovery(ControllerFailure.Reason reason, NvmeTransportException cause) {
        if (state.state() == ControllerState.LIVE // lost the race already: allocate nothing
                && state.transition(ControllerState.LIVE, ControllerState.RESETTING,
                        ControllerFailure.of(reason, cause))) {
            LOG.log(System.Logger.Level.WARNING, "{0}: error recovery: {1}", name, cause.getMessage());
            recovery.requested(cause);
            wakeup.run();
        }
    }

    private void queueFailed(HostQueue queue, NvmeTransportException cause) {
        errorRecovery(ControllerFailure.Reason.TRANSPORT_ERROR, cause);
    }

    ControllerStateMachine stateMachine() {
        return state;
    }

    /** Takes the current association away (recovery's teardown); null when there is none. */
    ConnectSequence.Connected takeConnected() {
        ConnectSequence.Connected c = connected;
        connected = null;
        return c;
    }

    /** DEAD: the host forgets the controller, its namespaces are withdrawn, then listeners hear of DEAD. */
    void dead() {
        onDead.accept(this);
        synchronized (namespaceLock) {
            for (NvmeNamespace namespace : namespaces) {
                listener.namespaceRemoved(this, namespace);
            }
        }
        ControllerEvent event = deadEvent;
        deadEvent = null;
        if (event != null) {
            events.accept(event);
        }
    }

    // ---- disconnect ----

    @Override
    public void disconnect() throws NvmeException {
        recovery.delete();
    }

    // ---- the view ----

    @Override
    public String name() {
        return name;
    }

    @Override
    public ConnectOptions options() {
        return options;
    }

    @Override
    public ControllerState state() {
        return state.state();
    }

    @Override
    public Optional<ControllerFailure> lastFailure() {
        return Optional.ofNullable(lastFailure);
    }

    @Override
    public String subsystemNqn() {
        return options.nqn();
    }

    @Override
    public int cntlid() {
        ConnectSequence.Connected c = connected;
        return c == null ? -1 : c.cntlid();
    }

    @Override
    public String transportDescription() {
        ConnectSequence.Connected c = connected;
        return c == null ? transport.name() + " (not connected)" : c.association().describe();
    }

    @Override
    public int ioQueueCount() {
        ConnectSequence.Connected c = connected;
        return c == null ? 0 : c.io().length;
    }

    @Override
    public QueueCounts queueCounts() {
        ConnectSequence.Connected c = connected;
        return c == null ? QueueCounts.NONE : c.counts();
    }

    @Override
    public IdentifyController identify() {
        ConnectSequence.Connected c = connected;
        return c == null ? null : c.identify();
    }

    @Override
    public List<NvmeNamespace> namespaces() {
        return namespaces;
    }

    /** Requests held while the controller is not LIVE. */
    int heldCount() {
        return recovery.heldCount();
    }

    HostSettings settings() {
        return settings;
    }

    @Override
    public String toString() {
        return name + " " + options.nqn() + " " + state.state();
    }
}
