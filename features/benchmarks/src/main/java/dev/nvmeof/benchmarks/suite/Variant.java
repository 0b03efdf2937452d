package dev.nvmeof.benchmarks.suite;

import java.util.ArrayList;
import java.util.List;

import dev.nvmeof.perf.Rw;

/**
 * One configuration of the suite on one transport: benchmark a (4 KiB random reads, {@code queues} I/O queues
 * each driven by its own job), b (128 KiB sequential reads or writes, one queue, data digest on or off) or c (random
 * reads at a fixed offered load of {@code rateIops}, one queue, to compare the CPU per I/O).
 */
record Variant(char bench, String transport, Rw rw, int blockSize, int depth, int queues, boolean dataDigest,
        long rateIops) {
    static final String TCP = "tcp";
    static final String OFFLOAD = "tcp_offload";

    /** The configuration without the transport, the key tcp and tcp_offload are paired by. */
    String config() {
        return (blockSize >= 1024 ? blockSize / 1024 + "k" : blockSize + "b") + " " + rw.fioName() + " QD" + depth
                + (bench == 'a' ? " " + queues + "q" : "") + (dataDigest ? " +DD" : "")
                + (rateIops > 0 ? " @" + rateIops + " IOPS" : "");
    }

    Variant on(String otherTransport) {
        return new Variant(bench, otherTransport, rw, blockSize, depth, queues, dataDigest, rateIops);
    }

    /**
     * tcp then tcp_offload for each configuration: the A B A B order within a round. The smoke keeps a at one
     * queue, one b and both c configurations.
     */
    static List<Variant> list(boolean smoke, int[] queueCounts, int[] seqDepths, long rate4k, long rate128k) {
        List<Variant> configs = new ArrayList<>();
        for (int queues : smoke ? new int[] {1} : queueCounts) {
            for (int depth : new int[] {1, 32}) {
                configs.add(new Variant('a', TCP, Rw.RANDREAD, 4096, depth, queues, false, 0));
            }
        }
        for (Rw rw : smoke ? new Rw[] {Rw.READ} : new Rw[] {Rw.READ, Rw.WRITE}) {
            for (boolean digest : smoke ? new boolean[] {false} : new boolean[] {false, true}) {
                for (int depth : smoke ? new int[] {seqDepths[0]} : seqDepths) {
                    configs.add(new Variant('b', TCP, rw, 128 * 1024, depth, 1, digest, 0));
                }
            }
        }
        // c: the shared doc's fixed offered loads, 4 KiB and 128 KiB with data digest
        configs.add(new Variant('c', TCP, Rw.RANDREAD, 4096, 32, 1, false, rate4k));
        configs.add(new Variant('c', TCP, Rw.RANDREAD, 128 * 1024, 32, 1, true, rate128k));
        List<Variant> all = new ArrayList<>();
        for (Variant v : configs) {
            all.add(v);
            all.add(v.on(OFFLOAD));
        }
        return all;
    }
}
