package dev.nvmeof.driver.zenith.itest;

import static org.junit.Assert.fail;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;

/**
 * Waits (bounded) for a bundle's log line: how a test knows a component acted on a configuration or a service, when
 * no service says so (the ULP binding a driver, the target adding a namespace). Sees the lines logged before it was
 * opened (the log's history) and after (a listener), so the configurations a test framework applied at start-up are
 * not missed. Needs the log level at INFO ({@code org.osgi.service.log.admin.loglevel}).
 */
final class LogLines implements AutoCloseable {
    private final LogReaderService reader;
    private final BlockingQueue<LogEntry> lines = new LinkedBlockingQueue<>();
    private final LogListener listener = lines::add;
    /** Lines taken from {@code lines} so far; one thread (the test's) reads and writes it. */
    private final List<LogEntry> read = new ArrayList<>();

    LogLines(LogReaderService reader) {
        this.reader = reader;
        reader.addLogListener(listener); // first, so no line falls between the history and the listener
        List<LogEntry> past = Collections.list(reader.getLog()); // newest first
        Collections.reverse(past);
        lines.addAll(past); // a line in both is only seen twice, which await() does not mind
    }

    /**
     * Returns once {@code bundle} logged a line starting with {@code prefix} (now or before; lines already read are
     * kept, so awaits in any order see them); fails after {@code seconds}.
     */
    void await(String bundle, String prefix, long seconds) throws InterruptedException {
        for (LogEntry entry : read) {
            if (matches(entry, bundle, prefix)) {
                return;
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        for (;;) {
            LogEntry entry = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (entry == null) {
                fail(bundle + " did not log '" + prefix + "...' within " + seconds + " s; it logged "
                        + read.stream().filter(e -> matches(e, bundle, "")).map(LogEntry::getMessage).toList());
            }
            read.add(entry);
            if (matches(entry, bundle, prefix)) {
                return;
            }
        }
    }

    private static boolean matches(LogEntry entry, String bundle, String prefix) {
        return entry.getBundle() != null && bundle.equals(entry.getBundle().getSymbolicName())
                && entry.getMessage().startsWith(prefix);
    }

    @Override
    public void close() {
        reader.removeLogListener(listener);
    }
}
