/**
 * JMH micro-benchmarks of the NVMe/TCP wire layer ({@code dev.nvmeof.protocol.tcp}): CRC32C digests, PDU encoding
 * and PDU decoding, with the ceilings they are judged against (CRC32C, memory copy) measured in the same run.
 *
 * <p>Build and run as described in the repository's {@code BENCHMARKS.md}; the results are recorded there.
 */
package dev.nvmeof.benchmarks;
