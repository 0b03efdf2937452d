package dev.nvmeof.host.internal;

import dev.nvmeof.api.ControllerFailure;
import dev.nvmeof.api.ControllerState;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one place a controller's {@link ControllerState} changes: by compare-and-set, so when several
 * threads race (a transport error, a command timeout and a lost keep-alive all noticing the same dead connection)
 * exactly one wins and only the winner acts. In particular error recovery starts only for the caller whose
 * {@code transition(LIVE, RESETTING)} returned true, as the Linux transports start recovery only when
 * {@code nvme_change_ctrl_state(ctrl, NVME_CTRL_RESETTING)} succeeds ({@code nvme_tcp_error_recovery}).
 *
 * <p>Two ways in:
 * <ul>
 *   <li>{@link #transition(ControllerState, ControllerState)}: "I saw {@code from}; move to {@code to}". False when
 *       the state is no longer {@code from} (someone else moved first: lost the race, do nothing). A pair the
 *       table never allows is a bug in the caller, not a race, and throws {@link IllegalArgumentException} so it
 *       cannot hide behind a {@code false}.</li>
 *   <li>{@link #changeTo(ControllerState)}: "move to {@code to} from whatever the state is now, if allowed", which is
 *       exactly {@code nvme_change_ctrl_state(ctrl, new_state)}; used where any of several states will do, such as
 *       deleting ({@code nvme_delete_ctrl}). False when the current state may not go there.</li>
 * </ul>
 *
 * <p>Every change is reported to the {@link Listener} (for the DEBUG log line STYLE.md asks for) on the thread that
 * made it, after the change is visible. Listeners run outside any lock, so two changes made in quick succession by
 * different threads may be reported out of order; {@link #state()} is the truth.
 *
 * <p>The {@link Sink} hears every change in order, with its cause: the compare-and-set and the hand-over share the
 * machine's monitor (changes are rare, so it is never contended on the I/O path; reading the state takes no lock).
 */
public final class ControllerStateMachine {
    /** Told about every change that happened; must not throw (the change has already been made). */
    @FunctionalInterface
    public interface Listener {
        void changed(ControllerState from, ControllerState to);

        Listener NONE = (from, to) -> { };
    }

    /** Hears every change in the order made, under the machine's monitor: must only hand it on, never block. */
    @FunctionalInterface
    public interface Sink {
        /** @param failure why, or null */
        void changed(ControllerState from, ControllerState to, ControllerFailure failure);

        Sink NONE = (from, to, failure) -> { };
    }

    private final AtomicReference<ControllerState> state = new AtomicReference<>(ControllerState.NEW);
    private final Listener listener;
    private final Sink sink;
    private final Object order = new Object();

    public ControllerStateMachine(Listener listener) {
        this(listener, Sink.NONE);
    }

    public ControllerStateMachine(Listener listener, Sink sink) {
        this.listener = Objects.requireNonNull(listener, "listener");
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    public ControllerState state() {
        return state.get();
    }

    /**
     * Moves {@code from -> to} if the state is still {@code from}.
     *
     * @return true if this call made the change; false if the state was not {@code from} (nothing changed)
     * @throws IllegalArgumentException if the table never allows {@code from -> to}
     */
    public boolean transition(ControllerState from, ControllerState to) {
        return transition(from, to, null);
    }

    /** {@link #transition(ControllerState, ControllerState)} with the change's cause for the {@link Sink}. */
    public boolean transition(ControllerState from, ControllerState to, ControllerFailure failure) {
        if (!from.canTransitionTo(to)) {
            throw new IllegalArgumentException("illegal controller state transition " + from + " -> " + to);
        }
        synchronized (order) {
            if (!state.compareAndSet(from, to)) {
                return false;
            }
            sink.changed(from, to, failure);
        }
        listener.changed(from, to);
        return true;
    }

    /**
     * Moves to {@code to} from the current state if the table allows it.
     *
     * @return true if this call made the change; false if the current state may not go to {@code to}
     */
    public boolean changeTo(ControllerState to) {
        Objects.requireNonNull(to, "to");
        ControllerState from;
        synchronized (order) {
            from = state.get();
            if (!from.canTransitionTo(to)) {
                return false;
            }
            state.set(to); // under the monitor nothing else changes it
            sink.changed(from, to, null);
        }
        listener.changed(from, to);
        return true;
    }

    @Override
    public String toString() {
        return "ControllerStateMachine[" + state.get() + "]";
    }
}
