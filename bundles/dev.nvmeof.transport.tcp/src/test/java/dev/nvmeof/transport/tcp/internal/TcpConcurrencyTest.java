package dev.nvmeof.transport.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;

import org.junit.jupiter.api.Test;

import dev.nvmeof.protocol.NanoClock;
import dev.nvmeof.spi.transport.TransportRequest;
import dev.nvmeof.target.NamespaceConfig;
import dev.nvmeof.target.NvmeTarget;
import dev.nvmeof.target.SubsystemConfig;
import dev.nvmeof.target.TargetOptions;

/** Two threads keep 64 requests in flight on one queue: each completes exactly once, with the right data. */
class TcpConcurrencyTest {
    private static final int PER_THREAD = 32;
    private static final int ROUNDS = 30;

    @Test
    void shouldCompleteEveryRequestExactlyOnceWhenTwoThreadsSubmitConcurrently() throws Exception {
        try (NvmeTarget target = NvmeTarget.start(TargetOptions.defaults());
                TcpTransport transport = new TcpTransport(2, NanoClock.SYSTEM)) {
            target.addSubsystem(SubsystemConfig.of(SpiHost.NQN, NamespaceConfig.ram(1, 64 << 20, 512)));
            InetSocketAddress at = target.listen(new InetSocketAddress("127.0.0.1", 0));
            ExecutorService threads = Executors.newFixedThreadPool(2);
            try (SpiHost host = SpiHost.connect(transport, at, false, true, 128)) {
                int total = 2 * PER_THREAD;
                AtomicIntegerArray completions = new AtomicIntegerArray(total);
                AtomicIntegerArray failures = new AtomicIntegerArray(total);
                CountDownLatch[] rounds = new CountDownLatch[ROUNDS];
                for (int r = 0; r < ROUNDS; r++) {
                    rounds[r] = new CountDownLatch(total);
                }
                int[] round = new int[total];
                host.ioEvents.listener = request -> {
                    int cid = request.sqe().cid();
                    completions.incrementAndGet(cid);
                    if (request.status() != 0) {
                        failures.incrementAndGet(cid);
                    }
                    rounds[round[cid]].countDown();
                };
                TransportRequest[] requests = new TransportRequest[total];
                ByteBuffer[] buffers = new ByteBuffer[total];
                for (int cid = 0; cid < total; cid++) {
                    requests[cid] = new TransportRequest();
                    // sizes across in-capsule and R2T: 4 KiB .. 32 KiB
                    buffers[cid] = TcpTransportTest.pattern(4096 << (cid % 4), cid);
                }
                for (int r = 0; r < ROUNDS; r++) {
                    int thisRound = r;
                    Future<?>[] done = new Future<?>[2];
                    for (int t = 0; t < 2; t++) {
                        int first = t * PER_THREAD;
                        done[t] = threads.submit(() -> {
                            for (int cid = first; cid < first + PER_THREAD; cid++) {
                                round[cid] = thisRound;
                                long slba = cid * 64L;
                                ByteBuffer data = buffers[cid];
                                TransportRequest req = thisRound % 2 == 0 ? SpiHost.write(requests[cid], cid, slba, data)
                                        : SpiHost.read(requests[cid], cid, slba, ByteBuffer.allocateDirect(
                                                data.remaining()));
                                host.io.submit(req);
                            }
                        });
                    }
                    done[0].get(SpiHost.WAIT_SECONDS, TimeUnit.SECONDS);
                    done[1].get(SpiHost.WAIT_SECONDS, TimeUnit.SECONDS);
                    if (!rounds[r].await(SpiHost.WAIT_SECONDS, TimeUnit.SECONDS)) {
                        throw new AssertionError("round " + r + ": " + rounds[r].getCount() + " never completed");
                    }
                    if (r % 2 == 1) {
                        for (int cid = 0; cid < total; cid++) {
                            assertEquals(buffers[cid], requests[cid].data(), "CID " + cid + " read back");
                        }
                    }
                }
                for (int cid = 0; cid < total; cid++) {
                    assertEquals(ROUNDS, completions.get(cid), "CID " + cid);
                    assertEquals(0, failures.get(cid), "CID " + cid);
                }
                assertEquals(0, host.ioEvents.failures.get());
            } finally {
                threads.shutdownNow();
            }
        }
    }
}
