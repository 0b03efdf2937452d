package dev.nvmeof.host.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.ControllerState;
import dev.nvmeof.api.NvmeController;
import dev.nvmeof.api.NvmeException;
import dev.nvmeof.api.NvmeNamespace;
import dev.nvmeof.api.NvmeTimeoutException;
import dev.nvmeof.api.NvmeTransportException;
import dev.nvmeof.protocol.AdminCommands;
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
    /** The last association's limit, kept while reconnecting so requests held meanwhile are split alike. */
    private volatile int maxTransferSize = 4096;
    private KeepAlive keepAlive;

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
        this.state = new ControllerStateMachine((from, to) -> LOG.log(System.Logger.Level.DEBUG,
                "{0}: {1} -> {2}", name, from, to));
        this.recovery = new Recovery(this, options, settings);
    }

    /** Called by the worker so errors are handled at once rather than at its next tick. */
    void wakeup(Runnable value) {
        this.wakeup = Objects.requireNonNull(value, "wakeup");
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
            namespaces = List.copyOf(found);
            goLive(result);
        } catch (NvmeException | RuntimeException e) {
            state.changeTo(ControllerState.DELETING);
            state.transition(ControllerState.DELETING, ControllerState.DEAD);
            onDead.accept(this);
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
        connected = result; // publishes the fields above to the work loop, which reads it first
        if (!recovery.live(() -> state.transition(ControllerState.CONNECTING, ControllerState.LIVE))) {
            connected = null;
            Recovery.failAll(Recovery.teardown(result), IoCommands.HOST_ABORTED);
            result.association().close();
            return false;
        }
        return true;
    }

    // ---- I/O ----

    @Override
    public void submit(Object owner, HostNamespace namespace) {
        ConnectSequence.Connected c = connected;
        if (state.state() == ControllerState.LIVE && c != null && c.io().length > 0) {
            HostQueue[] queues = c.io();
            HostQueue queue = queues[(int) (Thread.currentThread().getId() % queues.length)];
            if (queue.submit(owner, namespace)) {
                return;
            }
        }
        recovery.hold(owner, namespace);
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
        if (state.state() != ControllerState.LIVE || c == null || !c.admin().submit(command, null)) {
            throw NvmeTransportException.connectionLost(name + ": " + command.step() + ": the controller is "
                    + state.state(), null);
        }
        Duration wait = settings.adminTimeout().plusSeconds(1);
        try {
            return command.result().get(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof NvmeException cause) {
                throw cause;
            }
            throw NvmeTransportException.of(command.step() + " failed", null, true, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw NvmeTransportException.of(command.step() + " interrupted", null, false, e);
        } catch (TimeoutException e) {
            throw NvmeTimeoutException.of(command.step(), wait);
        }
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
                errorRecovery(NvmeTransportException.of("command timeout", null, true, null));
                work++;
            } else {
                work += keepAlive(c, now);
            }
        }
        return work + recovery.doWork(now);
    }

    private int keepAlive(ConnectSequence.Connected c, long now) {
        long doneAt = keepAliveDoneAt.getAndSet(0);
        if (doneAt != 0) {
            keepAlive.completed(doneAt);
        }
        if (keepAliveFailed || keepAlive.lost(now)) {
            errorRecovery(NvmeTransportException.connectionLost("keep-alive lost", null));
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
    void errorRecovery(NvmeTransportException cause) {
        if (state.transition(ControllerState.LIVE, ControllerState.RESETTING)) {
            LOG.log(System.Logger.Level.WARNING, "{0}: error recovery: {1}", name, cause.getMessage());
            recovery.requested(cause);
            wakeup.run();
        }
    }

    private void queueFailed(HostQueue queue, NvmeTransportException cause) {
        errorRecovery(cause);
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

    void dead() {
        onDead.accept(this);
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
