package dev.nvmeof.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nvmeof.api.BlockDevice;
import dev.nvmeof.api.ControllerState;
import dev.nvmeof.api.NvmeController;
import dev.nvmeof.api.NvmeStatusException;
import dev.nvmeof.protocol.NvmeStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An outage while I/O is queued, against the kernel target: the guest cuts its port ({@code ports/1/subsystems/NQN}
 * link removed, which makes nvmet delete the subsystem's controllers and close the listener) and, for the first
 * case, restores it 4 s later, without a restart. Writes are in flight when the port goes and more are submitted
 * while the controller is down. Every wait is bounded.
 */
@Tag("interop")
@ExtendWith(InteropExtension.class)
class OurHostKernelTargetOutageTest {
    private static final String NQN = "nqn.2024-01.dev.nvmeof:interop-outage";
    private static final Duration SHORT = Duration.ofSeconds(30);
    private static final Duration IO = Duration.ofSeconds(60);
    private static final int REGION_BYTES = 4 << 20;
    private static final int MAX_TRANSFER = 128 * 1024;
    private static final int OUTAGE_SECONDS = 4;

    private static QemuGuest guest;
    private OurHost ours;

    @BeforeAll
    static void bootGuestWithKernelTarget() {
        guest = QemuGuest.builder().name("our-host-outage").cpus(2).ramDiskKiB(16 * 1024).kernelTarget().start();
        guest.execOk(KernelTarget.setUp(NQN, "/dev/ram0"), SHORT);
    }

    @AfterAll
    static void stopGuest() {
        if (guest != null) {
            guest.close();
        }
    }

    @BeforeEach
    void startHost() {
        ours = new OurHost();
    }

    @AfterEach
    void stopHostAndRestoreThePort() {
        if (ours != null) {
            ours.close();
        }
        if (guest != null) {
            guest.exec("[ -e /sys/kernel/config/nvmet/ports/1/subsystems/" + NQN + " ] || "
                    + KernelTarget.linkPort(NQN), SHORT);
        }
    }

    @Test
    void shouldReissueEveryQueuedWriteAndLoseNoneWhenThePortComesBackWithinCtrlLossTmo() throws Exception {
        NvmeController controller = ours.connect(OurHost.options(guest.hostPort(), NQN,
                "nr_io_queues=2,reconnect_delay=1,ctrl_loss_tmo=60"));
        BlockDevice device = controller.namespaces().get(0).device();
        int blockSize = device.blockSize();
        int cntlidBefore = controller.cntlid();
        Random random = new Random(0x07a6eL);
        byte[] pattern = new byte[REGION_BYTES];
        random.nextBytes(pattern);
        List<OurHost.Transfer> plan = OurHost.plan(random, 0, REGION_BYTES / blockSize, blockSize, MAX_TRANSFER);
        int half = plan.size() / 2;

        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (OurHost.Transfer t : plan.subList(0, half)) { // in flight when the port goes
            writes.add(device.write(t.lba(), OurHost.slice(pattern, 0, t, blockSize), false));
        }
        long cut = System.nanoTime();
        CompletableFuture<QemuGuest.ExecResult> outage = CompletableFuture.supplyAsync(() -> guest.exec(
                KernelTarget.unlinkPort(NQN) + " && sleep " + OUTAGE_SECONDS + " && " + KernelTarget.linkPort(NQN),
                SHORT));
        OurHost.await("the host notices the loss", Duration.ofSeconds(15),
                () -> controller.state() != ControllerState.LIVE);
        long unfinishedAtLoss = writes.stream().filter(f -> !f.isDone()).count();
        List<CompletableFuture<Void>> queued = new ArrayList<>();
        for (OurHost.Transfer t : plan.subList(half, plan.size())) { // submitted while the controller is down
            queued.add(device.write(t.lba(), OurHost.slice(pattern, 0, t, blockSize), false));
        }
        long held = queued.stream().filter(f -> !f.isDone()).count();
        assertFalse(outage.isDone(), "the outage lasts " + OUTAGE_SECONDS + " s");
        assertTrue(held > 0, "writes are held while the controller is down");
        writes.addAll(queued);

        QemuGuest.ExecResult result = outage.get(SHORT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(0, result.exitStatus(), "port cut and restored: " + result.output());
        long restored = System.nanoTime();
        for (CompletableFuture<Void> write : writes) {
            write.get(IO.toSeconds(), TimeUnit.SECONDS); // no caller sees an error
        }
        long done = System.nanoTime();
        assertEquals(ControllerState.LIVE, controller.state());
        assertNotEquals(-1, controller.cntlid());
        System.out.printf("outage %.1f s; %d writes unfinished when the loss was seen, %d held; all %d"
                + " acknowledged %.1f s after the port came back (cntlid %d -> %d)%n", (restored - cut) / 1e9,
                unfinishedAtLoss, held, writes.size(), (done - restored) / 1e9, cntlidBefore, controller.cntlid());
        String hostnqn = ours.host.identity().hostnqn();
        String dmesg = guest.execOk("dmesg", SHORT);
        assertEquals(2, dmesg.split("for subsystem " + NQN + " for NQN " + hostnqn, -1).length - 1,
                "the kernel created a controller for us at connect and again at the reconnect:\n" + dmesg);

        List<OurHost.Transfer> reads = OurHost.plan(random, 0, REGION_BYTES / blockSize, blockSize, MAX_TRANSFER);
        OurHost.readAndCompare(device, 0, pattern, reads, 16, IO);
        controller.disconnect();
        OurHost.assertGuestConnections(guest, 0);
    }

    @Test
    void shouldFailEveryQueuedWriteWithHostPathErrorWithinFifteenSecondsWhenCtrlLossTmoExpires() throws Exception {
        NvmeController controller = ours.connect(OurHost.options(guest.hostPort(), NQN,
                "nr_io_queues=2,reconnect_delay=1,ctrl_loss_tmo=2"));
        BlockDevice device = controller.namespaces().get(0).device();
        int blockSize = device.blockSize();
        Random random = new Random(0x10557L);
        byte[] pattern = new byte[REGION_BYTES];
        random.nextBytes(pattern);
        List<OurHost.Transfer> plan = OurHost.plan(random, 0, REGION_BYTES / blockSize, blockSize, MAX_TRANSFER);
        int half = plan.size() / 2;

        List<CompletableFuture<Void>> inFlight = new ArrayList<>();
        for (OurHost.Transfer t : plan.subList(0, half)) {
            inFlight.add(device.write(t.lba(), OurHost.slice(pattern, 0, t, blockSize), false));
        }
        long loss = System.nanoTime();
        guest.execOk(KernelTarget.unlinkPort(NQN), SHORT);
        OurHost.await("the host notices the loss", Duration.ofSeconds(15),
                () -> controller.state() != ControllerState.LIVE);
        List<CompletableFuture<Void>> queued = new ArrayList<>();
        for (OurHost.Transfer t : plan.subList(half, plan.size())) {
            queued.add(device.write(t.lba(), OurHost.slice(pattern, 0, t, blockSize), false));
        }

        List<CompletableFuture<Void>> all = new ArrayList<>(inFlight);
        all.addAll(queued);
        long[] failedAt = new long[all.size()];
        for (int i = 0; i < all.size(); i++) {
            int index = i;
            all.get(i).whenComplete((v, e) -> failedAt[index] = System.nanoTime());
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).exceptionally(e -> null)
                .get(20, TimeUnit.SECONDS); // nothing hangs
        int hostPathErrors = 0;
        long latest = 0;
        for (int i = 0; i < all.size(); i++) {
            CompletableFuture<Void> write = all.get(i);
            boolean mustFail = i >= inFlight.size(); // written before the cut may have been acknowledged
            try {
                write.get(0, TimeUnit.SECONDS);
                if (mustFail) {
                    fail("a write queued after the loss succeeded");
                }
            } catch (ExecutionException e) {
                NvmeStatusException status = assertInstanceOf(NvmeStatusException.class, e.getCause(),
                        "failure of write " + i);
                assertEquals(NvmeStatus.HOST_PATH_ERROR, status.status(), "status of write " + i);
                assertEquals(3, status.status().sct(), "SCT");
                assertEquals(0x70, status.status().sc(), "SC");
                hostPathErrors++;
                latest = Math.max(latest, failedAt[i] - loss);
            }
        }
        assertTrue(hostPathErrors >= queued.size(), hostPathErrors + " Host Path Errors");
        assertTrue(latest <= TimeUnit.SECONDS.toNanos(15), "failed " + latest / 1e9 + " s after the loss");
        // Like Linux, requests fail during DELETING and the controller is DEAD right after.
        OurHost.await("the controller is dead", Duration.ofSeconds(5),
                () -> controller.state() == ControllerState.DEAD);
        CompletableFuture<Void> late = device.write(0, OurHost.slice(pattern, 0, plan.get(0), blockSize), false);
        ExecutionException afterDeath = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> late.get(5, TimeUnit.SECONDS), "a write to the dead controller fails at once");
        assertInstanceOf(NvmeStatusException.class, afterDeath.getCause());
        System.out.printf("%d writes, %d Host Path Errors, the last %.1f s after the loss%n", all.size(),
                hostPathErrors, latest / 1e9);
    }
}
