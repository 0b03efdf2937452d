package dev.nvmeof.host.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.nvmeof.api.BlockDevice;
import dev.nvmeof.api.ControllerListener;
import dev.nvmeof.api.ControllerState;
import dev.nvmeof.api.NvmeController;
import dev.nvmeof.api.NvmeStatusException;
import dev.nvmeof.protocol.NvmeStatus;
import dev.nvmeof.target.NamespaceConfig;
import dev.nvmeof.target.SubsystemConfig;

/**
 * Error recovery against the real target: the connection dies while I/O is queued (the subsystem is removed, so the
 * target tears the controller and its connections down) and comes back (the subsystem is added again over the same
 * file); or the target goes away for good and {@code ctrl_loss_tmo} expires. Waits are bounded; what the host does is
 * observed through its log (error recovery, state transitions), never by sleeping.
 */
class LoopbackRecoveryTest {
    private static final long SIZE = 8 << 20;
    private static final int WRITES = 64;
    private static final int MAX_BLOCKS = 64;

    @TempDir
    Path dir;
    private Path file;
    private Loopback loopback;
    private LogWatch hostLog;

    @BeforeEach
    void start() throws Exception {
        file = dir.resolve("ns1.img");
        loopback = Loopback.file(file, SIZE);
        hostLog = LogWatch.on("dev.nvmeof.host", Level.FINE);
    }

    @AfterEach
    void stop() {
        hostLog.close();
        loopback.close();
    }

    /** A write of random data to its own range. */
    private record Write(long lba, ByteBuffer data, CompletableFuture<Void> done) {
    }

    private static List<Write> writes(BlockDevice device, int count, long firstLba, SplittableRandom random) {
        List<Write> writes = new ArrayList<>();
        long lba = firstLba;
        for (int i = 0; i < count; i++) {
            int blocks = 1 + random.nextInt(MAX_BLOCKS);
            byte[] bytes = new byte[blocks * device.blockSize()];
            random.nextBytes(bytes);
            ByteBuffer data = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
            writes.add(new Write(lba, data, null));
            lba += blocks;
        }
        return writes;
    }

    private static List<Write> submit(BlockDevice device, List<Write> writes) {
        List<Write> started = new ArrayList<>();
        for (Write w : writes) {
            started.add(new Write(w.lba(), w.data(), device.write(w.lba(), w.data().duplicate(), false)));
        }
        return started;
    }

    @Test
    void shouldReissueQueuedIoWithoutErrorWhenTheSubsystemGoesAndComesBack() throws Exception {
        NvmeController controller = loopback.host.connect(
                loopback.options(",nr_io_queues=2,reconnect_delay=1,ctrl_loss_tmo=30"));
        BlockDevice device = controller.namespaces().get(0).device();
        SplittableRandom random = new SplittableRandom(7);
        List<Write> before = submit(device, writes(device, WRITES, 0, random));

        // The connection dies with the first batch on the wire or queued behind it.
        long outstanding = before.stream().filter(w -> !w.done().isDone()).count();
        loopback.target.removeSubsystem(Loopback.NQN);
        hostLog.await("error recovery", 1, Duration.ofSeconds(10));
        long lostAt = System.nanoTime();
        // The second batch arrives while the controller reconnects: held, not failed, not lost.
        List<Write> during = submit(device, writes(device, WRITES, WRITES * MAX_BLOCKS, random));
        // Attempts fail while the subsystem is gone (Connect refused) and go on every reconnect_delay: the held
        // write stays pending across the first attempt (1 s after the loss), a wait bounded by what must not happen.
        try {
            during.get(0).done().get(1500, TimeUnit.MILLISECONDS);
            fail("a write completed while the subsystem was gone");
        } catch (TimeoutException expected) {
            // still held
        }
        for (Write w : during) {
            assertFalse(w.done().isDone(), "completed while the subsystem was gone");
        }
        assertTrue(controller.state() == ControllerState.CONNECTING
                || controller.state() == ControllerState.RESETTING, controller.state().toString());

        loopback.target.addSubsystem(SubsystemConfig.of(Loopback.NQN, NamespaceConfig.file(1, file, SIZE,
                Loopback.BLOCK)));
        List<Write> all = new ArrayList<>(before);
        all.addAll(during);
        for (Write w : all) {
            w.done().get(20, TimeUnit.SECONDS); // no caller sees an error
        }
        double outage = (System.nanoTime() - lostAt) / 1e9;
        assertEquals(ControllerState.LIVE, controller.state());
        assertEquals(2, hostLog.count("-> LIVE"), "connected, then reconnected once");
        System.out.printf("recovery: %d writes acknowledged across an outage of %.2f s (%d of the first %d were "
                + "outstanding when the subsystem went)%n", all.size(), outage, outstanding, before.size());

        assertEveryWriteReadsBack(device, all);
    }

    @Test
    void shouldReissueQueuedIoWithoutErrorWhenTheTargetRestartsOnTheSamePortAndFile() throws Exception {
        NvmeController controller = loopback.host.connect(
                loopback.options(",nr_io_queues=2,reconnect_delay=1,ctrl_loss_tmo=30"));
        BlockDevice device = controller.namespaces().get(0).device();
        SplittableRandom random = new SplittableRandom(9);
        List<Write> before = submit(device, writes(device, WRITES, 0, random));

        long outstanding = before.stream().filter(w -> !w.done().isDone()).count();
        loopback.target.close(); // every connection and the listener go: reconnects are refused at TCP connect
        hostLog.await("error recovery", 1, Duration.ofSeconds(10));
        long lostAt = System.nanoTime();
        List<Write> during = submit(device, writes(device, WRITES, WRITES * MAX_BLOCKS, random));
        try {
            during.get(0).done().get(1500, TimeUnit.MILLISECONDS);
            fail("a write completed while the target was down");
        } catch (TimeoutException expected) {
            // still held across the first, refused, attempt
        }

        loopback.restartFile(file, SIZE);
        List<Write> all = new ArrayList<>(before);
        all.addAll(during);
        for (Write w : all) {
            w.done().get(20, TimeUnit.SECONDS);
        }
        double outage = (System.nanoTime() - lostAt) / 1e9;
        assertEquals(ControllerState.LIVE, controller.state());
        System.out.printf("target restart: %d writes acknowledged across an outage of %.2f s (%d of the first %d "
                + "were outstanding when it went)%n", all.size(), outage, outstanding, before.size());
        assertEveryWriteReadsBack(device, all);
    }

    @Test
    void shouldFailEveryRequestWithHostPathErrorWhenCtrlLossTmoExpiresWithTheTargetGone() throws Exception {
        CountDownLatch dead = new CountDownLatch(1); // heard once the host forgot the controller
        loopback.host.addListener((ControllerListener) event -> {
            if (event.to() == ControllerState.DEAD) {
                dead.countDown();
            }
        });
        NvmeController controller = loopback.host.connect(
                loopback.options(",nr_io_queues=2,reconnect_delay=1,ctrl_loss_tmo=2"));
        BlockDevice device = controller.namespaces().get(0).device();
        SplittableRandom random = new SplittableRandom(8);
        List<Write> before = submit(device, writes(device, WRITES, 0, random));

        loopback.target.close();
        hostLog.await("error recovery", 1, Duration.ofSeconds(10));
        long lostAt = System.nanoTime();
        List<Write> during = submit(device, writes(device, WRITES, WRITES * MAX_BLOCKS, random));

        List<Write> all = new ArrayList<>(before);
        all.addAll(during);
        int failed = 0;
        for (Write w : all) {
            try {
                w.done().get(15, TimeUnit.SECONDS);
                assertTrue(before.contains(w), "a write submitted after the loss succeeded");
            } catch (ExecutionException e) {
                NvmeStatusException status = assertInstanceOf(NvmeStatusException.class, e.getCause());
                assertEquals(NvmeStatus.HOST_PATH_ERROR.sct(), status.status().sct(), status.toString());
                assertEquals(NvmeStatus.HOST_PATH_ERROR.sc(), status.status().sc(), status.toString());
                failed++;
            }
        }
        double seconds = (System.nanoTime() - lostAt) / 1e9;
        System.out.printf("ctrl_loss_tmo 2 s: %d of %d writes failed with Host Path Error, the last %.2f s after "
                + "the loss%n", failed, all.size(), seconds);
        assertTrue(failed >= during.size());
        assertTrue(seconds < 15, "took " + seconds + " s");
        assertTrue(dead.await(15, TimeUnit.SECONDS), "DEAD");
        assertEquals(ControllerState.DEAD, controller.state());
        assertTrue(loopback.host.controllers().isEmpty());
        try {
            device.write(0, ByteBuffer.allocate(Loopback.BLOCK), false).get(5, TimeUnit.SECONDS);
            fail("a write on a dead controller succeeded");
        } catch (ExecutionException e) {
            assertEquals(NvmeStatus.HOST_PATH_ERROR.sc(),
                    assertInstanceOf(NvmeStatusException.class, e.getCause()).status().sc());
        }
    }

    /** Every acknowledged write reads back as written. */
    private static void assertEveryWriteReadsBack(BlockDevice device, List<Write> writes) throws Exception {
        for (Write w : writes) {
            ByteBuffer back = ByteBuffer.allocateDirect(w.data().remaining());
            device.read(w.lba(), back).get(10, TimeUnit.SECONDS);
            assertEquals(-1, back.mismatch(w.data()), "LBA " + w.lba());
        }
    }
}
