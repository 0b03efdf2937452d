package dev.nvmeof.shell.internal;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Every JUL record (message and exception) while open, at every level, for tests that scan logs for secrets. */
final class LogCapture extends Handler implements AutoCloseable {
    private final StringBuilder seen = new StringBuilder();
    private final Logger root = Logger.getLogger("");
    private final Level level = root.getLevel();

    private LogCapture() {
        root.addHandler(this);
        root.setLevel(Level.ALL);
    }

    static LogCapture start() {
        return new LogCapture();
    }

    @Override
    public void publish(LogRecord record) {
        synchronized (seen) {
            seen.append(record.getMessage()).append('\n');
            if (record.getThrown() != null) {
                seen.append(record.getThrown()).append('\n');
            }
        }
    }

    /** What was logged so far. */
    String text() {
        synchronized (seen) {
            return seen.toString();
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        root.removeHandler(this);
        root.setLevel(level);
    }
}
