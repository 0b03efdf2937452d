package dev.nvmeof.benchmarks.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** Pinning by thread name with taskset, checked in /proc, and moved back. Needs Linux, 2 CPUs and taskset. */
class ThreadPinningTest {

    @Test
    void shouldTellTheSideOfAThreadByItsName() {
        assertEquals(ThreadPinning.Side.HOST, ThreadPinning.side("perf-nvme0n1-0"));
        assertEquals(ThreadPinning.Side.HOST, ThreadPinning.side("nvme-tcp-0"));
        assertEquals(ThreadPinning.Side.HOST, ThreadPinning.side("nic-A1"));
        assertEquals(ThreadPinning.Side.HOST, ThreadPinning.side("irq/acme-A1-q1"));
        assertEquals(ThreadPinning.Side.HOST, ThreadPinning.side("ceiling-client"));
        assertEquals(ThreadPinning.Side.TARGET, ThreadPinning.side("nvmeof-target-l")); // comm keeps 15 characters
        assertEquals(ThreadPinning.Side.TARGET, ThreadPinning.side("ceiling-server"));
        assertNull(ThreadPinning.side("C2 CompilerThre"));
        assertNull(ThreadPinning.side("main"));
    }

    @Test
    void shouldPinByNameCheckItAndMoveBack() throws Exception {
        assertNull(ThreadPinning.tasksetProblem(), "taskset runs here");
        CountDownLatch started = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        Thread client = parked("ceiling-client", started, release);
        Thread server = parked("ceiling-server", started, release);
        try {
            assertTrue(started.await(10, TimeUnit.SECONDS));
            ThreadPinning pinning = new ThreadPinning();

            pinning.pinExpecting(SuitePlacement.SPLIT, "ceiling-client", "ceiling-server");

            assertEquals("0", cpusOf("ceiling-client"));
            assertEquals("1", cpusOf("ceiling-server"));
            assertTrue(pinning.record().get("split 0").contains("ceiling-client"), pinning.record().toString());
            assertTrue(pinning.record().get("split 1").contains("ceiling-server"), pinning.record().toString());

            pinning.unpin();

            assertEquals(pinning.restoreCpus(), cpusOf("ceiling-client"));
            assertEquals(pinning.restoreCpus(), cpusOf("ceiling-server"));
        } finally {
            release.countDown();
            client.join(TimeUnit.SECONDS.toMillis(10));
            server.join(TimeUnit.SECONDS.toMillis(10));
        }
    }

    private static Thread parked(String name, CountDownLatch started, CountDownLatch release) {
        Thread t = new Thread(() -> {
            started.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static String cpusOf(String comm) {
        for (Map.Entry<String, String> task : ThreadPinning.tasks().entrySet()) {
            if (task.getValue().equals(comm)) {
                return ThreadPinning.allowedCpus(Path.of("/proc/self/task", task.getKey(), "status"));
            }
        }
        throw new AssertionError("no thread " + comm);
    }
}
