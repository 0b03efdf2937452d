package dev.nvmeof.testkit.driver;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The suite's checks: a failed one throws {@link AssertionError}; calls into the driver that may hang are bounded. */
final class Checks {
    private Checks() {
    }

    static void check(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError(what);
        }
    }

    static void equal(Object expected, Object actual, String what) {
        if (expected == null ? actual != null : !expected.equals(actual)) {
            throw new AssertionError(what + ": expected " + expected + ", was " + actual);
        }
    }

    /**
     * Runs {@code call} on its own daemon thread and waits at most {@code bound}: a driver call that hangs fails the
     * check (saying {@code what} did not return) instead of the suite. The thread is left to finish by itself.
     */
    static <T> T bounded(String what, Duration bound, Callable<T> call) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                result.complete(call.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }, "conformance-call");
        thread.setDaemon(true);
        thread.start();
        try {
            return result.get(bound.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(what + " did not return within " + bound.toMillis() + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception exception) {
                throw exception;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    static void bounded(String what, Duration bound, Runnable call) throws Exception {
        bounded(what, bound, () -> {
            call.run();
            return null;
        });
    }
}
