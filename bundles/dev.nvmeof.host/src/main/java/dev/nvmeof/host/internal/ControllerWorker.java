package dev.nvmeof.host.internal;

import dev.nvmeof.protocol.log.Log;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The production driver of one controller's work loop: a single daemon thread calling
 * {@link HostController#doWork(long)} every {@code tick} and at once when the controller asks (an error to recover
 * from). Being one thread, it keeps {@code doWork} single-owner. Tests do not use it: they call {@code doWork}
 * themselves on a manual clock.
 */
final class ControllerWorker {
    private final HostController controller;
    private final ScheduledExecutorService executor;

    ControllerWorker(HostController controller, Duration tick) {
        this.controller = controller;
        this.executor = Executors.newSingleThreadScheduledExecutor(
                HostThreads.named("nvme-" + controller.name() + "-work"));
        long nanos = tick.toNanos();
        executor.scheduleWithFixedDelay(this::turn, nanos, nanos, TimeUnit.NANOSECONDS);
        controller.wakeup(() -> {
            if (!executor.isShutdown()) {
                executor.execute(this::turn);
            }
        });
    }

    /**
     * One turn. Nothing may escape: a scheduled task that throws is never run again, which would silently stop the
     * loop that recovers the controller. A failure is reported and the next turn tries again.
     */
    private void turn() {
        try {
            controller.doWork(controller.settings().clock().nanoTime());
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.ERROR, controller.name() + ": work turn failed: " + e, e);
        }
    }

    private static final System.Logger LOG = Log.get("dev.nvmeof.host");

    void stop() {
        executor.shutdown();
    }
}
