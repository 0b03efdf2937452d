package dev.nvmeof.target;

import dev.nvmeof.testkit.ManualClock;
import dev.nvmeof.testkit.NvmeTcpTestClient;
import static dev.nvmeof.target.TargetFixture.NQN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 256 live I/O queues (16 controllers x 16 queues) plus 500 sockets that never send an ICReq: another host's I/O
 * still completes, the idle sockets are closed at the handshake deadline (on an injected clock) and memory stays
 * bounded. About 1,550 descriptors in this JVM (both ends of 776 connections), well under {@code ulimit -n}.
 */
class HostileLoadTest {
    private static final int CONTROLLERS = 16;
    private static final int QUEUES_PER_CONTROLLER = 16;
    private static final int IDLE_SOCKETS = 500;
    private static final Duration HANDSHAKE = Duration.ofSeconds(10);
    private static final long KIB = 1024;
    private static final long MIB = 1024 * KIB;

    private final ManualClock clock = new ManualClock();
    private final List<Socket> idle = new ArrayList<>();
    private TargetFixture fixture;

    @BeforeEach
    void start() throws Exception {
        fixture = new TargetFixture(TargetOptions.defaults().withEventLoops(2).withClock(clock)
                .withHandshakeTimeout(HANDSHAKE), TargetFixture.defaultSubsystem());
    }

    @AfterEach
    void stop() throws Exception {
        for (Socket s : idle) {
            s.close();
        }
        fixture.close();
    }

    @Test
    @Timeout(60)
    void shouldServeIoAndCloseIdleSocketsAtTheDeadlineWhenFloodedWithQueuesAndIdleSockets() throws Exception {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(p -> p.getName().equals("direct")).findFirst().orElseThrow();
        memory.gc();
        long heapBefore = memory.getHeapMemoryUsage().getUsed();
        long directBefore = direct.getMemoryUsed();

        List<NvmeTcpTestClient> queues = new ArrayList<>();
        for (int c = 0; c < CONTROLLERS; c++) {
            int cntlid = fixture.controller(NQN, QUEUES_PER_CONTROLLER).cntlid();
            for (int q = 1; q <= QUEUES_PER_CONTROLLER; q++) {
                queues.add(fixture.ioQueue(NQN, cntlid, q));
            }
        }
        for (int i = 0; i < IDLE_SOCKETS; i++) {
            Socket s = new Socket();
            idle.add(s);
            s.connect(fixture.address, 5000);
            s.setSoTimeout(5000);
        }
        int live = CONTROLLERS * (QUEUES_PER_CONTROLLER + 1);

        // A further host: its I/O completes in the crowd. Its sockets were accepted after every idle one (accept
        // order is connect order), and checkDeadlines() queues behind their registrations on every loop: a barrier.
        NvmeTcpTestClient probe = fixture.defaultIoQueue();
        TargetFixture.assertIoWorks(probe, 1);
        TargetFixture.assertIoWorks(queues.get(queues.size() - 1), 2);
        fixture.target.checkDeadlines().get(10, TimeUnit.SECONDS);
        int withProbe = live + 2;
        assertEquals(withProbe + IDLE_SOCKETS, fixture.target.connectionCount());
        assertEquals(CONTROLLERS + 1, fixture.target.controllerCount());

        // Memory, with everything open. Direct: a live queue holds a send buffer (MAX_TRANSFER + 8 KiB + response
        // reserve, ~140 KiB) and an 8 KiB in-capsule buffer; allow 160 KiB per live connection plus 16 MiB for the
        // JDK's own temporary buffers. An idle socket must cost no direct memory at all: 500 send buffers would
        // add ~70 MiB and fail this. Heap: each NvmeTcpTestClient (this JVM's client side) holds ~70 KiB; the target keeps a
        // 4 KiB scratch buffer and a decoder per connection; allow 128 KiB per live connection, 16 KiB per idle
        // socket and 32 MiB for everything else (JUnit, class loading, garbage the GC left behind).
        memory.gc();
        long directGrowth = direct.getMemoryUsed() - directBefore;
        long heapGrowth = memory.getHeapMemoryUsage().getUsed() - heapBefore;
        long directBound = withProbe * 160 * KIB + 16 * MIB;
        long heapBound = withProbe * 128 * KIB + IDLE_SOCKETS * 16 * KIB + 32 * MIB;
        assertTrue(directGrowth < directBound, "direct memory grew " + directGrowth / KIB + " KiB, bound "
                + directBound / KIB + " KiB");
        assertTrue(heapGrowth < heapBound, "heap grew " + heapGrowth / KIB + " KiB, bound " + heapBound / KIB
                + " KiB");

        // The handshake deadline: still open at deadline - 1 ms, closed just past it; live queues stay.
        clock.advance(HANDSHAKE.minusMillis(1));
        fixture.target.checkDeadlines().get(10, TimeUnit.SECONDS);
        assertEquals(withProbe + IDLE_SOCKETS, fixture.target.connectionCount(), "open at deadline - 1 ms");
        clock.advance(Duration.ofMillis(2));
        fixture.target.checkDeadlines().get(10, TimeUnit.SECONDS);
        assertEquals(withProbe, fixture.target.connectionCount(), "idle sockets closed past the deadline");
        for (Socket s : idle) {
            assertEquals(-1, s.getInputStream().read(), "EOF on an idle socket");
        }
        assertEquals(CONTROLLERS + 1, fixture.target.controllerCount());
        TargetFixture.assertIoWorks(probe, 3);
        TargetFixture.assertIoWorks(queues.get(0), 4);
    }
}
