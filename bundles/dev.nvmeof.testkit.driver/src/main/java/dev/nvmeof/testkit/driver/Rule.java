package dev.nvmeof.testkit.driver;

/**
 * The rules of the offload driver SPI the conformance suite checks. A failed scenario's message starts with
 * {@code rule <id> broken}, so a report says which promise the driver did not keep.
 */
public enum Rule {
    /** {@code claimDev}: a route to the target through the device's own net device, and only then, gives a claim. */
    CLAIM_FOLLOWS_ROUTE("claim-follows-route", "a device claims what its net device routes, stating true facts"
            + " without changing state, and declines what it cannot route (no route, link down) with a reason"),
    /** {@code sendReq} and {@code OffloadQueueHandle.completed}. */
    COMPLETION_EXACTLY_ONCE("completion-exactly-once", "every request handed to sendReq completes exactly once"
            + " through the queue handle, also when several threads send at once and requests are reused"),
    /** {@code sendReq} is called on the I/O path. */
    SEND_NEVER_BLOCKS("sendreq-never-blocks", "sendReq returns promptly, also while the device is stalled"),
    /** {@code drainQueue}, as the ULP's recovery and a driver's removal rely on it. */
    DRAIN_QUIESCES("drain-quiesces", "drainQueue blocks until the device is quiet: once it returned no completion"
            + " arrives and no request buffer is written, and requests sent afterwards are ignored"),
    /** {@code limits()} and the claim's vector count. */
    LIMITS_HONOURED("limits-honoured", "the device carries what its limits state: transfers of maxIoSize, as many"
            + " outstanding requests as the queue was created with, hardwareVectors I/O queues, and its claims count"
            + " free vectors truthfully"),
    /** {@code OffloadQueueHandle.reportError}. */
    ERROR_REPORTED_ONCE("error-reported-once", "a failed queue (link down, connection reset) reports its error"
            + " exactly once with a cause and completes nothing afterwards; the other queues are unaffected"),
    /** The whole path: the device leaving the offload stack while I/O runs. */
    WITHDRAWAL_SAFE("withdrawal-safe", "removed from the offload stack mid-I/O, the device's queues drain, every"
            + " request completes or fails over and none hangs, and every acknowledged write reads back"),
    /** The whole path: data. */
    DATA_INTEGRITY("data-integrity", "verified writes from several threads through the offload stack and a host"
            + " read back exactly as acknowledged");

    private final String id;
    private final String statement;

    Rule(String id, String statement) {
        this.id = id;
        this.statement = statement;
    }

    /** A short stable name, e.g. {@code drain-quiesces}. */
    public String id() {
        return id;
    }

    /** The rule in one sentence. */
    public String statement() {
        return statement;
    }
}
