package dev.nvmeof.nic.emulated;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * A hardware queue pair of the offload engine: one NVMe/TCP connection, a submission ring with a doorbell and a
 * completion ring. The driver owns the submission side (one thread at a time): fill {@link #slot(int)} for entries
 * {@code tail, tail+1, ...} (indexes taken modulo {@link #depth()}), then {@link #ringDoorbell(int)} with the new
 * tail. An entry is the driver's again once its command's completion was reaped, so at most {@link #depth()}
 * commands are outstanding; a doorbell beyond that is refused.
 */
@org.osgi.annotation.versioning.ProviderType
public interface QueuePair extends AutoCloseable {

    int qid();

    int depth();

    /**
     * The port ({@code p1p1}) whose address the connection is bound to, fixed at creation: to pick the queue pairs
     * on one port, e.g. to inject a fault on each.
     *
     * @since 2.1
     */
    String port();

    /** The local address the connection is bound to (the port's). */
    InetSocketAddress localAddress();

    /** MAXH2CDATA the controller granted in ICResp. */
    int maxH2cData();

    /** The submission slot for ring index {@code index} (any int; taken modulo {@link #depth()}). */
    SubmissionSlot slot(int index);

    /**
     * Publishes entries up to (excluding) {@code tail}, a running count: one volatile write, and the engine is woken
     * only if it is not already due to look at this ring.
     *
     * @throws IllegalStateException    when the ring would hold more than {@link #depth()} outstanding commands, or
     *                                  the queue pair has failed or been drained
     * @throws IllegalArgumentException when {@code tail} moves backwards
     */
    void ringDoorbell(int tail);

    /** The tail last published. */
    int tail();

    /**
     * Hands every completion ring entry published so far to {@code handler}, in order, and frees their slots. Not
     * concurrently with itself. Works with or without a listener (a polled queue pair has none).
     *
     * @return how many entries were reaped
     */
    int reapCompletions(CompletionHandler handler);

    /**
     * Blocks until the engine has stopped this queue pair: on return no completion will be published, no listener
     * called, and no host buffer read or written. Closes the connection. Idempotent; callable from the listener.
     */
    void drain();

    /** Whether the queue pair still serves commands (connected, not failed, not drained). */
    boolean live();

    /**
     * Why the queue pair failed (what {@link QueuePairListener#queueFailed} is told), or empty while it serves or
     * after a drain; how a polled queue pair, which has no listener, learns the cause.
     */
    Optional<IOException> failure();

    /** Drains, then releases the engine's resources. */
    @Override
    void close();
}
