package dev.nvmeof.host.internal;

import java.util.Objects;
import java.util.function.BooleanSupplier;

import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.NvmeException;
import dev.nvmeof.spi.transport.Transport;
import dev.nvmeof.spi.transport.TransportAssociation;

/**
 * A controller's association with its subsystem: the connect attempt running (a {@link ConnectSequence} on a new
 * transport association) and the association in use once an attempt succeeded, installed by
 * {@link HostController#goLive} and taken away by recovery's teardown or by delete.
 *
 * <p><b>Threads.</b> Attempts run on the connecting thread or the work thread, one at a time; the work loop checks
 * the running attempt's timeouts meanwhile. {@link #current()} is read from any thread: submitters, the work loop,
 * the controller's view.
 */
final class ControllerAssociation {
    private final ConnectOptions options;
    private final Transport transport;
    private final HostSettings settings;
    private final HostQueue.Listener queueListener;
    private volatile ConnectSequence.Connected current;
    private volatile ConnectSequence attempt;
    /** The last association's limit, kept while reconnecting so requests held meanwhile are split alike. */
    private volatile int maxTransferSize = 4096;

    /**
     * @param options       with the host identity filled in
     * @param queueListener told when a queue of an association fails
     */
    ControllerAssociation(ConnectOptions options, Transport transport, HostSettings settings,
            HostQueue.Listener queueListener) {
        this.options = Objects.requireNonNull(options, "options");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.queueListener = Objects.requireNonNull(queueListener, "queueListener");
    }

    /**
     * One attempt: associate, run the connect sequence; the association is closed again when it fails. The
     * attempt's queues are checked for timeouts by the work loop too while it runs ({@link #checkAttemptTimeouts}).
     *
     * @param scan      scan the namespaces (the first connect of an I/O controller)
     * @param abandoned true when the attempt must stop now
     */
    ConnectSequence.Connected attempt(boolean scan, BooleanSupplier abandoned) throws NvmeException {
        TransportAssociation association = transport.associate(options);
        ConnectSequence sequence = new ConnectSequence(options, settings, queueListener, abandoned);
        attempt = sequence;
        try {
            return sequence.run(association, scan);
        } catch (NvmeException | RuntimeException e) {
            association.close();
            throw e;
        } finally {
            attempt = null;
        }
    }

    /** The work loop's part of a running attempt (none: nothing to do). */
    void checkAttemptTimeouts(long now) {
        ConnectSequence running = attempt;
        if (running != null) {
            running.checkTimeouts(now);
        }
    }

    /**
     * Makes {@code result} the association in use. A volatile write: what the caller wrote before is visible to a
     * work loop that reads {@link #current()} first.
     */
    void install(ConnectSequence.Connected result) {
        maxTransferSize = result.maxTransferSize();
        current = result;
    }

    /** The association in use; null while there is none (connecting, recovering, deleted). */
    ConnectSequence.Connected current() {
        return current;
    }

    /** Takes the association in use away (teardown); null when there is none. */
    ConnectSequence.Connected take() {
        ConnectSequence.Connected c = current;
        current = null;
        return c;
    }

    /** The most bytes one command moves (MDTS and the transport's limit) on the last association. */
    int maxTransferSize() {
        return maxTransferSize;
    }

    /** The association in use as the transport describes it, or the transport's name while there is none. */
    String describe() {
        ConnectSequence.Connected c = current;
        return c == null ? transport.name() + " (not connected)" : c.association().describe();
    }
}
