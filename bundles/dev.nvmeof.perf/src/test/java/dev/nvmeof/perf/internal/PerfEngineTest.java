package dev.nvmeof.perf.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.nvmeof.api.BlockDevice;
import dev.nvmeof.api.IoRequest;
import dev.nvmeof.perf.Completions;
import dev.nvmeof.perf.Perf;
import dev.nvmeof.perf.PerfOptions;
import dev.nvmeof.perf.PerfProgress;
import dev.nvmeof.perf.PerfResult;
import dev.nvmeof.perf.Rw;

/** The engine over an in-memory device that completes on its own thread. No assertion on how long anything took. */
class PerfEngineTest {
    private final FakeDevice device = new FakeDevice(8 << 20, 512);

    @AfterEach
    void close() throws InterruptedException {
        device.close();
    }

    private static PerfOptions options(Rw rw) {
        return PerfOptions.defaults().withRw(rw).withRuntime(Duration.ZERO);
    }

    @ParameterizedTest
    @EnumSource(Completions.class)
    void shouldDoTheIoCountOfEveryJobAndVerifyTheSampledReads(Completions completions) {
        PerfResult r = Perf.run(device, options(Rw.RANDREAD).withCompletions(completions).withIoDepth(8).withJobs(2)
                .withIoCount(5_000).withVerify(true).withVerifyEvery(4), null);

        assertEquals(10_000, r.read().ios());
        assertEquals(0, r.write().ios());
        assertEquals(0, r.errors());
        assertEquals(2 * 5_000 / 4, r.verified(), "every 4th read of each job");
        assertEquals(0, r.verifyErrors());
        assertNull(r.firstError());
        assertTrue(r.iops() > 0 && r.mibPerSecond() > 0, r.toString());
        PerfResult.Latency lat = r.read().latency();
        assertTrue(0 < lat.p50() && lat.p50() <= lat.p99() && lat.p99() <= lat.p999() && lat.p999() <= lat.max(),
                lat.toString());
        assertTrue(r.cpu().hostNanos() > 0, "the jobs' threads are host threads");
        assertTrue(r.hostAllocatedBytes() >= 0, "the jobs' threads are counted for benchmark e: " + r);
    }

    @Test
    void shouldIssueNoFasterThanRateIopsOverACountBoundedRun() {
        int rate = 2_000;
        int count = 400;
        PerfResult r = Perf.run(device, options(Rw.RANDREAD).withIoDepth(8).withIoCount(count).withRateIops(rate),
                null);

        assertEquals(count, r.read().ios(), "every scheduled read completed");
        assertEquals(0, r.errors());
        // The schedule lets one read out per 1/rate s from the job's start: the window holds count - 1 intervals
        // at least, whatever the machine's speed (a slow machine only lowers the achieved rate).
        assertTrue(r.iops() <= rate * count / (count - 1.0), "achieved " + r.iops() + " IOPS against a rate of "
                + rate + ": " + r);
        assertEquals(rate, r.options().rateIops());
    }

    @ParameterizedTest
    @EnumSource(Completions.class)
    void shouldIssueTheRunsIoFromTheCompletingThreadOnlyWhenCompletionsAreInline(Completions completions) {
        Set<String> submitters = ConcurrentHashMap.newKeySet();
        BlockDevice watched = new Delegating(device) {
            @Override
            public void submit(IoRequest request) {
                submitters.add(Thread.currentThread().getName());
                super.submit(request);
            }
        };
        PerfResult r = Perf.run(watched, options(Rw.RANDREAD).withIoDepth(4).withIoCount(2_000)
                .withCompletions(completions), null);

        assertEquals(2_000, r.read().ios());
        assertEquals(completions == Completions.INLINE, submitters.contains("fake-device"), submitters.toString());
    }

    @Test
    void shouldKeepCompletionsOnTheJobThreadWithARate() {
        PerfOptions o = options(Rw.RANDREAD).withRateIops(1_000).withCompletions(Completions.INLINE);

        assertFalse(o.completesInline(), "the schedule is the job thread's");
        assertTrue(options(Rw.RANDREAD).completesInline(), "inline is the default");
        assertEquals(Completions.THREAD, Completions.of("thread"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Completions.of("poll"));
        assertEquals("completions 'poll' is not one of inline, thread", e.getMessage());
    }

    @Test
    void shouldFailTheRunNamingTheCauseWhenTheDeviceRefusesASubmissionFromACompletion() {
        AtomicInteger accepted = new AtomicInteger();
        BlockDevice refusing = new Delegating(device) {
            @Override
            public void submit(IoRequest request) {
                boolean fromCompletion = Thread.currentThread().getName().equals("fake-device");
                if (fromCompletion && accepted.incrementAndGet() > 100) {
                    throw new IllegalStateException("queue gone");
                }
                super.submit(request);
            }
        };
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Perf.run(refusing,
                options(Rw.RANDREAD).withIoDepth(4).withIoCount(1_000), null));

        assertTrue(e.getMessage().contains("submitting failed"), e.getMessage());
        assertEquals("queue gone", e.getCause().getCause().getMessage());
    }

    @Test
    void shouldRefuseANegativeRateIops() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> options(Rw.RANDREAD).withRateIops(-1));

        assertEquals("rate_iops -1 is not 0..100000000", e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Completions.class)
    void shouldVerifyWhatAMixedRunWroteAndReadBack(Completions completions) {
        PerfResult r = Perf.run(device, options(Rw.RANDRW).withCompletions(completions).withReadPercent(70)
                .withIoDepth(16).withJobs(2).withIoCount(4_000).withSize(256 << 10).withVerify(true).withVerifyEvery(1),
                null);

        assertTrue(r.read().ios() > r.write().ios() && r.write().ios() > 0, r.toString());
        assertEquals(8_000, r.ios());
        assertTrue(r.verified() > r.read().ios() / 2, r.toString());
        assertEquals(0, r.verifyErrors(), r.firstError());
    }

    @Test
    void shouldReadBackEveryBlockASequentialWriteRunWrote() {
        PerfResult r = Perf.run(device, options(Rw.WRITE).withBlockSize(64 << 10).withIoDepth(4).withIoCount(128)
                .withVerify(true), null);

        assertEquals(128, r.write().ios());
        assertEquals((8 << 20) / (64 << 10), r.verified(), "each unit of the device once");
        assertEquals(0, r.verifyErrors());
    }

    @ParameterizedTest
    @EnumSource(Completions.class)
    void shouldCountFailedReadsAndSayTheFirst(Completions completions) {
        device.failLba = 0;
        PerfResult r = Perf.run(device, options(Rw.RANDREAD).withCompletions(completions).withSize(4096)
                .withIoDepth(4).withIoCount(100), null);

        assertEquals(100, r.read().errors(), "every read of the one unit failed, none was swallowed");
        assertEquals(0, r.read().ios());
        assertTrue(r.firstError().startsWith("read of LBA 0 failed: "), r.firstError());
        assertTrue(r.firstError().contains("0x281") || r.firstError().toLowerCase().contains("unrecovered"),
                r.firstError());
    }

    @Test
    void shouldReportDataThatIsNotWhatWasWritten() {
        device.corruptLba = 0;
        PerfResult r = Perf.run(device, options(Rw.READ).withSize(4096).withIoCount(10).withVerify(true)
                .withVerifyEvery(1), null);

        assertEquals(10, r.verifyErrors());
        assertTrue(r.firstError().startsWith("data mismatch at LBA 0: it holds LBA 0 generation 1"), r.firstError());
    }

    @ParameterizedTest
    @EnumSource(Completions.class)
    void shouldLeaveTheRampOutOfTheResult(Completions completions) {
        PerfResult r = Perf.run(device, options(Rw.RANDREAD).withCompletions(completions)
                .withRampTime(Duration.ofMillis(300)).withRuntime(Duration.ofMillis(300)).withIoDepth(4), null);

        assertTrue(r.ios() > 0, r.toString());
        assertTrue(device.served.get() > r.ios(), "the ramp's reads were served, not counted");
        assertTrue(r.elapsedNanos() <= Duration.ofMillis(300).toNanos(), "the window is the runtime at most");
    }

    @Test
    void shouldReportProgressEverySecondAndStopWhenInterrupted() {
        List<PerfProgress> seen = new ArrayList<>();
        PerfResult r = Perf.run(device, options(Rw.RANDREAD).withRuntime(Duration.ofMinutes(1)), p -> {
            seen.add(p);
            Thread.currentThread().interrupt(); // Ctrl-C in a shell: the run stops and reports what ran
        });

        assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");
        assertEquals(1, seen.size());
        assertTrue(seen.get(0).iops() > 0 && seen.get(0).errors() == 0, seen.toString());
        assertTrue(r.stopped());
        assertTrue(r.ios() > 0 && r.elapsedNanos() < Duration.ofMinutes(1).toNanos(), r.toString());
    }

    @Test
    void shouldRefuseABlockSizeTheDeviceCannotDo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Perf.run(device, options(Rw.RANDREAD).withBlockSize(1000).withIoCount(1), null));

        assertEquals("bs 1000 is not a multiple of fake0n1's block size (512)", e.getMessage());
    }

    @Test
    void shouldRefuseRwmixreadForAPatternThatDoesNotMix() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> options(Rw.RANDREAD).withReadPercent(70));

        assertEquals("rwmixread applies to rw and randrw, not randread", e.getMessage());
    }

    /** A device passing everything to another; tests override what they watch. */
    private static class Delegating implements BlockDevice {
        private final BlockDevice device;

        Delegating(BlockDevice device) {
            this.device = device;
        }

        @Override
        public void submit(IoRequest request) {
            device.submit(request);
        }

        @Override
        public String name() {
            return device.name();
        }

        @Override
        public long sizeBytes() {
            return device.sizeBytes();
        }

        @Override
        public int blockSize() {
            return device.blockSize();
        }

        @Override
        public int maxTransferSize() {
            return device.maxTransferSize();
        }

        @Override
        public CompletableFuture<Void> read(long lba, ByteBuffer destination) {
            return device.read(lba, destination);
        }

        @Override
        public CompletableFuture<Void> write(long lba, ByteBuffer source, boolean fua) {
            return device.write(lba, source, fua);
        }

        @Override
        public CompletableFuture<Void> flush() {
            return device.flush();
        }

        @Override
        public CompletableFuture<Void> writeZeroes(long lba, long blocks, boolean deallocate) {
            return device.writeZeroes(lba, blocks, deallocate);
        }

        @Override
        public CompletableFuture<Void> discard(long lba, long blocks) {
            return device.discard(lba, blocks);
        }
    }
}
