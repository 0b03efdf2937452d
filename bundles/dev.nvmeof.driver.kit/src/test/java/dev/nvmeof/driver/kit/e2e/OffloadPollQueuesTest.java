package dev.nvmeof.driver.kit.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.nvmeof.api.BlockDevice;
import dev.nvmeof.api.IoRequest;
import dev.nvmeof.api.NvmeController;
import dev.nvmeof.api.QueueCounts;
import dev.nvmeof.driver.kit.NicOffloadDriver;
import dev.nvmeof.host.EmbeddedNvmeHost;

/**
 * Poll queues through a polling device (vortex): {@code nr_io_queues=2,nr_poll_queues=1} gives two default queues and
 * one poll queue, whose queue pair has no completion listener, so a polled read completes only inside
 * {@link BlockDevice#poll()} on the thread that polls, with the right data.
 */
class OffloadPollQueuesTest {
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(30);

    @TempDir
    Path state;
    private final OffloadLab lab = new OffloadLab();
    private OffloadLab.Target target;
    private NicOffloadDriver vortex;
    private EmbeddedNvmeHost host;

    @BeforeEach
    void start() throws Exception {
        target = lab.target("127.0.0.1", 1 << 20);
        vortex = lab.vortex("127.0.0.3/24");
        host = lab.host(state);
    }

    @AfterEach
    void stop() throws Exception {
        lab.close();
    }

    @Test
    void shouldCompleteAPolledReadOnlyThroughPollOnThePollQueue() throws Exception {
        // keep_alive_tmo 60: no Keep Alive completes while the notifications are counted below.
        NvmeController controller = host.connect(target.options(",nr_io_queues=2,nr_poll_queues=1,"
                + "keep_alive_tmo=60"));

        assertEquals(new QueueCounts(2, 0, 1), controller.queueCounts());
        assertEquals(3, controller.ioQueueCount());
        assertEquals(4, vortex.activeQueues(), "admin, 2 default, 1 poll");
        assertEquals(4, target.server().connectionCount());

        BlockDevice device = controller.namespaces().get(0).device();
        byte[] pattern = new byte[64 * 1024];
        new Random(42).nextBytes(pattern);
        device.write(16, ByteBuffer.wrap(pattern), false).get(30, TimeUnit.SECONDS);
        assertEquals(0, device.poll(), "nothing submitted polled yet");

        long notifications = vortex.nic().counters().completionNotifications();
        AtomicReference<Thread> completedOn = new AtomicReference<>();
        IoRequest read = new IoRequest().polled(true).callback(r -> completedOn.set(Thread.currentThread()));
        ByteBuffer back = ByteBuffer.allocateDirect(pattern.length);
        device.submit(read.read(16, back));
        assertNull(completedOn.get(), "a polled read does not complete before someone polls");

        int reaped = 0;
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (completedOn.get() == null && System.nanoTime() - deadline < 0) {
            reaped += device.poll(); // io_uring IOPOLL style: the submitter spins on its poll queue
            Thread.onSpinWait();
        }

        assertSame(Thread.currentThread(), completedOn.get(), "completed inside poll(), on the polling thread");
        assertEquals(1, reaped);
        assertTrue(read.succeeded(), () -> "status 0x" + Integer.toHexString(read.status()));
        byte[] got = new byte[pattern.length];
        back.get(got);
        assertArrayEquals(pattern, got);
        assertEquals(notifications, vortex.nic().counters().completionNotifications(),
                "the poll queue's queue pair has no listener: the engine notified nobody");
    }

    @Test
    void shouldCompleteOrdinaryIoOnTheDefaultQueuesWithoutPolling() throws Exception {
        NvmeController controller = host.connect(target.options(",nr_io_queues=2,nr_poll_queues=1"));
        BlockDevice device = controller.namespaces().get(0).device();
        long notifications = vortex.nic().counters().completionNotifications();

        device.read(0, ByteBuffer.allocateDirect(4096)).get(30, TimeUnit.SECONDS);

        assertTrue(vortex.nic().counters().completionNotifications() > notifications, "notified, not polled");
        assertFalse(controller.queueCounts().pollQueues() == 0);
        assertEquals(0, device.poll());
    }
}
