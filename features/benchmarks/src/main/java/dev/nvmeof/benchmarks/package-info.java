/**
 * JMH micro-benchmarks of the NVMe/TCP wire layer ({@code dev.nvmeof.protocol.tcp}): CRC32C digests, PDU encoding
 * and PDU decoding, with the ceilings they are judged against (CRC32C, memory copy) measured in the same run; and
 * {@link dev.nvmeof.benchmarks.IoPathBenchmark}, the allocation per I/O of the host's whole 4 KiB {@code IoRequest}
 * path on both transports ({@code -prof gc}), against the target appliance run as a separate process.
 *
 * <p>Build and run as described in the repository's {@code BENCHMARKS.md}; the results are recorded there.
 */
package dev.nvmeof.benchmarks;
