package dev.nvmeof.driver.kit.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.nvmeof.api.BlockDevice;
import dev.nvmeof.api.ControllerState;
import dev.nvmeof.api.NvmeController;
import dev.nvmeof.api.NvmeHost;
import dev.nvmeof.api.NvmeStatusException;
import dev.nvmeof.driver.kit.NicOffloadDriver;
import dev.nvmeof.nic.emulated.NicFaults;
import dev.nvmeof.nic.emulated.QueuePair;
import dev.nvmeof.protocol.NvmeStatus;

/**
 * Each fault of the emulated NIC, injected on the live I/O queue while an 8 MiB verified write+read runs over
 * {@code tcp_offload} (acme, one I/O queue, digests on): the driver reports it with its cause (or, for a queue that
 * goes silent, the command timeout catches it), the controller goes RESETTING and LIVE again exactly once, every
 * request completes successfully and the 8 MiB read back are the ones written. A corrupted data digest instead
 * fails only its command with Data Transfer Error, which the host core retries (five times, as Linux). {@code reconnect_delay=1} and a 2 s
 * I/O timeout (host-wide) keep each recovery to a few seconds.
 */
class OffloadFaultsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration IO_TIMEOUT = Duration.ofSeconds(2);
    private static final String OPTIONS = ",nr_io_queues=1,reconnect_delay=1,ctrl_loss_tmo=30,hdr_digest,data_digest";
    private static final List<String> NO_RECOVERY = List.of("NEW->CONNECTING", "CONNECTING->LIVE");
    private static final List<String> ONE_RECOVERY = List.of("NEW->CONNECTING", "CONNECTING->LIVE",
            "LIVE->RESETTING", "RESETTING->CONNECTING", "CONNECTING->LIVE");

    @TempDir
    Path state;
    private final OffloadLab lab = new OffloadLab();
    private final HostWatch watch = new HostWatch();
    private NicOffloadDriver acme;
    private NicFaults faults;
    private NvmeController controller;
    private DataRun run;

    @BeforeEach
    void start(org.junit.jupiter.api.TestInfo test) throws Exception {
        OffloadLab.Target target = lab.target("127.0.0.1", 16 << 20);
        acme = lab.acme("127.0.0.2/24");
        faults = acme.nic().faults();
        NvmeHost host = lab.host(state, IO_TIMEOUT, watch);
        controller = host.connect(target.options(OPTIONS));
        run = new DataRun(controller.namespaces().get(0).device(), test.getDisplayName().hashCode());
    }

    @AfterEach
    void stop() throws Exception {
        lab.close();
    }

    /**
     * Writes the first half (acknowledged before the fault), then holds the I/O queue pair so the second half is in
     * flight on the hardware when the fault hits, not already done.
     */
    private List<CompletableFuture<Void>> secondHalfInFlight() throws InterruptedException {
        DataRun.succeed(run.write(0, DataRun.HALF), WAIT);
        faults.stall(ioQueuePair(), true);
        return run.write(DataRun.HALF, DataRun.CHUNKS);
    }

    /**
     * Writes the first half (acknowledged before the fault), then starts reading it back and writing the second
     * half at once, so data is on the wire in both directions (C2HData and R2T/H2CData) when the fault hits.
     */
    private List<CompletableFuture<Void>> bothDirectionsInFlight() throws InterruptedException {
        DataRun.succeed(run.write(0, DataRun.HALF), WAIT);
        List<CompletableFuture<Void>> inFlight = new ArrayList<>(run.read(0, DataRun.HALF));
        inFlight.addAll(run.write(DataRun.HALF, DataRun.CHUNKS));
        assertTrue(inFlight.stream().anyMatch(f -> !f.isDone()), "8 MiB just started: some of it is on the wire");
        return inFlight;
    }

    private QueuePair ioQueuePair() {
        return OffloadLab.queuePair(acme, 1);
    }

    /** One recovery, its cause, LIVE on acme with only the new association's queues, the data intact. */
    private void assertRecovered(List<CompletableFuture<Void>> inFlight, String... causeParts) throws Exception {
        DataRun.succeed(inFlight, WAIT);
        assertEquals(ONE_RECOVERY, watch.awaitRecoveredTo("CONNECTING->LIVE", WAIT));
        List<String> recoveries = watch.recoveries();
        assertEquals(1, recoveries.size(), recoveries.toString());
        for (String part : causeParts) {
            assertTrue(recoveries.get(0).contains(part), recoveries.get(0));
        }
        run.assertIntact(WAIT);
        assertEquals(ControllerState.LIVE, controller.state());
        assertEquals(2, acme.activeQueues(), "admin + 1 I/O queue: the lost association's queues are destroyed");
        assertEquals(ONE_RECOVERY, watch.transitions(), "nothing more happened");
    }

    @Test
    void shouldRecoverWhenTheLinkGoesDownAndComesBackUp() throws Exception {
        List<CompletableFuture<Void>> inFlight = bothDirectionsInFlight();

        faults.linkDown("p1p1");
        String refused = lab.attempts.awaitRefused(WAIT);
        faults.linkUp("p1p1");

        assertTrue(refused.contains("acme-A1"), refused);
        assertRecovered(inFlight, "offload device acme-A1 queue", "link down on p1p1");
    }

    @Test
    void shouldRecoverWhenTheConnectionIsReset() throws Exception {
        List<CompletableFuture<Void>> inFlight = bothDirectionsInFlight();

        faults.resetConnection(ioQueuePair());

        assertRecovered(inFlight, "offload device acme-A1 queue 1", "connection reset (injected on p1p1)");
    }

    @Test
    void shouldRetryAReadWhoseDataDigestIsCorruptedWithoutARecovery() throws Exception {
        run.writeAll(WAIT);
        DataRun.succeed(run.read(0, DataRun.HALF), WAIT);

        faults.corruptNextDataDigest(ioQueuePair());
        List<CompletableFuture<Void>> inFlight = run.read(DataRun.HALF, DataRun.CHUNKS);

        DataRun.succeed(inFlight, WAIT);
        run.assertReadBack();
        assertEquals(1, acme.nic().counters().digestErrors());
        assertEquals(NO_RECOVERY, watch.transitions(), "the command was retried, the connection kept");
    }

    @Test
    void shouldFailAReadWithDataTransferErrorWhenSixDataDigestsInARowAreCorrupted() throws Exception {
        run.writeAll(WAIT);
        BlockDevice device = controller.namespaces().get(0).device();

        faults.corruptDataDigests(ioQueuePair(), 6); // the read and its 5 retries
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> device.read(0, ByteBuffer.allocateDirect(4096)).get(WAIT.toSeconds(), TimeUnit.SECONDS));
        NvmeStatusException status = assertInstanceOf(NvmeStatusException.class, failed.getCause());
        assertEquals(NvmeStatus.DATA_TRANSFER_ERROR, status.status(), status.toString());
        assertEquals(6, acme.nic().counters().digestErrors());

        device.read(0, ByteBuffer.allocateDirect(4096)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(NO_RECOVERY, watch.transitions(), "no recovery: only that command failed");
    }

    @Test
    void shouldRecoverThroughTheCommandTimeoutWhenTheQueueStalls() throws Exception {
        List<CompletableFuture<Void>> inFlight = secondHalfInFlight();

        assertRecovered(inFlight, "command timeout");
    }

    @Test
    void shouldReissueTheCommandWhoseCompletionWasDropped() throws Exception {
        DataRun.succeed(run.write(0, DataRun.HALF), WAIT);

        faults.dropNextCompletion(ioQueuePair());
        List<CompletableFuture<Void>> inFlight = run.write(DataRun.HALF, DataRun.CHUNKS);

        assertRecovered(inFlight, "command timeout");
        assertEquals(1, acme.nic().counters().completionsDropped());
    }
}
