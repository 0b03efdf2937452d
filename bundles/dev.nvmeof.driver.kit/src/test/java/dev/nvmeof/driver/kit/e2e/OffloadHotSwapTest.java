package dev.nvmeof.driver.kit.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.nvmeof.api.BlockDevice;
import dev.nvmeof.api.NvmeController;
import dev.nvmeof.api.NvmeHost;
import dev.nvmeof.api.NvmeStatusException;
import dev.nvmeof.driver.kit.NicOffloadDriver;

/**
 * A driver leaving under load ({@code OffloadStack.removeDriver}, what the DS unbind does when its bundle stops):
 * the controller on it fails over at once (no {@code reconnect_delay} first: the path was withdrawn, the target is
 * fine) to the other driver, which the reconnect's claim ranking picks, with no caller error and no data lost; with no other driver it ends DEAD after {@code ctrl_loss_tmo} and its queued I/O fails with
 * Host Path Error, never hangs.
 */
class OffloadHotSwapTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration IO_TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path state;
    private final OffloadLab lab = new OffloadLab();
    private final HostWatch watch = new HostWatch();
    private OffloadLab.Target target;
    private NvmeHost host;

    @BeforeEach
    void start() throws Exception {
        target = lab.target("127.0.0.1", 16 << 20);
        host = lab.host(state, IO_TIMEOUT, watch);
    }

    @AfterEach
    void stop() throws Exception {
        lab.close();
    }

    /** Writes the first half, then holds the I/O queue so the second half is in flight when the driver goes. */
    private static List<CompletableFuture<Void>> secondHalfInFlight(DataRun run, NicOffloadDriver driver)
            throws InterruptedException {
        DataRun.succeed(run.write(0, DataRun.HALF), WAIT);
        driver.nic().faults().stall(OffloadLab.queuePair(driver, 1), true);
        return run.write(DataRun.HALF, DataRun.CHUNKS);
    }

    @Test
    void shouldFailOverToTheOtherDriverWhenTheOneCarryingTheControllerLeaves() throws Exception {
        NicOffloadDriver acme = lab.acme("127.0.0.2/24");
        NicOffloadDriver vortex = lab.vortex("127.0.0.3/24");
        // Default options: reconnect_delay is 10 s, which a driver leaving must not cost.
        NvmeController controller = host.connect(target.options(",nr_io_queues=1"));
        assertTrue(controller.transportDescription().startsWith("tcp_offload via vortex-V1"),
                "the faster link wins: " + controller.transportDescription());
        DataRun run = new DataRun(controller.namespaces().get(0).device(), 3);
        List<CompletableFuture<Void>> inFlight = secondHalfInFlight(run, vortex);

        long removed = System.nanoTime();
        lab.transport.removeDriver(vortex);

        DataRun.succeed(inFlight, WAIT);
        long pauseMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - removed);
        assertTrue(pauseMillis < 2_000, "the held writes completed " + pauseMillis
                + " ms after the driver left: recovery waited for reconnect_delay");
        assertEquals(List.of("NEW->CONNECTING", "CONNECTING->LIVE", "LIVE->RESETTING", "RESETTING->CONNECTING",
                "CONNECTING->LIVE"), watch.awaitRecoveredTo("CONNECTING->LIVE", WAIT));
        assertTrue(watch.recoveries().get(0).contains("path withdrawn: offload device vortex-V1 left"),
                watch.recoveries().toString());
        run.assertIntact(WAIT);
        assertTrue(controller.transportDescription().startsWith("tcp_offload via acme-A1 from 127.0.0.2: acme-A1"
                + " won: the only claim"), controller.transportDescription());
        assertEquals(List.of("127.0.0.2"), target.sources().stream().distinct().toList(), "only acme's connections");
        assertEquals(0, vortex.activeQueues(), "the leaving driver's queues are destroyed");
        assertEquals(vortex.limits().hardwareVectors(), vortex.freeHardwareVectors());
        assertEquals(2, acme.activeQueues());
    }

    @Test
    void shouldEndDeadAndFailQueuedIoWithHostPathErrorWhenNoDriverIsLeft() throws Exception {
        NicOffloadDriver acme = lab.acme("127.0.0.2/24");
        NvmeController controller = host.connect(target.options(",nr_io_queues=1,reconnect_delay=1,ctrl_loss_tmo=2"));
        BlockDevice device = controller.namespaces().get(0).device();
        DataRun run = new DataRun(device, 4);
        List<CompletableFuture<Void>> inFlight = secondHalfInFlight(run, acme);

        lab.transport.removeDriver(acme);
        String refused = lab.attempts.awaitRefused(WAIT);
        List<CompletableFuture<Void>> queued = run.write(0, 1); // held while the controller reconnects

        List<String> transitions = watch.await(t -> t.contains("DELETING->DEAD"), WAIT);
        assertEquals(List.of("NEW->CONNECTING", "CONNECTING->LIVE", "LIVE->RESETTING", "RESETTING->CONNECTING",
                "CONNECTING->DELETING", "DELETING->DEAD"), transitions);
        assertTrue(refused.contains("no offload device is registered"), refused);
        List<CompletableFuture<Void>> all = new ArrayList<>(inFlight);
        all.addAll(queued);
        all.add(device.write(0, ByteBuffer.allocateDirect(device.blockSize()), false)); // after DEAD
        for (CompletableFuture<Void> request : all) {
            assertHostPathError(request);
        }
        watch.awaitDead(controller.name(), WAIT); // heard once the host forgot it and withdrew its namespaces
        assertTrue(host.controllers().isEmpty(), "a DEAD controller is forgotten");
        assertEquals(0, acme.activeQueues());
    }

    private static void assertHostPathError(CompletableFuture<Void> request) throws InterruptedException {
        try {
            request.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            fail("completed although no driver is left");
        } catch (TimeoutException e) {
            fail("still pending " + WAIT + " after the controller died: a hang");
        } catch (ExecutionException e) {
            NvmeStatusException status = assertInstanceOf(NvmeStatusException.class, e.getCause());
            // Host Path Error: SCT 3h (path related), SC 70h
            assertEquals(3, status.status().sct(), status.toString());
            assertEquals(0x70, status.status().sc(), status.toString());
        }
    }
}
