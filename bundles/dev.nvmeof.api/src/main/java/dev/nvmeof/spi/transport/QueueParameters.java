package dev.nvmeof.spi.transport;

import java.time.Duration;

/**
 * How to create a queue.
 *
 * @param qid              0 for the admin queue
 * @param queueSize        entries (SQSIZE + 1), at most what the controller allows
 * @param inCapsuleLimit   the most data sent inside a command capsule: 8 KiB on the admin queue, IOCCSZ * 16 - 64
 *                         on I/O queues (from Identify Controller); larger writes go through R2T
 * @param headerDigest     ask for header digests (hdr_digest)
 * @param dataDigest       ask for data digests (data_digest)
 * @param polled           completions are reaped by {@link TransportQueue#poll()} rather than delivered by the
 *                         transport's own threads
 * @param connectTimeout   the deadline for the connection and ICResp (10 s, as Linux)
 */
public record QueueParameters(int qid, int queueSize, int inCapsuleLimit, boolean headerDigest, boolean dataDigest,
        boolean polled, Duration connectTimeout) {
    public QueueParameters {
        if (qid < 0 || qid > 0xFFFE || queueSize < 2 || queueSize > 0x10000 || inCapsuleLimit < 0) {
            throw new IllegalArgumentException("queue " + qid + " size " + queueSize + " in-capsule " + inCapsuleLimit);
        }
    }
}
