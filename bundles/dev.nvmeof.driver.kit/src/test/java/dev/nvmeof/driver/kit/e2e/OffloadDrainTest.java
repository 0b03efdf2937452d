package dev.nvmeof.driver.kit.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.driver.kit.NicOffloadDriver;
import dev.nvmeof.protocol.ConnectDataFlyweight;
import dev.nvmeof.protocol.ControllerProperty;
import dev.nvmeof.protocol.FabricsCommands;
import dev.nvmeof.protocol.NvmCommands;
import dev.nvmeof.spi.offload.ConnectRequest;
import dev.nvmeof.spi.offload.OffloadController;
import dev.nvmeof.spi.offload.OffloadQueue;
import dev.nvmeof.spi.offload.OffloadQueueHandle;
import dev.nvmeof.protocol.DataDirection;
import dev.nvmeof.spi.transport.QueueParameters;
import dev.nvmeof.spi.transport.TransportRequest;

/**
 * {@code drainQueue} as the ULP relies on it, through a driver's {@link OffloadQueue} on a real controller: with 8 MiB
 * of reads into a canary buffer under way (an eighth of them done), once {@code drainQueue} returned the handle hears nothing more (no
 * completion, no error) and not one byte of the canary changes, also after a request sent to the drained queue; the
 * other queues carry on. For a queue with completion notification (acme) and a polled one (vortex).
 */
class OffloadDrainTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final int READS = 64;
    private static final int READ = 128 << 10;
    private static final byte CANARY = (byte) 0xA5;

    private final OffloadLab lab = new OffloadLab();
    private OffloadController controller;

    @AfterEach
    void stop() throws Exception {
        if (controller != null) {
            controller.close();
        }
        lab.close();
    }

    /** The ULP's side of a queue: every completion and error, in order. */
    private static final class Handle implements OffloadQueueHandle {
        private final List<Object> events = new ArrayList<>();

        @Override
        public synchronized void completed(TransportRequest request) {
            events.add(request);
            notifyAll();
        }

        @Override
        public synchronized void reportError(Throwable cause) {
            events.add(cause);
            notifyAll();
        }

        synchronized List<Object> events() {
            return List.copyOf(events);
        }

        /** Waits for {@code n} events in all, polling {@code queue} if it is polled. */
        void await(int n, OffloadQueue queue, boolean polled) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            for (;;) {
                if (polled) {
                    queue.pollQueue();
                }
                synchronized (this) {
                    if (events.size() >= n) {
                        return;
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        fail("waited " + WAIT + " for " + n + " events; saw " + events);
                    }
                    wait(polled ? 1 : Math.max(1, left / 1_000_000));
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"acme", "vortex"})
    void shouldDeliverNothingAndTouchNoHostBufferOnceDrainQueueReturned(String vendor) throws Exception {
        OffloadLab.Target target = lab.target("127.0.0.1", 16 << 20);
        NicOffloadDriver driver = vendor.equals("acme") ? lab.acme("127.0.0.2/24") : lab.vortex("127.0.0.2/24");
        boolean polled = vendor.equals("vortex");
        ConnectOptions options = target.options("");
        ConnectRequest request = new ConnectRequest(options, target.address(), null, null, options.given());
        controller = driver.setupCtrl(request, driver.claimDev(request).orElseThrow());
        Handle adminHandle = new Handle();
        OffloadQueue admin = controller.createQueue(new QueueParameters(0, 32, 8192, false, false, false, WAIT),
                adminHandle);
        int cntlid = (int) (run(admin, adminHandle, false, connect(0, 32, 0xFFFF)).dw0() & 0xFFFF);
        TransportRequest enable = new TransportRequest();
        FabricsCommands.propertySet(enable.sqe(), 1, ControllerProperty.CC, 0x00460001);
        run(admin, adminHandle, false, enable);
        Handle ioHandle = new Handle();
        OffloadQueue io = controller.createQueue(new QueueParameters(1, 128, 8192, false, false, polled, WAIT),
                ioHandle);
        assertEquals(0, run(io, ioHandle, polled, connect(1, 128, cntlid)).status(), "I/O queue connected");

        ByteBuffer canary = ByteBuffer.allocateDirect(READS * READ);
        for (int i = 0; i < canary.capacity(); i++) {
            canary.put(i, CANARY);
        }
        for (int cid = 0; cid < READS; cid++) {
            io.sendReq(read(cid, canary.slice(cid * READ, READ), (long) cid * READ / OffloadLab.BLOCK));
        }
        ioHandle.await(1 + READS / 8, io, polled); // data is flowing: drain in the middle of it
        io.drainQueue();
        List<Object> atDrain = ioHandle.events();
        byte[] bytesAtDrain = bytes(canary);
        assertTrue(changed(bytesAtDrain) > 0, "reads landed before the drain");

        io.sendReq(read(READS, canary.slice(0, READ), 0)); // the ULP owns requests again: ignored
        assertEquals(0, io.pollQueue());
        // Two engine turns after the drain, and the target answered the admin queue meanwhile.
        driver.nic().queuePairs();
        TransportRequest cap = new TransportRequest();
        FabricsCommands.propertyGet(cap.sqe(), 2, ControllerProperty.CAP);
        assertEquals(0, run(admin, adminHandle, false, cap).status(), "the admin queue carries on");
        driver.nic().queuePairs();

        assertEquals(atDrain, ioHandle.events(), "no callback after drainQueue returned");
        assertArrayEquals(bytesAtDrain, bytes(canary), "no host memory written after drainQueue returned");
        assertTrue(atDrain.stream().allMatch(TransportRequest.class::isInstance), "a drain is not an error");
        io.destroyQueue();
        assertEquals(1, driver.activeQueues(), "only the admin queue is left");
    }

    private static TransportRequest run(OffloadQueue queue, Handle handle, boolean polled, TransportRequest request)
            throws InterruptedException {
        int before = handle.events().size();
        queue.sendReq(request);
        handle.await(before + 1, queue, polled);
        assertEquals(request, handle.events().get(before));
        return request;
    }

    private static TransportRequest connect(int qid, int depth, int cntlid) {
        TransportRequest request = new TransportRequest();
        FabricsCommands.connect(request.sqe(), 0, qid, depth - 1, qid == 0 ? 30_000 : 0, 0);
        ByteBuffer data = ByteBuffer.allocateDirect(ConnectDataFlyweight.LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        UUID host = UUID.nameUUIDFromBytes("drain".getBytes());
        new ConnectDataFlyweight().wrap(data, 0).set(host, cntlid, OffloadLab.NQN,
                "nqn.2014-08.org.nvmexpress:uuid:" + host);
        return request.data(data, DataDirection.HOST_TO_CONTROLLER);
    }

    private static TransportRequest read(int cid, ByteBuffer into, long lba) {
        TransportRequest request = new TransportRequest();
        NvmCommands.read(request.sqe(), cid, 1, lba, into.remaining() / OffloadLab.BLOCK, false);
        return request.data(into, DataDirection.CONTROLLER_TO_HOST);
    }

    private static int changed(byte[] bytes) {
        int changed = 0;
        for (byte b : bytes) {
            changed += b == CANARY ? 0 : 1;
        }
        return changed;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] copy = new byte[buffer.capacity()];
        buffer.get(0, copy);
        return copy;
    }
}
