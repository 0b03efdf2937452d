/**
 * Benchmark "c" of the shared method: host CPU per I/O at a fixed offered load, {@code tcp} against
 * {@code tcp_offload}, CPU split by thread class ({@link dev.nvmeof.api.CpuAccounting}). Not JMH: a main class,
 * {@link dev.nvmeof.benchmarks.cpu.CpuPerIo}, run by hand from {@code benchmarks.jar} as the repository's
 * {@code BENCHMARKS.md} describes; CI runs only a few-second smoke of it.
 */
package dev.nvmeof.benchmarks.cpu;
