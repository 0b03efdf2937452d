package dev.nvmeof.host.internal;

import dev.nvmeof.protocol.log.Log;
import java.nio.ByteBuffer;
import java.time.Duration;

import dev.nvmeof.api.IoRequest;
import dev.nvmeof.spi.transport.TransportRequest;

/**
 * Whom a request on a {@link HostQueue} belongs to, and so how it is written, whether recovery reissues it and how it
 * ends. Either a namespace's caller I/O ({@link NamespaceIo}) or one of the core's own {@link Command}s.
 *
 * <p>A request travels as a pair: its owner and, for caller I/O, the caller's {@link IoRequest} beside it (null for
 * a command, which carries its own state). {@code IoRequest} is an API type we cannot extend, and wrapping it would
 * cost an object per I/O or a holder whose reuse could race a completion still running; the owner of caller I/O is
 * one object per namespace instead, so the submit path allocates nothing.
 */
sealed interface RequestOwner permits NamespaceIo, Command {

    /**
     * The caller's request whose operation and polled flag pick the I/O queue: {@code io} itself, the whole request
     * a split piece is part of, or null for an admin command.
     */
    IoRequest ioRequest(IoRequest io);

    /**
     * Writes the SQE with CID {@code cid} into {@code request} and names its data.
     *
     * @param dsmRange the tag's Dataset Management range buffer (null on the admin queue)
     */
    void prepare(IoRequest io, TransportRequest request, int cid, ByteBuffer dsmRange);

    /** Whether error recovery puts the request back to be reissued (I/O) rather than failing it (admin). */
    boolean requeueable();

    /** The request ended: {@code statusWord} 0 for success, else the NVMe (or host) status; DW0 and DW1 of the CQE. */
    void complete(IoRequest io, int statusWord, int dw0, int dw1);

    /** The request missed its deadline on a controller that was not LIVE (ARCHITECTURE: Host Aborted, 0x371). */
    void timedOut(IoRequest io, Duration timeout);

    /**
     * {@link #complete} for code that must go on whatever happens (completions, teardown, recovery). A caller's
     * callback is foreign code: one that throws (even an {@code Error}) is logged and changes nothing for the host.
     */
    static void finish(RequestOwner owner, IoRequest io, int statusWord, int dw0, int dw1) {
        try {
            owner.complete(io, statusWord, dw0, dw1);
        } catch (RuntimeException | Error e) {
            callbackThrew(e);
        }
    }

    /** {@link #timedOut}, guarded like {@link #finish}. */
    static void expire(RequestOwner owner, IoRequest io, Duration timeout) {
        try {
            owner.timedOut(io, timeout);
        } catch (RuntimeException | Error e) {
            callbackThrew(e);
        }
    }

    private static void callbackThrew(Throwable e) {
        Log.get("dev.nvmeof.host").log(System.Logger.Level.WARNING,
                "a completion callback threw (ignored): " + e, e);
    }
}
