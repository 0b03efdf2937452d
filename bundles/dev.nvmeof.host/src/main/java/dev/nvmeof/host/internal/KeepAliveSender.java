package dev.nvmeof.host.internal;

import java.util.concurrent.atomic.AtomicLong;

import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.ControllerFailure;
import dev.nvmeof.api.NvmeTransportException;
import dev.nvmeof.protocol.AdminCommands;

/**
 * Keep-alive of a LIVE controller, driven by its work loop: the {@link KeepAlive} timing, restarted by every
 * association; a Keep Alive command on the admin queue's reserved tag whenever one is due; and error recovery when
 * one failed or none came back in time.
 *
 * <p><b>Threads.</b> The work loop owns the timing. A Keep Alive completes on a transport thread, which only hands
 * over the time it saw (an atomic) or the failure (a volatile flag and a wakeup).
 */
final class KeepAliveSender {
    private final HostController controller;
    private final ConnectOptions options;
    private final HostSettings settings;
    /** When the last Keep Alive completed, 0 when none did since the work loop last looked. */
    private final AtomicLong doneAt = new AtomicLong();
    private volatile boolean failed;
    /** Made by the first association (which validates {@code keep_alive_tmo}); the work loop's after that. */
    private KeepAlive keepAlive;

    KeepAliveSender(HostController controller, ConnectOptions options, HostSettings settings) {
        this.controller = controller;
        this.options = options;
        this.settings = settings;
    }

    /** A new association is about to go LIVE: count from now, forget the old association's Keep Alive. */
    void restart() {
        if (keepAlive == null) {
            keepAlive = new KeepAlive(settings.clock(), Deadlines.secondsToNanos(options.keepAliveTmo(),
                    "keep_alive_tmo"));
        }
        keepAlive.restart(settings.clock().nanoTime());
        failed = false;
        doneAt.set(0);
    }

    /** The work loop's part on the LIVE association {@code c} at {@code now}; 1 if it did something. */
    int doWork(ConnectSequence.Connected c, long now) {
        long at = doneAt.getAndSet(0);
        if (at != 0) {
            keepAlive.completed(at);
        }
        if (failed || keepAlive.lost(now)) {
            controller.errorRecovery(ControllerFailure.Reason.KEEP_ALIVE_LOST,
                    NvmeTransportException.connectionLost("keep-alive lost", null));
            return 1;
        }
        if (!keepAlive.due(now)) {
            return 0;
        }
        AdminCommand command = new AdminCommand("Keep Alive", AdminCommands::keepAlive);
        command.result().whenComplete((value, error) -> {
            if (error != null) {
                failed = true;
                controller.wake();
            } else {
                long completedAt = settings.clock().nanoTime();
                doneAt.set(completedAt == 0 ? 1 : completedAt); // 0 means none
            }
        });
        keepAlive.sent(now);
        c.admin().submitReserved(ConnectSequence.KEEP_ALIVE_TAG_INDEX, command);
        return 1;
    }
}
