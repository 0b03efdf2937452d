package dev.nvmeof.benchmarks.suite;

import java.util.Locale;

/**
 * Where the suite pins the threads of a measurement (rule 1 of the shared {@code BENCHMARKS.md}). The host side is
 * the perf jobs ({@code perf-*}), the host's threads ({@code nvme-*}: the tcp event loops {@code nvme-tcp-*}, the
 * controller's worker), the NIC engine ({@code nic-*}), the drivers' completion threads ({@code irq/*}), the
 * ceilings' clients ({@code ceiling-client}, {@code ceiling-writer}) and iperf3's client; the target side is the
 * target's threads ({@code nvmeof-target-*}), the ceilings' servers ({@code ceiling-server}, {@code ceiling-reader})
 * and iperf3's server.
 */
enum SuitePlacement {
    /** Every thread of the measurement on vCPU 0. */
    COLOCATED(0, 0),
    /** Host side on vCPU 0, target side on vCPU 1. */
    SPLIT(0, 1),
    /** Left to the scheduler. */
    UNPINNED(-1, -1);

    final int hostCpu;
    final int targetCpu;

    SuitePlacement(int hostCpu, int targetCpu) {
        this.hostCpu = hostCpu;
        this.targetCpu = targetCpu;
    }

    boolean pinned() {
        return this != UNPINNED;
    }

    /** The CPU of a thread of that side. */
    int cpu(ThreadPinning.Side side) {
        return side == ThreadPinning.Side.HOST ? hostCpu : targetCpu;
    }

    String option() {
        return name().toLowerCase(Locale.ROOT);
    }

    static SuitePlacement of(String option) {
        for (SuitePlacement p : values()) {
            if (p.option().equals(option)) {
                return p;
            }
        }
        throw new IllegalArgumentException("--placement takes colocated, split and unpinned, not " + option);
    }

    String describe() {
        return switch (this) {
            case COLOCATED -> "co-located: host side and target side on vCPU 0";
            case SPLIT -> "split: host side on vCPU 0, target side on vCPU 1";
            case UNPINNED -> "unpinned: the scheduler's choice";
        };
    }
}
