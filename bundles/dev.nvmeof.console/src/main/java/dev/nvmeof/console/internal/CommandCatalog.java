package dev.nvmeof.console.internal;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import org.apache.felix.service.command.CommandSession;

/**
 * Which commands a Gogo session can run, and a bounded wait for one that is not there yet: the stack starts
 * asynchronously, so a script's first {@code nvme ...} may come before the component that provides it.
 *
 * <p>Gogo itself answers whether a name is a command ({@code session.get("*:name")}, as its own shells do). Whoever
 * sees commands come and go calls {@link #changed()} (in OSGi: a service listener on {@code osgi.command.function}).
 * A service event may reach that listener before it reaches Gogo's own tracker, so a waiter also looks again every
 * {@link #RECHECK} on its own.
 */
public final class CommandCatalog {
    static final Duration RECHECK = Duration.ofMillis(100);

    private final CommandSession session;
    private final Consumer<String> onWait;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private long generation;

    /** @param onWait told the name of a command before waiting for it (a log line; tests use it as a latch) */
    public CommandCatalog(CommandSession session, Consumer<String> onWait) {
        this.session = session;
        this.onWait = onWait;
    }

    /** Whether {@code name} ({@code function} or {@code scope:function}) is a command of the session now. */
    public boolean isCommand(String name) {
        return session.get(name.indexOf(':') < 0 ? "*:" + name : name) != null;
    }

    /** Commands were registered or unregistered: waiters look again. */
    public void changed() {
        lock.lock();
        try {
            generation++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until {@code name} is a command; false if it is not one within {@code timeout}. */
    public boolean await(String name, Duration timeout) throws InterruptedException {
        if (isCommand(name)) {
            return true;
        }
        onWait.accept(name);
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (!isCommand(name)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                long seen = generation;
                long slice = Math.min(left, RECHECK.toNanos());
                while (generation == seen && slice > 0) {
                    slice = changed.awaitNanos(slice);
                }
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** For a log line: how long a wait was, in seconds when whole. */
    static String describe(Duration timeout) {
        return timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
    }
}
