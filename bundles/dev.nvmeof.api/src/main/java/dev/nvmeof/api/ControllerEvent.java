package dev.nvmeof.api;

import java.util.Objects;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One state change of a controller, as a {@link ControllerListener} hears it: the controller, the state it left, the
 * state it entered, and for a change into {@link ControllerState#RESETTING} or {@link ControllerState#DEAD} why.
 *
 * @since 1.2
 */
@ProviderType
public final class ControllerEvent {
    private final NvmeController controller;
    private final ControllerState from;
    private final ControllerState to;
    private final ControllerFailure failure;

    private ControllerEvent(NvmeController controller, ControllerState from, ControllerState to,
            ControllerFailure failure) {
        this.controller = Objects.requireNonNull(controller, "controller");
        this.from = Objects.requireNonNull(from, "from");
        this.to = Objects.requireNonNull(to, "to");
        this.failure = failure;
    }

    /**
     * @param failure why, or null when nothing failed (every change but into RESETTING or DEAD, and DEAD after a
     *                disconnect)
     */
    public static ControllerEvent of(NvmeController controller, ControllerState from, ControllerState to,
            ControllerFailure failure) {
        return new ControllerEvent(controller, from, to, failure);
    }

    /** The controller; its {@link NvmeController#state()} may already have moved on. */
    public NvmeController controller() {
        return controller;
    }

    /** The state left. */
    public ControllerState from() {
        return from;
    }

    /** The state entered. */
    public ControllerState to() {
        return to;
    }

    /**
     * Why the controller entered {@link #to()}: always present for RESETTING (what started error recovery) and for
     * DEAD after {@code ctrl_loss_tmo} or a failed first connect; empty for DEAD after a disconnect
     * ({@code nvme disconnect}, the controller's configuration deleted, its transport gone) and for every other
     * change.
     */
    public Optional<ControllerFailure> failure() {
        return Optional.ofNullable(failure);
    }

    /** {@code nvme0: LIVE -> RESETTING (TRANSPORT_ERROR: connection lost: ...)}. */
    @Override
    public String toString() {
        return controller.name() + ": " + from + " -> " + to + (failure == null ? "" : " (" + failure + ")");
    }
}
