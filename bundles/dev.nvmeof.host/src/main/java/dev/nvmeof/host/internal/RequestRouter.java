package dev.nvmeof.host.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.nvmeof.api.ControllerState;
import dev.nvmeof.api.IoRequest;
import dev.nvmeof.api.NvmeException;
import dev.nvmeof.api.NvmeTimeoutException;
import dev.nvmeof.api.NvmeTransportException;

/**
 * Where a controller's requests go. I/O from any thread goes straight to the I/O queue {@link IoQueues} picks for
 * its kind and its submitting thread ({@code thread id mod queue count}, like blk-mq's per-CPU mapping; a completion
 * callback's submission stays on the queue it completed on) while the
 * controller is LIVE, and is held by {@link Recovery} otherwise, until the controller is LIVE again or gives up. An
 * admin command of the core's callers (discovery's Get Log Page) goes to the LIVE admin queue and is waited for.
 * The {@link IoPath} of the controller's block devices. Allocates nothing on the I/O path.
 */
final class RequestRouter implements IoPath {
    private final HostController controller;
    private final ControllerAssociation association;
    private final Recovery recovery;
    private volatile Executor callbacks = Runnable::run;

    RequestRouter(HostController controller, ControllerAssociation association, Recovery recovery) {
        this.controller = controller;
        this.association = association;
        this.recovery = recovery;
    }

    /** Where the block devices' {@code CompletableFuture}s complete (set before the first connect). */
    void callbacks(Executor value) {
        this.callbacks = Objects.requireNonNull(value, "callbacks");
    }

    @Override
    public Executor callbacks() {
        return callbacks;
    }

    @Override
    public void submit(RequestOwner owner, IoRequest io) {
        submit(owner, io, Thread.currentThread().getId());
    }

    /**
     * Sends a request to the queue for its kind and for thread {@code submitter} (the one that submitted it first,
     * also when recovery reissues it), or holds it while not LIVE.
     */
    void submit(RequestOwner owner, IoRequest io, long submitter) {
        ConnectSequence.Connected c = association.current();
        if (controller.state() == ControllerState.LIVE && c != null && c.io().length > 0) {
            IoRequest request = owner.ioRequest(io);
            HostQueue[] queues = c.io();
            HostQueue queue = queues[request == null ? 0 : IoQueues.index(c.counts(), request.operation(),
                    request.polled(), submitter, delivering(queues))];
            if (queue.submit(owner, io, submitter)) {
                return;
            }
        }
        recovery.hold(owner, io, submitter);
    }

    /** The index of the queue whose completions the calling thread is delivering, or -1. */
    private static int delivering(HostQueue[] io) {
        Thread current = Thread.currentThread();
        for (int i = 0; i < io.length; i++) {
            if (io[i].delivers(current)) {
                return i;
            }
        }
        return -1;
    }

    /** A request recovery held, reissued by the thread entering LIVE. */
    void reissue(PendingRequest pending) {
        submit(pending.owner(), pending.io(), pending.submitter());
    }

    /**
     * Runs an admin command on the LIVE controller's admin queue and waits for it. The admin queue's timer bounds
     * it on a running work loop (a timeout starts error recovery, which fails the command with Host Aborted); the
     * wait itself gives up one admin timeout and a second later.
     *
     * @return the completion's DW0 and DW1 ({@code dw1 << 32 | dw0})
     */
    long adminCommand(AdminCommand command) throws NvmeException {
        ConnectSequence.Connected c = association.current();
        if (controller.state() != ControllerState.LIVE || c == null || !c.admin().submit(command)) {
            throw NvmeTransportException.connectionLost(controller.name() + ": " + command.step()
                    + ": the controller is " + controller.state(), null);
        }
        Duration wait = controller.settings().adminTimeout().plusSeconds(1);
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
        ConnectSequence.Connected c = association.current();
        if (c == null || c.counts().pollQueues() == 0) {
            return 0;
        }
        return c.io()[IoQueues.pollIndex(c.counts(), Thread.currentThread().getId())].poll();
    }

    @Override
    public int maxTransferSize() {
        return association.maxTransferSize();
    }

    @Override
    public String subsystemNqn() {
        return controller.subsystemNqn();
    }
}
