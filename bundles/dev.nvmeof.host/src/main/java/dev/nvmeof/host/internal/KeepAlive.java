package dev.nvmeof.host.internal;

import java.util.Objects;

import dev.nvmeof.protocol.NanoClock;

/**
 * When the host must send a Keep Alive, and when one it sent is lost, for a controller with Keep Alive Timeout
 * {@code kato} (default 5 s, 0 on discovery controllers and disables all of this; ARCHITECTURE.md "Defaults").
 * Follows the Linux host ({@code drivers/nvme/host/core.c}, 6.x):
 *
 * <ul>
 *   <li><b>Period</b> ({@code nvme_keep_alive_work_period}): the check runs every {@code kato / 2}, the NVMe spec's
 *       "send Keep Alive commands at half of the Keep Alive Timeout"; with Traffic Based Keep Alive (the
 *       controller's CTRATT.TBKAS) every {@code kato / 4}, because one completion may postpone the Keep Alive by up
 *       to two periods.</li>
 *   <li><b>Check</b> ({@code nvme_keep_alive_work}): if TBKAS and a command completed since the last check
 *       ({@code comp_seen}), the traffic has already reset the controller's timer: skip the Keep Alive, forget the
 *       traffic and check again a period later. Otherwise send one. Without TBKAS, traffic changes nothing.</li>
 *   <li><b>Which completions count</b> ({@code nvme_complete_rq}): only commands <em>submitted</em> at or after the
 *       last check ({@code req->deadline - req->timeout >= ctrl->ka_last_check_time}); a long-running command may
 *       have been processed by the controller long before it completed.</li>
 *   <li><b>After a Keep Alive completes</b> ({@code nvme_keep_alive_end_io}): forget the traffic, and check again a
 *       period after the Keep Alive was <em>sent</em> (the kernel subtracts the round trip from the delay), at once
 *       if that is already past. No second Keep Alive is sent while one is outstanding.</li>
 *   <li><b>Lost</b>: the Keep Alive is a command with timeout {@code kato} ({@code rq->timeout = ctrl->kato * HZ});
 *       when it expires the transport's timeout handler starts error recovery. So {@link #lost(long)} is true from
 *       {@code sentAt + kato} on while it is outstanding (same "reached" rule as every timer here,
 *       {@link Deadlines}).</li>
 * </ul>
 *
 * <p>The owner's work loop calls {@link #due(long)} each turn and, when true, sends the Keep Alive and calls
 * {@link #sent(long)}; feeds {@link #commandCompleted(long)} and {@link #completed(long)}; and starts recovery when
 * {@link #lost(long)}. {@link #restart(long)} after every (re)connect, as {@code nvme_start_keep_alive}.
 *
 * <p><b>Threads.</b> Not thread-safe: owned by the admin queue's owner thread.
 */
public final class KeepAlive {
    private final long kato;
    private final boolean trafficBased;
    private final long period;

    private long nextCheck;
    private long lastCheck;
    private boolean completionSeen;
    private boolean outstanding;
    private long sentAt;

    /**
     * Starts counting now, by {@code clock}.
     *
     * @param katoNanos    the Keep Alive Timeout, 0 to disable keep-alive
     * @param trafficBased whether the controller supports Traffic Based Keep Alive (Identify Controller CTRATT.TBKAS)
     */
    public KeepAlive(NanoClock clock, long katoNanos, boolean trafficBased) {
        Objects.requireNonNull(clock, "clock");
        if (katoNanos < 0) {
            throw new IllegalArgumentException("kato must not be negative: " + katoNanos);
        }
        this.kato = katoNanos;
        this.trafficBased = trafficBased;
        this.period = trafficBased ? katoNanos / 4 : katoNanos / 2;
        restart(clock.nanoTime());
    }

    /** Without Traffic Based Keep Alive. */
    public KeepAlive(NanoClock clock, long katoNanos) {
        this(clock, katoNanos, false);
    }

    /** Forgets everything and schedules the first check a period from {@code now} (after each (re)connect). */
    public void restart(long now) {
        lastCheck = now;
        nextCheck = now + period;
        completionSeen = false;
        outstanding = false;
    }

    /**
     * The periodic check: true when a Keep Alive must be sent now. With TBKAS and fresh traffic, consumes the
     * traffic and moves the check a period on instead (then false).
     */
    public boolean due(long now) {
        if (kato == 0 || outstanding || !Deadlines.reached(nextCheck, now)) {
            return false;
        }
        if (trafficBased && completionSeen) {
            completionSeen = false;
            lastCheck = now;
            nextCheck = now + period;
            return false;
        }
        return true;
    }

    /** The Keep Alive went out at {@code now}. */
    public void sent(long now) {
        outstanding = true;
        sentAt = now;
        lastCheck = now;
    }

    /** The Keep Alive sent last completed (successfully) at {@code now}. */
    public void completed(long now) {
        if (!outstanding) {
            return;
        }
        outstanding = false;
        completionSeen = false;
        lastCheck = now;
        nextCheck = sentAt + period;
    }

    /** Some other command, submitted at {@code submittedAt}, completed: traffic, if it started after the last check. */
    public void commandCompleted(long submittedAt) {
        if (submittedAt - lastCheck >= 0) {
            completionSeen = true;
        }
    }

    /** True once a Keep Alive has been outstanding for {@code kato}: the connection is presumed dead. */
    public boolean lost(long now) {
        return outstanding && Deadlines.reached(sentAt + kato, now);
    }

    public boolean isOutstanding() {
        return outstanding;
    }

    public boolean isEnabled() {
        return kato != 0;
    }

    /** The interval between checks: {@code kato / 2}, or {@code kato / 4} with TBKAS. */
    public long periodNanos() {
        return period;
    }

    /** When the next check is due (meaningless while a Keep Alive is outstanding or keep-alive is disabled). */
    public long nextCheckAt() {
        return nextCheck;
    }
}
