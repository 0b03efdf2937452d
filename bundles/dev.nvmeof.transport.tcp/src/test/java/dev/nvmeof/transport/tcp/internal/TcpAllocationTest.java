package dev.nvmeof.transport.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;

import dev.nvmeof.protocol.NanoClock;
import dev.nvmeof.spi.transport.TransportRequest;
import dev.nvmeof.target.NamespaceConfig;
import dev.nvmeof.target.NvmeTarget;
import dev.nvmeof.target.SubsystemConfig;
import dev.nvmeof.target.TargetOptions;

/**
 * The submit -> complete path allocates nothing in steady state, measured with HotSpot's per-thread allocation
 * counters on both threads involved: the submitting thread (encode, SGL, the direct gathering write) and the event
 * loop thread (select, read, decode, C2HData into the caller's buffer, completion callback). Writes of 4 KiB
 * (in-capsule) and 16 KiB (R2T/H2CData) and reads of 4 KiB, with data digests. The waiting in between is a park
 * woken by the completion callback's unpark, which allocates nothing either.
 */
class TcpAllocationTest {
    private static final int WARM_UP = 20_000;
    private static final int ROUNDS = 5_000;

    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void shouldNotAllocateOnTheSubmitToCompletePath() throws Exception {
        try (NvmeTarget target = NvmeTarget.start(TargetOptions.defaults());
                TcpTransport transport = new TcpTransport(1, NanoClock.SYSTEM)) {
            target.addSubsystem(SubsystemConfig.of(SpiHost.NQN, NamespaceConfig.ram(1, 8 << 20, 512)));
            InetSocketAddress at = target.listen(new InetSocketAddress("127.0.0.1", 0));
            try (SpiHost host = SpiHost.connect(transport, at, true, true, 32)) {
                AtomicInteger completed = new AtomicInteger();
                Thread me = Thread.currentThread();
                host.ioEvents.listener = request -> {
                    completed.incrementAndGet();
                    LockSupport.unpark(me);
                };
                TransportRequest request = new TransportRequest();
                ByteBuffer small = TcpTransportTest.pattern(4096, 1);
                ByteBuffer large = TcpTransportTest.pattern(16384, 2);
                ByteBuffer in = ByteBuffer.allocateDirect(4096);

                run(host, request, small, large, in, completed, WARM_UP);
                long loopId = transport.loopThreads()[0].getId();
                long submitterBefore = threads.getThreadAllocatedBytes(me.getId());
                long loopBefore = threads.getThreadAllocatedBytes(loopId);
                run(host, request, small, large, in, completed, ROUNDS);
                long submitter = threads.getThreadAllocatedBytes(me.getId()) - submitterBefore;
                long loop = threads.getThreadAllocatedBytes(loopId) - loopBefore;

                assertEquals(0, host.ioEvents.failures.get());
                // Zero in steady state; the bound leaves room for one stray JIT/JFR object, not for one per I/O.
                assertTrue(submitter < 4096, "submitting thread allocated " + submitter + " bytes in " + ROUNDS
                        + " I/Os");
                assertTrue(loop < 4096, "event loop allocated " + loop + " bytes in " + ROUNDS + " I/Os");
            }
        }
    }

    private static void run(SpiHost host, TransportRequest request, ByteBuffer small, ByteBuffer large,
            ByteBuffer in, AtomicInteger completed, int rounds) {
        for (int i = 0; i < rounds; i++) {
            int expected = completed.get() + 1;
            switch (i % 3) {
                case 0:
                    SpiHost.write(request, 7, 0, small);
                    break;
                case 1:
                    SpiHost.write(request, 8, 64, large);
                    break;
                default:
                    SpiHost.read(request, 9, 0, in);
                    break;
            }
            host.io.submit(request);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SpiHost.WAIT_SECONDS);
            while (completed.get() < expected) {
                if (deadline - System.nanoTime() < 0) {
                    throw new AssertionError("I/O " + i + " did not complete");
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100)); // woken by the completion's unpark
            }
            if (request.status() != 0) {
                throw new AssertionError("I/O " + i + " status 0x" + Integer.toHexString(request.status()));
            }
        }
    }
}
