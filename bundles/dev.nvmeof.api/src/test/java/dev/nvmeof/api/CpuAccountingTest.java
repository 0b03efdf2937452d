package dev.nvmeof.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nvmeof.api.CpuAccounting.ThreadClass;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class CpuAccountingTest {

    @Test
    void shouldClassThreadsByTheirNames() {
        assertEquals(ThreadClass.NIC_ENGINE, ThreadClass.of("nic-ACME-0001"));
        assertEquals(ThreadClass.TARGET, ThreadClass.of("nvmeof-target-loop-0"));
        assertEquals(ThreadClass.HOST, ThreadClass.of("nvmeof-tcp-loop-0"));
        assertEquals(ThreadClass.HOST, ThreadClass.of("main"));
    }

    @Test
    void shouldChargeANicThreadsWorkToTheNicAndNotToTheHost() throws Exception {
        CountDownLatch worked = new CountDownLatch(1);
        CountDownLatch measured = new CountDownLatch(1); // stays alive until then: its CPU is counted while it lives
        Thread engine = busy("nic-TEST", worked, measured);
        CpuAccounting.Snapshot before = CpuAccounting.snapshot();
        engine.start();
        assertTrue(worked.await(30, TimeUnit.SECONDS));
        CpuAccounting.Snapshot delta = CpuAccounting.snapshot().minus(before);
        measured.countDown();
        engine.join(10_000);
        assertTrue(delta.nicEngineNanos() > 10_000_000, "the busy nic- thread was charged: " + delta);
        assertTrue(delta.nicEngineNanos() > delta.hostNanos(), "more NIC than host time: " + delta);
        assertTrue(delta.totalNanos() >= delta.nicEngineNanos());
    }

    @Test
    void shouldCountAThreadThatEndedBetweenTwoSnapshotsAsNothingRatherThanTakeItsPastWorkAway() throws Exception {
        CountDownLatch worked = new CountDownLatch(1);
        CountDownLatch end = new CountDownLatch(1);
        Thread busy = busy("host-busy", worked, end);
        busy.start();
        assertTrue(worked.await(30, TimeUnit.SECONDS));
        CpuAccounting.Snapshot before = CpuAccounting.snapshot(); // holds busy's 100+ ms
        long busyNanos = java.lang.management.ManagementFactory.getThreadMXBean().getThreadCpuTime(busy.getId());
        end.countDown();
        busy.join(10_000);
        CpuAccounting.Snapshot delta = CpuAccounting.snapshot().minus(before);
        assertTrue(busyNanos > 10_000_000, "the thread worked before the first snapshot: " + busyNanos);
        assertTrue(delta.hostNanos() >= 0 && delta.hostNanos() < busyNanos / 2,
                "the ended thread's earlier work is neither charged nor taken away: " + delta);
        assertTrue(delta.jvmNanos() >= 0 && delta.nicEngineNanos() >= 0 && delta.targetNanos() >= 0, delta.toString());
    }

    /** A thread that burns 100+ ms of CPU, counts {@code worked} down, then lives until {@code release}. */
    private static Thread busy(String name, CountDownLatch worked, CountDownLatch release) {
        CompletableFuture<Long> result = new CompletableFuture<>(); // keeps the loop from being optimised away
        return new Thread(() -> {
            long sum = 0;
            for (int i = 0; i < 200_000_000; i++) {
                sum += i ^ (sum >>> 3);
            }
            result.complete(sum);
            worked.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name);
    }
}
