package dev.nvmeof.benchmarks;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import dev.nvmeof.protocol.tcp.PduEncoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link PduEncoder} on the send path: the header part of a PDU written into a reused direct buffer, as a connection's
 * sender does before a gathering write of {@code [header part][caller's data][data digest]}. The caller's data is
 * not copied (it goes from its own buffer), so the data PDU's cost is the header plus the data digest over it.
 * {@code digests} is what the connection negotiated: header and data digest both on, or both off.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EncodeBenchmark {
    static final int CID = 0x2a;

    /** A host's encoder and the SQE of one 4 KiB read. */
    @State(Scope.Thread)
    public static class CapsuleCmdState {
        @Param({"false", "true"})
        boolean digests;

        final PduEncoder encoder = new PduEncoder();
        ByteBuffer sqe;
        ByteBuffer dst;

        @Setup
        public void setUp() {
            encoder.negotiated(digests, digests, 0);
            sqe = Payloads.readSqe(CID, 0x1000, 4096);
            dst = Payloads.direct(256);
        }
    }

    /** A controller's encoder and the data of one read of {@code size} bytes. */
    @State(Scope.Thread)
    public static class C2hDataState {
        @Param({"false", "true"})
        boolean digests;

        @Param({"4096", "131072"})
        int size;

        final PduEncoder encoder = new PduEncoder();
        ByteBuffer payload;
        ByteBuffer dst;

        @Setup
        public void setUp() {
            encoder.negotiated(digests, digests, 0);
            payload = Payloads.random(size, true);
            dst = Payloads.direct(256);
        }
    }

    /** CapsuleCmd of a Read (72-byte header: common header and SQE), plus its header digest when negotiated. */
    @Benchmark
    public int capsuleCmdRead(CapsuleCmdState s) {
        s.dst.clear();
        return s.encoder.capsuleCmd(s.dst, s.sqe, 0, 0);
    }

    /**
     * C2HData header part for {@code size} bytes of read data (LAST_PDU), then the data digest over them when
     * negotiated: with digests on this is dominated by CRC32C over the payload.
     */
    @Benchmark
    public int c2hData(C2hDataState s) {
        s.dst.clear();
        int header = s.encoder.c2hData(s.dst, CID, 0, s.size, true, false);
        return header + s.encoder.dataDigest(s.dst, s.payload);
    }
}
