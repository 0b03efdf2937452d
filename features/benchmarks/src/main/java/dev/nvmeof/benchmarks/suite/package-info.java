/**
 * The benchmark suite (benchmarks a-d of the shared {@code BENCHMARKS.md} against the batched request/response and
 * stream ceilings of the same run, interleaved rounds, a Markdown report and an SVG plot): main class
 * {@link dev.nvmeof.benchmarks.suite.BenchmarkSuite}.
 */
package dev.nvmeof.benchmarks.suite;
