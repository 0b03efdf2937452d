package dev.nvmeof.host.internal;

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
        this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "nvme-" + controller.name() + "-work");
            thread.setDaemon(true);
            return thread;
        });
        long nanos = tick.toNanos();
        executor.scheduleWithFixedDelay(this::turn, nanos, nanos, TimeUnit.NANOSECONDS);
        controller.wakeup(() -> {
            if (!executor.isShutdown()) {
                executor.execute(this::turn);
            }
        });
    }

    private void turn() {
        try {
            controller.doWork(controller.settings().clock().nanoTime());
        } catch (RuntimeException e) {
            // A bug must not kill the loop that recovers the controller; the next turn tries again.
        }
    }

    void stop() {
        executor.shutdown();
    }
}
