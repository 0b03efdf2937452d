package dev.nvmeof.perf.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import com.sun.management.ThreadMXBean;

import dev.nvmeof.perf.Completions;
import dev.nvmeof.perf.PerfOptions;
import dev.nvmeof.perf.Rw;

/** A job's loop allocates nothing per I/O: submit, reap, record, verify, resubmit. */
class JobAllocationTest {

    @Test
    void shouldAllocateNothingPerIo() throws Exception {
        assertNothingAllocatedPerIo(50_000, 0, Completions.THREAD);
    }

    @Test
    void shouldAllocateNothingPerIoOnTheCompletingThreadEitherWithCompletionsInline() throws Exception {
        assertNothingAllocatedPerIo(50_000, 0, Completions.INLINE);
    }

    @Test
    void shouldAllocateNothingPerIoOnARateSchedule() throws Exception {
        // parks until the next I/O is due and issues what is due: 20,000 I/Os at 200k IOPS, twice
        assertNothingAllocatedPerIo(20_000, 200_000, Completions.INLINE); // a rate keeps them on the job thread
    }

    private static long allocated(ThreadMXBean threads, long[] ids) {
        long sum = 0;
        for (long id : ids) {
            sum += threads.getThreadAllocatedBytes(id);
        }
        return sum;
    }

    private static void assertNothingAllocatedPerIo(int ios, long rateIops, Completions completions)
            throws Exception {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        PerfOptions options = PerfOptions.defaults().withRw(Rw.RANDRW).withReadPercent(70).withIoDepth(16)
                .withRuntime(Duration.ZERO).withIoCount(ios).withSize(1 << 20).withVerify(true).withVerifyEvery(2)
                .withRateIops(rateIops).withCompletions(completions);
        try (FakeDevice device = new FakeDevice(1 << 20, 512)) {
            Window window = new Window(1);
            window.measureStart = System.nanoTime();
            window.end = window.measureStart + Duration.ofDays(1).toNanos();
            Job job = new Job(0, device, options, window, 0, 256);
            job.drive(Job.Phase.PREFILL);
            job.drive(Job.Phase.RUN); // warm-up: let the JIT settle
            // Inline, the job's work runs on the completing thread too; otherwise that thread is the fake's alone.
            long[] ids = options.completesInline() ? new long[] {Thread.currentThread().getId(), device.completerId()}
                    : new long[] {Thread.currentThread().getId()};
            long before = allocated(threads, ids);
            job.drive(Job.Phase.RUN);
            long allocated = allocated(threads, ids) - before;

            assertEquals(2L * ios, job.reads + job.writes);
            assertEquals(0, job.readErrors + job.writeErrors + job.verifyErrors);
            assertTrue(job.verified > ios / 4, "verified " + job.verified);
            assertTrue(allocated < 1024, "allocated " + allocated + " bytes over " + ios + " I/Os");
        }
    }
}
