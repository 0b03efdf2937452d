package dev.nvmeof.benchmarks;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

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
 * The copy ceiling: one absolute bulk put of {@code size} bytes from a direct buffer to another, the single copy the
 * decoder makes of C2H data (receive buffer to the command's buffer). Cache resident, like the decode benchmark.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CopyBenchmark {
    @Param({"4096", "131072"})
    int size;

    private ByteBuffer src;
    private ByteBuffer dst;

    @Setup
    public void setUp() {
        src = Payloads.random(size, true);
        dst = Payloads.direct(size);
    }

    /** {@code dst.put(0, src, 0, size)}: direct to direct, as {@code PduDecoder} copies C2H data. */
    @Benchmark
    public byte copyDirect() {
        dst.put(0, src, 0, size);
        return dst.get(size - 1);
    }
}
