package dev.nvmeof.host.internal;

import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.HostIdentity;
import dev.nvmeof.api.NvmeException;
import dev.nvmeof.api.NvmeTransportException;
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
    /** The host's transports by name, for {@code offload_fallback}. */
    private final Function<String, Transport> transports;
    private final HostSettings settings;
    private final HostQueue.Listener queueListener;
    private volatile ConnectSequence.Connected current;
    private volatile ConnectSequence attempt;
    /** Why the association in use is the fallback transport's (no device claimed), or null when it is not. */
    private volatile String fallbackReason;
    /** The last association's limit, kept while reconnecting so requests held meanwhile are split alike. */
    private volatile int maxTransferSize = 4096;

    /**
     * @param options       with the host identity filled in
     * @param transports    the host's transports by name (null when there is none): {@code offload_fallback}
     * @param queueListener told when a queue of an association fails
     */
    ControllerAssociation(ConnectOptions options, Transport transport, Function<String, Transport> transports,
            HostSettings settings, HostQueue.Listener queueListener) {
        this.options = Objects.requireNonNull(options, "options");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.transports = Objects.requireNonNull(transports, "transports");
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
        String fallback = null;
        ConnectOptions used = options;
        TransportAssociation association;
        try {
            association = transport.associate(options); // the preferred transport first, on every attempt
        } catch (NvmeTransportException noPath) {
            Transport software = noPath.noPath() && options.offloadFallback() != null
                    ? transports.apply(options.offloadFallback()) : null;
            if (software == null) {
                throw noPath;
            }
            used = options.toBuilder().transport(software.name()).clear("offload_fallback").build()
                    .withDefaultHost(new HostIdentity(options.hostnqn(), options.hostid()));
            software.optionPolicy().check(used);
            association = software.associate(used);
            fallback = noPath.getMessage();
        }
        ConnectSequence sequence = new ConnectSequence(used, settings, queueListener, abandoned);
        attempt = sequence;
        try {
            ConnectSequence.Connected connected = sequence.run(association, scan);
            fallbackReason = fallback;
            return connected;
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
        if (c == null) {
            return transport.name() + " (not connected)";
        }
        String fallback = fallbackReason;
        return fallback == null ? c.association().describe()
                : options.offloadFallback() + " (fallback from " + transport.name() + ": " + fallback + "): "
                        + c.association().describe();
    }
}
