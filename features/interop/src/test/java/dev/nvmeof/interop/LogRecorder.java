package dev.nvmeof.interop;

import dev.nvmeof.protocol.log.Log;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Keeps every record of the project's loggers ({@link Log}: our target's and host's) while open, as
 * {@code LEVEL logger: message} lines, and passes each on to the platform logger as before.
 */
final class LogRecorder implements Log.Backend, AutoCloseable {
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final AutoCloseable route;

    private LogRecorder() {
        route = Log.route(this);
    }

    static LogRecorder start() {
        return new LogRecorder();
    }

    @Override
    public void log(String logger, System.Logger.Level level, String message, Throwable thrown) {
        lines.add(level + " " + logger + ": " + message);
        System.getLogger(logger).log(level, message, thrown);
    }

    @Override
    public boolean isLoggable(String logger, System.Logger.Level level) {
        return level.getSeverity() >= System.Logger.Level.INFO.getSeverity();
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
