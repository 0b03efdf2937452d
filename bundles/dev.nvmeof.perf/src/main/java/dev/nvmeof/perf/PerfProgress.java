package dev.nvmeof.perf;

/**
 * A run so far, once a second: {@code ramping} while the ramp time lasts (its I/O is not in the result); the rates
 * are over the last second, the counts since the measured window opened.
 */
public record PerfProgress(double elapsedSeconds, double plannedSeconds, boolean ramping, double iops,
        double mibPerSecond, long ios, long errors) {
}
