package dev.nvmeof.nic.emulated;

import java.time.Duration;

/**
 * What a driver asks of a new queue pair.
 *
 * @param qid            the NVMe queue id it will carry (0 = admin); the engine only reports it
 * @param depth          submission and completion ring entries; CIDs must be below it
 * @param headerDigest   ask ICReq for header digests (the engine computes and checks them)
 * @param dataDigest     ask ICReq for data digests
 * @param inCapsuleLimit writes of at most this many bytes go in-capsule, larger ones through R2T/H2CData
 * @param connectTimeout deadline for TCP connect plus ICReq/ICResp
 * @param tos            the IP type-of-service byte of the connection's packets, or -1 to leave the system's default
 */
public record QueuePairOptions(int qid, int depth, boolean headerDigest, boolean dataDigest, int inCapsuleLimit,
        Duration connectTimeout, int tos) {

    public QueuePairOptions {
        if (qid < 0 || qid > 0xFFFE || depth < 1 || depth > 0x10000 || inCapsuleLimit < 0) {
            throw new IllegalArgumentException("qid 0..65534, depth 1..65536, in-capsule limit >= 0; were " + qid
                    + ", " + depth + ", " + inCapsuleLimit);
        }
        if (tos < -1 || tos > 255) {
            throw new IllegalArgumentException("tos is -1 (default) or 0..255, was " + tos);
        }
        if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connect timeout must be positive, was " + connectTimeout);
        }
    }
}
