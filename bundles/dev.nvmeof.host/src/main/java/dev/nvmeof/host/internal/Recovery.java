package dev.nvmeof.host.internal;

import dev.nvmeof.protocol.log.Log;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.ControllerFailure;
import dev.nvmeof.api.ControllerState;
import dev.nvmeof.api.IoRequest;
import dev.nvmeof.api.NvmeException;
import dev.nvmeof.api.NvmeStatusException;
import dev.nvmeof.api.NvmeTransportException;
import dev.nvmeof.protocol.CommandSpecificStatus;
import dev.nvmeof.protocol.ControllerConfiguration;
import dev.nvmeof.protocol.ControllerProperty;
import dev.nvmeof.protocol.ControllerStatus;
import dev.nvmeof.protocol.FabricsCommands;
import dev.nvmeof.protocol.NvmeStatus;
import dev.nvmeof.protocol.StatusCodeType;

/**
 * Error recovery and deletion of one controller (ARCHITECTURE "Error recovery"; Linux
 * {@code nvme_tcp_error_recovery_work}, {@code nvme_tcp_reconnect_ctrl_work}, {@code nvme_tcp_reconnect_or_remove}):
 *
 * <ul>
 *   <li>After {@code LIVE -> RESETTING} was won ({@link #start}) the next work turn tears
 *       every queue down (drain, close), puts in-flight I/O back at the head of the held requests (not failed),
 *       fails in-flight admin commands with Host Aborted, closes the association and goes {@code CONNECTING}.</li>
 *   <li>Every {@code reconnect_delay} ({@link ReconnectPolicy}) an attempt runs; when it succeeds the controller
 *       is LIVE and the held requests are reissued; the caller sees nothing.</li>
 *   <li>Once {@code fast_io_fail_tmo} passed, held I/O and any new I/O fail with Host Path Error (0x370) while
 *       reconnects go on; once {@code ctrl_loss_tmo} passed, {@code DELETING -> DEAD} and everything fails with
 *       0x370 (an attempt still waiting then is abandoned at its next check).</li>
 *   <li>{@link #delete()} ({@code nvme disconnect}): CC.SHN and a bounded wait for CSTS.SHST, queues torn down,
 *       requests in flight or held fail with Host Aborted (0x371), {@code DELETING -> DEAD}.</li>
 * </ul>
 *
 * <p><b>Threads.</b> {@link #doWork} on the controller's work thread; {@link #hold} from any thread (guarded by the
 * held queue's monitor, which is also where LIVE is entered, so no request is held after the reissue);
 * {@link #delete} on the caller's thread, serialised with {@code doWork} by the lifecycle lock, except when a
 * reconnect attempt holds that lock stuck in the transport: then delete does not wait for it (see there).
 */
final class Recovery {
    private static final System.Logger LOG = Log.get("dev.nvmeof.host");

    private final HostController controller;
    private final ControllerAssociation association;
    private final HostSettings settings;
    private final ReconnectPolicy policy;
    /** How long {@link #delete} waits for a running work turn before deleting without it. */
    private static final long DELETE_WAIT_MILLIS = 500;

    private final ReentrantLock lifecycle = new ReentrantLock();
    /** Disconnect was asked: a running reconnect attempt abandons at its next check. */
    private volatile boolean deleteRequested;
    private final ArrayDeque<PendingRequest> held = new ArrayDeque<>();
    private volatile boolean requested;
    private volatile NvmeTransportException cause;
    /** The loss being recovered needs no {@code reconnect_delay} before its first attempt. */
    private volatile boolean atOnce;
    /** The last reconnect attempt's error, for the DEAD event's cause; owned by the work loop. */
    private Exception lastAttemptError;
    private final long ctrlLossTmo;
    private boolean failFast;

    Recovery(HostController controller, ControllerAssociation association, ConnectOptions options,
            HostSettings settings) {
        this.controller = controller;
        this.association = association;
        this.settings = settings;
        this.ctrlLossTmo = options.ctrlLossTmo();
        this.policy = new ReconnectPolicy(options.reconnectDelay(), options.ctrlLossTmo(), options.fastIoFailTmo());
    }

    private ControllerStateMachine state() {
        return controller.stateMachine();
    }

    /**
     * Starts error recovery if this call wins {@code LIVE -> RESETTING} (a queue failed, a command timed out, the
     * keep-alive was lost); otherwise someone else already did, or the controller is not LIVE: nothing to do. The
     * work loop, woken at once, does the rest.
     */
    void start(ControllerFailure.Reason reason, NvmeTransportException why) {
        if (state().state() == ControllerState.LIVE // lost the race already: allocate nothing
                && state().transition(ControllerState.LIVE, ControllerState.RESETTING,
                        ControllerFailure.of(reason, why))) {
            LOG.log(System.Logger.Level.WARNING, "{0}: error recovery: {1}", controller.name(), why.getMessage());
            this.cause = why;
            this.atOnce = reason == ControllerFailure.Reason.RESET || why.pathWithdrawn();
            this.requested = true;
            controller.wake();
        }
    }

    /**
     * Holds a request of thread {@code submitter} while the controller is not LIVE, or fails it when the path is
     * gone.
     */
    void hold(RequestOwner owner, IoRequest io, long submitter) {
        synchronized (held) {
            ControllerState now = state().state();
            if (!now.isTerminal() && !(failFast && now != ControllerState.LIVE)) {
                // LIVE here is a race with a queue just torn down or just installed: the next turn reissues it.
                held.addLast(new PendingRequest(owner, io, submitter));
                return;
            }
        }
        RequestOwner.finish(owner, io, IoCommands.HOST_PATH_ERROR, 0, 0);
    }

    int heldCount() {
        synchronized (held) {
            return held.size();
        }
    }

    /**
     * Enters LIVE ({@code transition}) under the held queue's monitor and reissues what was held.
     *
     * @return false if the transition was refused (the controller was deleted meanwhile)
     */
    boolean live(BooleanSupplier transition) {
        List<PendingRequest> reissue;
        synchronized (held) {
            if (!transition.getAsBoolean()) {
                return false;
            }
            failFast = false;
            reissue = new ArrayList<>(held);
            held.clear();
        }
        for (PendingRequest pending : reissue) {
            controller.requests().reissue(pending);
        }
        return true;
    }

    /** One turn of recovery at {@code now}; see the class comment. */
    int doWork(long now) {
        lifecycle.lock();
        try {
            int work = 0;
            if (requested && state().state() == ControllerState.RESETTING) {
                requested = false;
                policy.lost(now, atOnce); // a driver left, or a reset: no reconnect_delay first
                ConnectSequence.Connected c = association.take();
                if (c != null) {
                    List<PendingRequest> pending = teardown(c);
                    c.association().close();
                    requeue(pending);
                }
                state().transition(ControllerState.RESETTING, ControllerState.CONNECTING);
                work++;
            }
            if (policy.isLost() && state().state() == ControllerState.CONNECTING) {
                work += reconnect(now);
            }
            if (state().state() == ControllerState.LIVE && heldCount() > 0) {
                live(() -> true);
                work++;
            }
            if (state().state().isTerminal() && heldCount() > 0) {
                // Deleted while this turn requeued what a torn-down queue held: nothing may stay held.
                failAll(takeHeld(), IoCommands.HOST_ABORTED);
                work++;
            }
            return work;
        } finally {
            lifecycle.unlock();
        }
    }

    private List<PendingRequest> takeHeld() {
        synchronized (held) {
            List<PendingRequest> all = new ArrayList<>(held);
            held.clear();
            return all;
        }
    }

    private int reconnect(long now) {
        if (policy.giveUp(now)) {
            giveUp();
            return 1;
        }
        int work = 0;
        if (!failFast && policy.fastFail(now)) {
            List<PendingRequest> failed;
            synchronized (held) {
                failFast = true;
                failed = new ArrayList<>(held);
                held.clear();
            }
            failAll(failed, IoCommands.HOST_PATH_ERROR);
            work++;
        }
        if (policy.nextAttemptDue(now)) {
            policy.attemptStarted(now);
            work++;
            try {
                ConnectSequence.Connected result = association.attempt(false,
                        () -> deleteRequested || policy.giveUp(settings.clock().nanoTime()));
                if (controller.goLive(result)) {
                    policy.reconnected();
                    lastAttemptError = null;
                }
            } catch (NvmeException | RuntimeException e) {
                lastAttemptError = e;
                long failedAt = settings.clock().nanoTime();
                policy.attemptFailed(failedAt);
                if (refusedForGood(e)) {
                    giveUp(ControllerFailure.Reason.RECONNECT_REFUSED, NvmeTransportException.of("reconnect refused: "
                            + e.getMessage() + "; not retried", null, false, e));
                } else if (policy.giveUp(failedAt)) {
                    giveUp();
                }
            }
        }
        return work;
    }

    /**
     * The reconnect failed authentication (Authentication Required with DNR: the secret is wrong or missing): the
     * same secret cannot succeed later, so recovery stops, as Linux's {@code nvmf_should_reconnect} does for a
     * rejected key. Other refusals (a subsystem gone for a while, a host not allowed yet) keep being retried until
     * {@code ctrl_loss_tmo}: targets are reconfigured under live hosts.
     */
    private static boolean refusedForGood(Exception e) {
        if (!(e instanceof NvmeStatusException)) {
            return false;
        }
        NvmeStatus status = ((NvmeStatusException) e).status();
        return status.dnr() && status.sct() == StatusCodeType.COMMAND_SPECIFIC.code()
                && status.sc() == CommandSpecificStatus.AUTHENTICATION_REQUIRED.code();
    }

    /** {@code ctrl_loss_tmo} passed: DELETING -> DEAD, every request fails with Host Path Error. */
    private void giveUp() {
        NvmeTransportException lost = cause;
        giveUp(ControllerFailure.Reason.CONTROLLER_LOSS_TIMEOUT, NvmeTransportException.of("ctrl_loss_tmo ("
                + ctrlLossTmo + " s) passed without a reconnect" + (lost == null ? "" : " since " + lost.getMessage())
                + (lastAttemptError == null ? "" : "; last attempt: " + lastAttemptError.getMessage()), null, false,
                lastAttemptError));
    }

    private void giveUp(ControllerFailure.Reason reason, NvmeTransportException why) {
        if (!state().changeTo(ControllerState.DELETING)) {
            return; // disconnected meanwhile
        }
        failAll(takeHeld(), IoCommands.HOST_PATH_ERROR);
        state().transition(ControllerState.DELETING, ControllerState.DEAD, ControllerFailure.of(reason, why));
        controller.dead();
    }

    /** Puts requests from torn-down queues back at the head, in their order; fails what may not be reissued. */
    private void requeue(List<PendingRequest> pending) {
        List<PendingRequest> failed = new ArrayList<>();
        synchronized (held) {
            for (ListIterator<PendingRequest> it = pending.listIterator(pending.size()); it.hasPrevious();) {
                PendingRequest p = it.previous();
                if (p.requeueable()) {
                    held.addFirst(p);
                } else {
                    failed.add(p);
                }
            }
        }
        failAll(failed, IoCommands.HOST_ABORTED);
    }

    /** Disconnect: shutdown, teardown, every request still held fails with Host Aborted; DELETING -> DEAD. */
    void delete() {
        deleteRequested = true;
        boolean locked;
        try {
            locked = lifecycle.tryLock(DELETE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            locked = false;
        }
        if (!locked) {
            deleteWithoutTheWorkTurn();
            return;
        }
        try {
            if (!state().changeTo(ControllerState.DELETING)) {
                return; // already deleting or dead
            }
            ConnectSequence.Connected c = association.take();
            if (c != null) {
                c.admin().live(false);
                shutdown(c.admin());
                List<PendingRequest> pending = teardown(c);
                c.association().close();
                failAll(pending, IoCommands.HOST_ABORTED);
            }
            failAll(takeHeld(), IoCommands.HOST_ABORTED);
            state().transition(ControllerState.DELETING, ControllerState.DEAD);
            controller.dead();
        } finally {
            lifecycle.unlock();
        }
    }

    /**
     * The work turn is stuck in a reconnect attempt (a silent target: the transport waits for an ICResp that does not
     * come), so nothing is installed and there is nothing to shut down: disconnect returns now. The attempt, when it
     * returns, finds the controller deleted and tears its own queues down ({@link HostController#goLive} refuses), and
     * the turn fails anything it held.
     */
    private void deleteWithoutTheWorkTurn() {
        if (!state().changeTo(ControllerState.DELETING)) {
            return;
        }
        ConnectSequence.Connected c = association.take(); // none while an attempt runs; closed to be sure
        if (c != null) {
            List<PendingRequest> pending = teardown(c);
            c.association().close();
            failAll(pending, IoCommands.HOST_ABORTED);
        }
        failAll(takeHeld(), IoCommands.HOST_ABORTED);
        state().transition(ControllerState.DELETING, ControllerState.DEAD);
        controller.dead();
    }

    /**
     * CC.SHN = 01b (normal shutdown), then CSTS until SHST = 10b, all within {@link HostSettings#shutdownTimeout()}
     * on the clock (Linux {@code nvme_disable_ctrl(ctrl, true)}). Best effort: a controller that does not answer is
     * disconnected anyway.
     */
    private void shutdown(HostQueue admin) {
        long deadline = settings.clock().nanoTime() + settings.shutdownTimeout().toNanos();
        int cc = ControllerConfiguration.NVM_DEFAULTS.withEnable(true)
                .withShutdownNotification(ControllerConfiguration.SHN_NORMAL).toInt();
        if (shutdownCommand(admin, new AdminCommand("Property Set CC.SHN",
                (sqe, cid) -> FabricsCommands.propertySet(sqe, cid, ControllerProperty.CC, cc)), deadline) < 0) {
            return;
        }
        for (;;) {
            long csts = shutdownCommand(admin, new AdminCommand("Property Get CSTS",
                    (sqe, cid) -> FabricsCommands.propertyGet(sqe, cid, ControllerProperty.CSTS)), deadline);
            if (csts < 0 || ControllerStatus.of((int) csts).isShutdownComplete()
                    || Deadlines.reached(deadline, settings.clock().nanoTime())) {
                return;
            }
            settings.pause().accept(settings.pollInterval().toNanos());
        }
    }

    /** @return the result, or -1 if it failed or the shutdown deadline passed */
    private long shutdownCommand(HostQueue admin, AdminCommand command, long deadline) {
        if (!admin.submit(command)) {
            return -1;
        }
        for (;;) {
            try {
                return command.result().get(settings.waitTick().toNanos(), TimeUnit.NANOSECONDS) & 0xFFFF_FFFFL;
            } catch (ExecutionException e) {
                return -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            } catch (TimeoutException e) {
                long now = settings.clock().nanoTime();
                admin.checkTimeouts(now);
                if (Deadlines.reached(deadline, now)) {
                    return -1;
                }
            }
        }
    }

    /** Tears down the I/O queues, then the admin queue; returns what they still held, in that order. */
    static List<PendingRequest> teardown(ConnectSequence.Connected c) {
        List<PendingRequest> pending = new ArrayList<>();
        for (HostQueue queue : c.io()) {
            queue.live(false);
            pending.addAll(queue.teardown());
        }
        c.admin().live(false);
        pending.addAll(c.admin().teardown());
        return pending;
    }

    static void failAll(List<PendingRequest> pending, int status) {
        for (PendingRequest request : pending) {
            request.fail(status);
        }
    }
}
