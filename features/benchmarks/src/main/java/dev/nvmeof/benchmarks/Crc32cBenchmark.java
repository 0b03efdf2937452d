package dev.nvmeof.benchmarks;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

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
 * The CRC32C ceiling: {@link CRC32C} (a JIT intrinsic) over one buffer of {@code size} bytes, heap or direct. The
 * buffer is the same every call, so it is cache resident: this is the rate a data digest costs at best, the figure
 * the digesting encode and decode benchmarks are divided by.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class Crc32cBenchmark {
    /** Where the digested bytes live. */
    public enum BufferKind { HEAP, DIRECT }

    @Param({"4096", "131072"})
    int size;

    @Param({"HEAP", "DIRECT"})
    BufferKind buffer;

    private final CRC32C crc = new CRC32C();
    private ByteBuffer data;

    @Setup
    public void setUp() {
        data = Payloads.random(size, buffer == BufferKind.DIRECT);
    }

    /** CRC32C of {@code size} bytes, as one data digest: reset, update over the buffer, value. */
    @Benchmark
    public long crc32c() {
        crc.reset();
        crc.update(data);
        data.position(0);
        return crc.getValue();
    }
}
