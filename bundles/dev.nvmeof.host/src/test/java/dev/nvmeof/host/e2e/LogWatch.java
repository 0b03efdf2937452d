package dev.nvmeof.host.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Watches what a component logs through {@code System.Logger} (backed by java.util.logging in these tests), so a test
 * can wait for an event it has no other handle on (the host starting error recovery, a state transition, the target
 * tearing a controller down) with a bounded wait on a monitor instead of sleeping.
 */
final class LogWatch extends Handler implements AutoCloseable {
    private final Logger logger;
    private final Level previous;
    private final SimpleFormatter formatter = new SimpleFormatter();
    private final List<String> messages = new ArrayList<>();

    private LogWatch(Logger logger, Level level) {
        this.logger = logger;
        this.previous = logger.getLevel();
        logger.setLevel(level);
        setLevel(level);
        logger.addHandler(this);
    }

    /** Watches {@code name} (e.g. {@code dev.nvmeof.host}) from {@code level} up. */
    static LogWatch on(String name, Level level) {
        return new LogWatch(Logger.getLogger(name), level);
    }

    @Override
    public void publish(LogRecord record) {
        if (record.getLevel().intValue() < getLevel().intValue()) {
            return;
        }
        String message = formatter.formatMessage(record);
        synchronized (messages) {
            messages.add(message);
            messages.notifyAll();
        }
    }

    /** How many messages so far contain {@code text}. */
    int count(String text) {
        return count(m -> m.contains(text));
    }

    int count(Predicate<String> matches) {
        synchronized (messages) {
            int n = 0;
            for (String message : messages) {
                if (matches.test(message)) {
                    n++;
                }
            }
            return n;
        }
    }

    /** Waits until {@code n} messages in all contain {@code text}; fails after {@code timeout}. */
    void await(String text, int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (messages) {
            while (count(text) < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("waited " + timeout + " for " + n + " log messages with '" + text
                            + "'; saw " + messages);
                }
                messages.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /** Every message so far, formatted. */
    List<String> messages() {
        synchronized (messages) {
            return List.copyOf(messages);
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
        logger.setLevel(previous);
    }
}
