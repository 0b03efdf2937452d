package dev.nvmeof.protocol;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Handing a task to the thread that owns some state (an event loop, a NIC engine) and waiting for it, without waiting
 * on an owner that has stopped: a task handed over after the owner's last turn never runs.
 */
public final class HandOff {
    private HandOff() {
    }

    /**
     * Runs {@code task} at once when called on {@code ownerThread} (handing it over would wait for the caller
     * itself); else hands it to {@code owner} and waits at most {@code timeoutMillis}.
     *
     * @param ownerThread the thread that runs what {@code owner} is handed
     * @param stopped     completed when the owner runs no more tasks
     * @return true once the task ran; false when the time ran out or the owner stopped first
     */
    public static boolean runAndWait(Thread ownerThread, Executor owner, Runnable task, CompletableFuture<?> stopped,
            long timeoutMillis) throws InterruptedException {
        if (Thread.currentThread() == ownerThread) {
            task.run();
            return true;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        owner.execute(() -> {
            try {
                task.run();
            } finally {
                done.complete(null);
            }
        });
        try {
            CompletableFuture.anyOf(done, stopped).get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // whether it ran is said below
        }
        return done.isDone();
    }
}
