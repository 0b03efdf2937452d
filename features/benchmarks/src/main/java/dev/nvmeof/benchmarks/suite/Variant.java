package dev.nvmeof.benchmarks.suite;

import java.util.ArrayList;
import java.util.List;

import dev.nvmeof.perf.Rw;

/**
 * One configuration of the suite on one transport: benchmark a (4 KiB random reads, {@code queues} I/O queues
 * each driven by its own job) or b (128 KiB sequential reads or writes, one queue, data digest on or off).
 */
record Variant(char bench, String transport, Rw rw, int blockSize, int depth, int queues, boolean dataDigest) {
    static final String TCP = "tcp";
    static final String OFFLOAD = "tcp_offload";

    /** The configuration without the transport, the key tcp and tcp_offload are paired by. */
    String config() {
        return (blockSize >= 1024 ? blockSize / 1024 + "k" : blockSize + "b") + " " + rw.fioName() + " QD" + depth
                + (bench == 'a' ? " " + queues + "q" : "") + (dataDigest ? " +DD" : "");
    }

    Variant on(String otherTransport) {
        return new Variant(bench, otherTransport, rw, blockSize, depth, queues, dataDigest);
    }

    /** tcp then tcp_offload for each configuration: the A B A B order within a round. */
    static List<Variant> list(boolean smoke, int[] queueCounts, int[] seqDepths) {
        List<Variant> configs = new ArrayList<>();
        for (int queues : smoke ? new int[] {1} : queueCounts) {
            for (int depth : new int[] {1, 32}) {
                configs.add(new Variant('a', TCP, Rw.RANDREAD, 4096, depth, queues, false));
            }
        }
        if (!smoke) {
            for (Rw rw : new Rw[] {Rw.READ, Rw.WRITE}) {
                for (boolean digest : new boolean[] {false, true}) {
                    for (int depth : seqDepths) {
                        configs.add(new Variant('b', TCP, rw, 128 * 1024, depth, 1, digest));
                    }
                }
            }
        }
        List<Variant> all = new ArrayList<>();
        for (Variant v : configs) {
            all.add(v);
            all.add(v.on(OFFLOAD));
        }
        return all;
    }
}
