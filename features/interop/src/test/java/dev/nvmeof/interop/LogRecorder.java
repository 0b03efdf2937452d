package dev.nvmeof.interop;

import dev.nvmeof.protocol.log.Log;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Keeps every record of the project's loggers ({@link Log}: our target's and host's) while open, as
 * {@code LEVEL logger: message} lines, and passes each on to the platform logger as before.
 */
final class LogRecorder implements Log.Backend, AutoCloseable {
    private final List<String> lines = new CopyOnWriteArrayList<>();
    /** Texts a test waits for, each with the future the first line containing it completes. */
    private final List<Waiter> waiters = new CopyOnWriteArrayList<>();
    private final System.Logger.Level minimum;
    private final AutoCloseable route;

    private record Waiter(String text, CompletableFuture<String> line) {
    }

    private LogRecorder(System.Logger.Level minimum) {
        this.minimum = minimum;
        route = Log.route(this);
    }

    /** Records INFO and above. */
    static LogRecorder start() {
        return new LogRecorder(System.Logger.Level.INFO);
    }

    /** Records {@code minimum} and above (DEBUG for the target's TLS handshake lines). */
    static LogRecorder start(System.Logger.Level minimum) {
        return new LogRecorder(minimum);
    }

    @Override
    public void log(String logger, System.Logger.Level level, String message, Throwable thrown) {
        String line = level + " " + logger + ": " + message;
        lines.add(line);
        for (Waiter waiter : waiters) {
            if (line.contains(waiter.text())) {
                waiter.line().complete(line);
            }
        }
        System.getLogger(logger).log(level, message, thrown);
    }

    @Override
    public boolean isLoggable(String logger, System.Logger.Level level) {
        return level.getSeverity() >= minimum.getSeverity();
    }

    /**
     * The first line containing {@code text}, recorded already or within {@code timeout} (a record written by
     * another thread, e.g. the target's event loop after the peer has seen the outcome).
     */
    String await(String text, Duration timeout) throws InterruptedException {
        Waiter waiter = new Waiter(text, new CompletableFuture<>());
        waiters.add(waiter); // first registered, then the lines so far: a line logged in between is not missed
        try {
            containing(text).stream().findFirst().ifPresent(waiter.line()::complete);
            return waiter.line().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("no log line containing \"" + text + "\" within " + timeout + "; recorded: "
                    + lines, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a waiter's future failed", e);
        } finally {
            waiters.remove(waiter);
        }
    }

    /** The lines recorded so far. */
    List<String> lines() {
        return List.copyOf(lines);
    }

    /** Forgets what was recorded. */
    void clear() {
        lines.clear();
    }

    /** The recorded lines containing {@code text}. */
    List<String> containing(String text) {
        return lines.stream().filter(line -> line.contains(text)).toList();
    }

    @Override
    public void close() {
        try {
            route.close();
        } catch (Exception e) {
            throw new IllegalStateException("cannot close the log route", e);
        }
    }
}
