package dev.nvmeof.driver.kit.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import dev.nvmeof.api.ControllerEvent;
import dev.nvmeof.api.ControllerListener;
import dev.nvmeof.api.ControllerState;

/**
 * What a host shows while it recovers, heard through the public {@link ControllerListener}: every controller state
 * change (as {@code LIVE->RESETTING}), the cause of each error recovery, and which controllers ended DEAD. Waits are
 * bounded and sleep-free.
 */
final class HostWatch implements ControllerListener {
    private final List<String> transitions = new ArrayList<>();
    private final List<String> recoveries = new ArrayList<>();
    private final List<String> dead = new ArrayList<>();

    @Override
    public synchronized void stateChanged(ControllerEvent event) {
        transitions.add(event.from() + "->" + event.to());
        if (event.to() == ControllerState.RESETTING) {
            recoveries.add(event.failure().orElseThrow().message());
        } else if (event.to() == ControllerState.DEAD) {
            dead.add(event.controller().name());
        }
        notifyAll();
    }

    synchronized List<String> transitions() {
        return List.copyOf(transitions);
    }

    /** The cause of each error recovery so far, in order. */
    synchronized List<String> recoveries() {
        return List.copyOf(recoveries);
    }

    /** Waits until controller {@code name} is DEAD, which listeners hear once the host forgot it. */
    synchronized void awaitDead(String name, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!dead.contains(name)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("waited " + timeout + " for " + name + " to die; dead " + dead);
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
}
