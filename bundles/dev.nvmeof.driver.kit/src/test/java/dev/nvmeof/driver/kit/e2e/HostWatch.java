package dev.nvmeof.driver.kit.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import dev.nvmeof.api.ControllerState;
import dev.nvmeof.api.NvmeNamespace;
import dev.nvmeof.host.internal.HostController;
import dev.nvmeof.host.internal.HostListener;

/**
 * What a host shows while it recovers: every controller state change (as {@code LIVE->RESETTING}) and namespace
 * withdrawn, heard through the core's {@link HostListener}, and the reason each error recovery started, which the core logs as a warning
 * ({@code nvme0: error recovery: <cause>}) and has no other handle for. Waits are bounded and sleep-free.
 */
final class HostWatch extends Handler implements HostListener, AutoCloseable {
    private static final String HOST_LOGGER = "dev.nvmeof.host";

    private final Logger logger = Logger.getLogger(HOST_LOGGER);
    private final SimpleFormatter formatter = new SimpleFormatter();
    private final List<String> transitions = new ArrayList<>();
    private final List<String> recoveries = new ArrayList<>();
    private final List<String> removed = new ArrayList<>();

    HostWatch() {
        setLevel(Level.WARNING);
        logger.addHandler(this);
    }

    @Override
    public void stateChanged(HostController controller, ControllerState from, ControllerState to) {
        synchronized (this) {
            transitions.add(from + "->" + to);
            notifyAll();
        }
    }

    @Override
    public void namespaceRemoved(HostController controller, NvmeNamespace namespace) {
        synchronized (this) {
            removed.add(namespace.name());
            notifyAll();
        }
    }

    @Override
    public void publish(LogRecord record) {
        String message = formatter.formatMessage(record);
        int at = message.indexOf(": error recovery: ");
        if (at >= 0) {
            synchronized (this) {
                recoveries.add(message.substring(at + ": error recovery: ".length()));
                notifyAll();
            }
        }
    }

    synchronized List<String> transitions() {
        return List.copyOf(transitions);
    }

    /** The cause of each error recovery so far, in order. */
    synchronized List<String> recoveries() {
        return List.copyOf(recoveries);
    }

    /** Waits until the namespace {@code name} was withdrawn (a DEAD controller's, after the host forgot it). */
    synchronized void awaitRemoved(String name, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!removed.contains(name)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("waited " + timeout + " for " + name + " to go; removed " + removed);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** Waits until the last transition is {@code last} after at least one {@code LIVE->RESETTING}. */
    List<String> awaitRecoveredTo(String last, Duration timeout) throws InterruptedException {
        return await(t -> t.contains("LIVE->RESETTING") && t.get(t.size() - 1).equals(last), timeout);
    }

    /** Waits until the transitions so far satisfy {@code done}; returns them. */
    synchronized List<String> await(Predicate<List<String>> done, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.test(transitions)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("waited " + timeout + "; transitions " + transitions + ", recoveries "
                        + recoveries);
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return List.copyOf(transitions);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
