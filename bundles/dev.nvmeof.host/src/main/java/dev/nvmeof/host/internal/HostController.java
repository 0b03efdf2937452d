package dev.nvmeof.host.internal;

import dev.nvmeof.protocol.log.Log;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.nvmeof.api.AdminPassthru;
import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.ControllerEvent;
import dev.nvmeof.api.ControllerFailure;
import dev.nvmeof.api.ControllerState;
import dev.nvmeof.api.NvmeController;
import dev.nvmeof.api.NvmeException;
import dev.nvmeof.api.NvmeNamespace;
import dev.nvmeof.api.NvmeTransportException;
import dev.nvmeof.api.QueueCounts;
import dev.nvmeof.protocol.ErrorLogEntry;
import dev.nvmeof.protocol.IdentifyController;
import dev.nvmeof.protocol.IdentifyNamespace;
import dev.nvmeof.protocol.SmartLog;
import dev.nvmeof.spi.transport.Transport;

/**
 * A controller of this host ({@code struct nvme_ctrl} with the fabrics parts): its state machine, the first connect,
 * going LIVE on each new association, the work loop, and what the host and the listeners see of it. The other jobs
 * are its parts':
 *
 * <ul>
 *   <li>{@link ControllerAssociation}: the connect attempt running and the association in use;</li>
 *   <li>{@link RequestRouter}: I/O to the queue of its kind and thread, admin commands to the admin queue;</li>
 *   <li>{@link NamespaceSet} and {@link AsyncEvents}: the namespaces, the Asynchronous Event Request kept outstanding
 *       and the rescans its notices and every reconnect start;</li>
 *   <li>{@link KeepAliveSender}: Keep Alive commands while LIVE;</li>
 *   <li>{@link Recovery}: error recovery (started by a failed queue, a command timeout, a lost keep-alive),
 *       reconnects, fast fail, giving up, and disconnect.</li>
 * </ul>
 *
 * <p><b>Threads.</b> {@link #connect()} and {@link #disconnect()} run on the caller's thread; I/O is submitted from
 * any thread. Everything timed (command timeouts, keep-alive, reconnect attempts, {@code fast_io_fail_tmo},
 * {@code ctrl_loss_tmo}) happens in {@link #doWork(long)}, called by one thread only: a {@link ControllerWorker} in
 * production, the test itself after advancing a manual clock.
 */
public final class HostController implements NvmeController {
    // The core is plain Java (no OSGi at run time): System.Logger. Every state change at DEBUG (STYLE 8).
    private static final System.Logger LOG = Log.get("dev.nvmeof.host");

    private final String name;
    private final ConnectOptions options;
    private final HostSettings settings;
    private final ControllerStateMachine state;
    private final ControllerAssociation association;
    private final Recovery recovery;
    private final RequestRouter requests;
    private final NamespaceSet namespaces;
    private final AsyncEvents asyncEvents;
    private final KeepAliveSender keepAlive;
    private final AdminTools admin;
    private final Reauthentication reauthentication;
    private final Consumer<HostController> onDead;
    private volatile Runnable wakeup = () -> { };
    private volatile HostListener listener = HostListener.NONE;
    private volatile Consumer<ControllerEvent> events = event -> { };
    private volatile ControllerFailure lastFailure;
    /** Held back until the host forgot the controller ({@link #dead()}): nothing follows DEAD, so order holds. */
    private volatile ControllerEvent deadEvent;

    /**
     * @param options with the host identity filled in
     * @param onDead  told once the controller is DEAD (the host forgets it)
     */
    public HostController(String name, ConnectOptions options, Transport transport, HostSettings settings,
            Consumer<HostController> onDead) {
        this(name, options, transport, transportName -> null, settings, onDead);
    }

    /** @param transports the host's transports by name, for {@code offload_fallback} */
    public HostController(String name, ConnectOptions options, Transport transport,
            Function<String, Transport> transports, HostSettings settings, Consumer<HostController> onDead) {
        this.name = Objects.requireNonNull(name, "name");
        this.options = Objects.requireNonNull(options, "options");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.onDead = Objects.requireNonNull(onDead, "onDead");
        this.state = new ControllerStateMachine((from, to) -> {
            LOG.log(System.Logger.Level.DEBUG, "{0}: {1} -> {2}", name, from, to);
            listener.stateChanged(this, from, to);
        }, this::changed);
        this.association = new ControllerAssociation(options, transport, transports, settings,
                (queue, cause) -> errorRecovery(ControllerFailure.Reason.TRANSPORT_ERROR, cause));
        this.recovery = new Recovery(this, association, options, settings);
        this.requests = new RequestRouter(this, association, recovery);
        this.namespaces = new NamespaceSet(this, requests);
        this.asyncEvents = new AsyncEvents(this, association, namespaces);
        this.keepAlive = new KeepAliveSender(this, options, settings);
        this.admin = new AdminTools(requests);
        this.reauthentication = new Reauthentication(options, settings);
    }

    /** Called by the worker so errors are handled at once rather than at its next tick. */
    void wakeup(Runnable value) {
        this.wakeup = Objects.requireNonNull(value, "wakeup");
    }

    /** Asks for a work turn now (an error to recover from, a notice to act on). */
    void wake() {
        wakeup.run();
    }

    /** Who hears of state changes and namespaces (set before {@link #connect()}). */
    void listener(HostListener value) {
        this.listener = Objects.requireNonNull(value, "listener");
    }

    HostListener hostListener() {
        return listener;
    }

    /** Where public {@link ControllerEvent}s go, in order; must only queue them (set before {@link #connect()}). */
    void events(Consumer<ControllerEvent> value) {
        this.events = Objects.requireNonNull(value, "events");
    }

    /** Where the block devices' {@code CompletableFuture}s complete (set before {@link #connect()}). */
    void callbacks(Executor value) {
        requests.callbacks(value);
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
            ConnectSequence.Connected result = association.attempt(!options.discovery(), () -> false);
            List<NvmeNamespace> found = namespaces.create(result.namespaces());
            if (goLive(result)) {
                namespaces.install(found);
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

    /** Installs a connected association and goes CONNECTING -> LIVE; false (and torn down) if deleted meanwhile. */
    boolean goLive(ConnectSequence.Connected result) {
        result.admin().live(true);
        for (HostQueue queue : result.io()) {
            queue.live(true);
        }
        keepAlive.restart();
        namespaces.associated();
        association.install(result); // publishes what the parts wrote above to the work loop, which reads it first
        if (!recovery.live(() -> state.transition(ControllerState.CONNECTING, ControllerState.LIVE))) {
            association.take();
            Recovery.failAll(Recovery.teardown(result), IoCommands.HOST_ABORTED);
            result.association().close();
            return false;
        }
        asyncEvents.arm(result);
        return true;
    }

    /**
     * One turn of the controller's duty cycle at {@code now}: command timeouts, keep-alive, error recovery
     * (teardown, reconnect attempts, fast fail, giving up) and namespace rescans. Single-threaded: one caller at a
     * time.
     *
     * @return how much work was done (0 when idle)
     */
    public int doWork(long now) {
        int work = 0;
        association.checkAttemptTimeouts(now);
        ConnectSequence.Connected c = association.current();
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
                work += keepAlive.doWork(c, now);
            }
        }
        work += recovery.doWork(now);
        return work + namespaces.doWork(association.current());
    }

    /** Starts error recovery unless it runs already or the controller is not LIVE ({@link Recovery#start}). */
    void errorRecovery(ControllerFailure.Reason reason, NvmeTransportException cause) {
        recovery.start(reason, cause);
    }

    /** DEAD: the host forgets the controller, its namespaces are withdrawn, then listeners hear of DEAD. */
    void dead() {
        onDead.accept(this);
        namespaces.withdrawAll();
        ControllerEvent event = deadEvent;
        deadEvent = null;
        if (event != null) {
            events.accept(event);
        }
    }

    @Override
    public void reauthenticate() throws NvmeException {
        if (options.dhchapSecret() == null) {
            throw NvmeTransportException.of(name + ": connected without dhchap_secret, nothing to re-authenticate"
                    + " with", null, false, null);
        }
        synchronized (reauthentication) {
            ConnectSequence.Connected c = association.current();
            if (state.state() != ControllerState.LIVE || c == null) {
                throw NvmeTransportException.of(name + " is " + state.state() + ": re-authentication needs a LIVE"
                        + " controller", null, true, null);
            }
            HostQueue queue = c.admin();
            try {
                reauthentication.run(queue);
                for (HostQueue io : c.io()) {
                    queue = io;
                    reauthentication.run(io);
                }
            } catch (NvmeException e) {
                LOG.log(System.Logger.Level.WARNING, "{0}: re-authentication of queue {1} failed: {2}", name,
                        queue.qid(), e.getMessage());
                errorRecovery(ControllerFailure.Reason.TRANSPORT_ERROR, NvmeTransportException.of(
                        "re-authentication of queue " + queue.qid() + " failed", null, true, e));
                throw e;
            }
        }
    }

    @Override
    public void reset() {
        if (state.state() != ControllerState.LIVE) {
            throw new IllegalStateException(name + " is " + state.state() + ": a reset needs a LIVE controller (busy)");
        }
        errorRecovery(ControllerFailure.Reason.RESET, NvmeTransportException.of("reset requested", null, true,
                null));
    }

    @Override
    public void disconnect() throws NvmeException {
        recovery.delete();
    }

    ControllerStateMachine stateMachine() {
        return state;
    }

    RequestRouter requests() {
        return requests;
    }

    /** Requests held while the controller is not LIVE. */
    int heldCount() {
        return recovery.heldCount();
    }

    HostSettings settings() {
        return settings;
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
        ConnectSequence.Connected c = association.current();
        return c == null ? -1 : c.cntlid();
    }

    @Override
    public String transportDescription() {
        return association.describe();
    }

    @Override
    public int ioQueueCount() {
        ConnectSequence.Connected c = association.current();
        return c == null ? 0 : c.io().length;
    }

    @Override
    public QueueCounts queueCounts() {
        ConnectSequence.Connected c = association.current();
        return c == null ? QueueCounts.NONE : c.counts();
    }

    @Override
    public IdentifyController identify() {
        ConnectSequence.Connected c = association.current();
        return c == null ? null : c.identify();
    }

    @Override
    public List<NvmeNamespace> namespaces() {
        return namespaces.list();
    }

    @Override
    public IdentifyNamespace identifyNamespace(int nsid) throws NvmeException {
        return admin.identifyNamespace(nsid);
    }

    @Override
    public byte[] logPage(int logId, int nsid, int length, long offset) throws NvmeException {
        return admin.logPage(logId, nsid, length, offset);
    }

    @Override
    public SmartLog smartLog(int nsid) throws NvmeException {
        return admin.smartLog(nsid);
    }

    @Override
    public List<ErrorLogEntry> errorLog(int entries) throws NvmeException {
        return admin.errorLog(entries);
    }

    @Override
    public int[] changedNamespaces() throws NvmeException {
        return admin.changedNamespaces();
    }

    @Override
    public int adminPassthru(AdminPassthru command) throws NvmeException {
        return admin.adminPassthru(command);
    }

    @Override
    public String toString() {
        return name + " " + options.nqn() + " " + state.state();
    }
}
