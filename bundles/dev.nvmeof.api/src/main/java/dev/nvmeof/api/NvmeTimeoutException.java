package dev.nvmeof.api;

import java.time.Duration;
import java.util.Objects;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A connect step or a command missed its deadline. {@link #step()} names what was awaited, in the words the
 * connect sequence uses ({@link #IC_RESP}, {@link #CONNECT}, {@link #CSTS_RDY}, {@link #IDENTIFY}, ...), and
 * {@link #timeout()} how long it was given. During connect a missed deadline fails that attempt; on a live
 * controller a command timeout starts error recovery (ARCHITECTURE.md, "What a caller sees when something fails").
 */
@ProviderType
public class NvmeTimeoutException extends NvmeException {

    private static final long serialVersionUID = 1L;

    /** Waiting for the ICResp PDU after sending ICReq (Linux: 10 s). */
    public static final String IC_RESP = "ICResp";
    /** Waiting for the response to a Fabrics Connect command. */
    public static final String CONNECT = "Connect";
    /** Waiting for a Property Get or Property Set response (CAP, VS, CC). */
    public static final String PROPERTY = "Property Get/Set";
    /** Waiting for CSTS.RDY to follow CC.EN (bounded by CAP.TO). */
    public static final String CSTS_RDY = "CSTS.RDY";
    /** Waiting for an Identify response. */
    public static final String IDENTIFY = "Identify";
    /** Waiting for a Set Features Number of Queues response. */
    public static final String SET_FEATURES = "Set Features";
    /** Waiting for CSTS.SHST to report the shutdown complete after CC.SHN. */
    public static final String SHUTDOWN = "CSTS.SHST";
    /** Waiting for the completion of an admin command. */
    public static final String ADMIN_COMMAND = "admin command";
    /** Waiting for the completion of an I/O command. */
    public static final String IO_COMMAND = "I/O command";

    private final String step;
    private final Duration timeout;

    protected NvmeTimeoutException(String message, String step, Duration timeout) {
        super(message);
        this.step = step;
        this.timeout = timeout;
    }

    /**
     * @param step what was awaited, e.g. {@link #IC_RESP}
     * @param timeout the deadline it missed, counted from when the wait began
     */
    public static NvmeTimeoutException of(String step, Duration timeout) {
        return of(step, timeout, null);
    }

    /**
     * @param step what was awaited, e.g. {@link #IO_COMMAND}
     * @param timeout the deadline it missed
     * @param detail more for the message (e.g. "cid 17 on queue 3"), or null
     */
    public static NvmeTimeoutException of(String step, Duration timeout, String detail) {
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(timeout, "timeout");
        String message = step + " timed out after " + format(timeout) + (detail == null ? "" : " (" + detail + ")");
        return new NvmeTimeoutException(message, step, timeout);
    }

    /** What was awaited. */
    public String step() {
        return step;
    }

    /** The deadline that was missed. */
    public Duration timeout() {
        return timeout;
    }

    private static String format(Duration timeout) {
        long millis = timeout.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }
}
