package dev.nvmeof.host.internal;

/**
 * When to try to reconnect a lost controller, when to fail its queued I/O early, and when to give up, from the
 * fabrics options {@code reconnect_delay} (default 10 s), {@code ctrl_loss_tmo} (600 s, negative = forever) and
 * {@code fast_io_fail_tmo} (negative = off, the default), all in seconds.
 *
 * <ul>
 *   <li><b>Attempts</b>: the first {@code reconnect_delay} after the loss, then {@code reconnect_delay} after each
 *       failed attempt, as the Linux transports do: error recovery tears the queues down and
 *       {@code nvme_tcp_reconnect_or_remove} queues the connect work {@code reconnect_delay} later, again after each
 *       failure. Only one attempt runs at a time.</li>
 *   <li><b>Giving up</b>: here we deliberately differ from the kernel. {@code nvmf_should_reconnect} counts
 *       attempts against {@code max_reconnects = DIV_ROUND_UP(ctrl_loss_tmo, reconnect_delay)}, so slow attempts
 *       (a connect that hangs until its own timeout) stretch the real loss time far past {@code ctrl_loss_tmo}.
 *       ARCHITECTURE.md makes {@code ctrl_loss_tmo} a wall-clock deadline from the loss instead:
 *       {@link #giveUp(long)} is true from {@code lossAt + ctrl_loss_tmo} on, whatever is happening, and an attempt
 *       still running then is abandoned (the controller goes DELETING -> DEAD and every request fails with Host
 *       Path Error, {@link dev.nvmeof.protocol.NvmeStatus#HOST_PATH_ERROR}). {@code ctrl_loss_tmo = 0} gives up at
 *       once, as {@code max_reconnects = 0} does.</li>
 *   <li><b>Fast fail</b> ({@code nvme_start_failfast_work}, {@code nvme_failfast_work}): {@code fast_io_fail_tmo}
 *       after the loss (the kernel starts it on RESETTING -> CONNECTING, right after the loss), queued and new I/O
 *       fails with Host Path Error instead of waiting for the reconnect, while attempts go on;
 *       {@link #fastFail(long)} says when. Cleared by a successful reconnect, as {@code nvme_stop_failfast_work}.</li>
 *   <li><b>Reset</b>: {@link #reconnected()} forgets the loss (the kernel zeroes {@code nr_reconnects}); the next
 *       loss starts a fresh {@code ctrl_loss_tmo}.</li>
 * </ul>
 *
 * <p>Not consulted here: a Connect that failed with DNR set, which the kernel never retries
 * ({@code nvmf_should_reconnect}: {@code status & NVME_STATUS_DNR}); the caller gives up on that itself.
 *
 * <p><b>Time.</b> Takes no clock: every decision gets {@code now} from the owner's work loop, which reads its
 * {@link dev.nvmeof.protocol.NanoClock} once per turn, so one turn sees one instant.
 *
 * <p><b>Threads.</b> Not thread-safe: owned by the controller's recovery work.
 */
public final class ReconnectPolicy {
    private final long reconnectDelay;
    private final long ctrlLossTmo;
    private final long fastIoFailTmo;

    private boolean lost;
    private long lossAt;
    private long nextAttemptAt;
    private boolean attemptRunning;
    private int attempts;

    /**
     * @param reconnectDelaySeconds positive
     * @param ctrlLossTmoSeconds    negative to reconnect forever
     * @param fastIoFailTmoSeconds  negative for off
     */
    public ReconnectPolicy(long reconnectDelaySeconds, long ctrlLossTmoSeconds, long fastIoFailTmoSeconds) {
        if (reconnectDelaySeconds <= 0) {
            throw new IllegalArgumentException("reconnect_delay must be positive: " + reconnectDelaySeconds);
        }
        this.reconnectDelay = Deadlines.secondsToNanos(reconnectDelaySeconds, "reconnect_delay");
        this.ctrlLossTmo = ctrlLossTmoSeconds < 0 ? -1 : Deadlines.secondsToNanos(ctrlLossTmoSeconds, "ctrl_loss_tmo");
        this.fastIoFailTmo = fastIoFailTmoSeconds < 0
                ? -1 : Deadlines.secondsToNanos(fastIoFailTmoSeconds, "fast_io_fail_tmo");
    }

    /**
     * The controller was lost at {@code now} (it just went LIVE -> RESETTING). A second call before
     * {@link #reconnected()} changes nothing: every deadline counts from the first loss.
     *
     * @return true if this call marked the loss
     */
    public boolean lost(long now) {
        return lost(now, false);
    }

    /**
     * As {@link #lost(long)}; when the path was withdrawn on purpose (a driver left while the target is fine) the
     * first attempt is due at once, and only the attempts after a failed one wait {@code reconnect_delay}.
     */
    public boolean lost(long now, boolean withdrawn) {
        if (lost) {
            return false;
        }
        lost = true;
        lossAt = now;
        nextAttemptAt = withdrawn ? now : now + reconnectDelay;
        attemptRunning = false;
        attempts = 0;
        return true;
    }

    /** True when an attempt should start now: lost, none running, the delay passed, and not given up. */
    public boolean nextAttemptDue(long now) {
        return lost && !attemptRunning && Deadlines.reached(nextAttemptAt, now) && !giveUp(now);
    }

    /** An attempt started at {@code now}. */
    public void attemptStarted(long now) {
        if (!lost) {
            throw new IllegalStateException("no loss to reconnect from");
        }
        attemptRunning = true;
        attempts++;
    }

    /** The running attempt failed at {@code now}; the next is due {@code reconnect_delay} later. */
    public void attemptFailed(long now) {
        if (!attemptRunning) {
            throw new IllegalStateException("no attempt running");
        }
        attemptRunning = false;
        nextAttemptAt = now + reconnectDelay;
    }

    /** An attempt succeeded: the controller is LIVE again. Forgets the loss. */
    public void reconnected() {
        lost = false;
        attemptRunning = false;
    }

    /** True once {@code ctrl_loss_tmo} has passed since the loss (never when it is negative). */
    public boolean giveUp(long now) {
        return lost && ctrlLossTmo >= 0 && Deadlines.reached(lossAt + ctrlLossTmo, now);
    }

    /** True once {@code fast_io_fail_tmo} has passed since the loss (never when it is off). */
    public boolean fastFail(long now) {
        return lost && fastIoFailTmo >= 0 && Deadlines.reached(lossAt + fastIoFailTmo, now);
    }

    public boolean isLost() {
        return lost;
    }

    public boolean isAttemptRunning() {
        return attemptRunning;
    }

    /** Attempts started since the loss. */
    public int attempts() {
        return attempts;
    }

    /** When the next attempt is due (meaningful while lost and no attempt runs). */
    public long nextAttemptAt() {
        return nextAttemptAt;
    }
}
