package dev.nvmeof.testkit.driver;

import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import dev.nvmeof.spi.offload.OffloadQueueHandle;
import dev.nvmeof.spi.transport.TransportRequest;

/** The ULP's side of one queue as the suite plays it: every completion and error, in the order they came. */
final class RecordingHandle implements OffloadQueueHandle {

    /** An error report, with its cause as given (possibly null). */
    record Reported(Throwable cause) {
    }

    private final List<Object> events = new ArrayList<>();

    @Override
    public synchronized void completed(TransportRequest request) {
        events.add(request);
        notifyAll();
    }

    @Override
    public synchronized void reportError(Throwable cause) {
        events.add(new Reported(cause));
        notifyAll();
    }

    synchronized List<Object> events() {
        return List.copyOf(events);
    }

    synchronized int size() {
        return events.size();
    }

    synchronized List<Reported> errors() {
        return events.stream().filter(Reported.class::isInstance).map(Reported.class::cast).toList();
    }

    /** How often each request completed. */
    synchronized Map<TransportRequest, Integer> completions() {
        Map<TransportRequest, Integer> times = new IdentityHashMap<>();
        for (Object event : events) {
            if (event instanceof TransportRequest request) {
                times.merge(request, 1, Integer::sum);
            }
        }
        return times;
    }

    /** Waits until at least {@code n} events arrived; false when {@code timeout} passed first. */
    synchronized boolean await(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (events.size() < n) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    /** Waits until {@code request} completed; false when {@code timeout} passed first. */
    synchronized boolean awaitCompleted(TransportRequest request, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (events.stream().noneMatch(e -> e == request)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    /** Waits until an error was reported; false when {@code timeout} passed first. */
    synchronized boolean awaitError(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (events.stream().noneMatch(Reported.class::isInstance)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }
}
