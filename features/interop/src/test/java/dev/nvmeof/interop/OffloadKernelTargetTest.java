package dev.nvmeof.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nvmeof.api.BlockDevice;
import dev.nvmeof.api.ControllerState;
import dev.nvmeof.api.NvmeController;
import dev.nvmeof.driver.kit.NicOffloadDriver;
import dev.nvmeof.driver.kit.VendorProfile;
import dev.nvmeof.nic.emulated.NicCapabilities;
import dev.nvmeof.nic.emulated.NicFunction;
import dev.nvmeof.offload.OffloadStack;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code tcp_offload} against the Linux kernel's {@code nvmet-tcp} target in the guest: the emulated NICs' engines
 * speak NVMe/TCP to the kernel from their ports' addresses (QEMU's forwarding hides the source from the guest), each
 * vendor's driver carries an 8 MiB random pattern written and read back, with and without digests.
 */
@Tag("interop")
@ExtendWith(InteropExtension.class)
class OffloadKernelTargetTest {
    private static final String NQN = "nqn.2024-01.dev.nvmeof:interop-offload";
    private static final Duration SHORT = Duration.ofSeconds(30);
    private static final Duration IO = Duration.ofSeconds(60);
    private static final int PATTERN_BYTES = 8 << 20;
    private static final int MAX_TRANSFER = 128 * 1024;

    private static QemuGuest guest;
    private OurHost ours;
    private NicFunction acmeNic;
    private NicFunction vortexNic;

    @BeforeAll
    static void bootGuestWithKernelTarget() {
        // brd 32 MiB: four 8 MiB regions, one per case
        guest = QemuGuest.builder().name("offload-kernel-target").cpus(4).ramDiskKiB(32 * 1024).kernelTarget()
                .start();
        guest.execOk(KernelTarget.setUp(NQN, "/dev/ram0"), SHORT);
    }

    @AfterAll
    static void stopGuest() {
        if (guest != null) {
            guest.close();
        }
    }

    @BeforeEach
    void startStack() {
        acmeNic = NicFunction.start(new NicCapabilities(0x1AC3, 0x0100, "IA1", 25_000, 8, 128 << 10, 32, false), 1,
                1);
        acmeNic.netDevice().addAddress("p1p1", "127.0.0.2/24");
        vortexNic = NicFunction.start(new NicCapabilities(0x1F7A, 0x0200, "IV1", 100_000, 4, 1 << 20, 64, true), 2,
                1);
        vortexNic.netDevice().addAddress("p2p1", "127.0.0.3/24");
        OffloadStack offload = new OffloadStack();
        offload.addDriver(new NicOffloadDriver(VendorProfile.of("acme", 0x1AC3, 0x0100, "tos"), acmeNic), 0, 1);
        offload.addDriver(new NicOffloadDriver(VendorProfile.of("vortex", 0x1F7A, 0x0200, "nr_poll_queues"),
                vortexNic), 0, 2);
        ours = new OurHost();
        ours.host.addTransport(offload.transport());
    }

    @AfterEach
    void stopStack() {
        if (ours != null) {
            ours.close(); // disconnects while the NICs still carry the connections
        }
        acmeNic.close();
        vortexNic.close();
    }

    @ParameterizedTest(name = "{0} via {1}, digests={2}")
    @CsvSource({"acme-IA1, p1p1, false, 0", "acme-IA1, p1p1, true, 1", "vortex-IV1, p2p1, false, 2",
            "vortex-IV1, p2p1, true, 3"})
    void shouldWriteAndReadBackAnEightMebibytePatternThroughEachDriver(String device, String port, boolean digests,
            int region) throws Exception {
        String options = "transport=tcp_offload,traddr=127.0.0.1,trsvcid=" + guest.hostPort() + ",nqn=" + NQN
                + ",host_iface=" + port + ",nr_io_queues=2" + (digests ? ",hdr_digest,data_digest" : "");
        NvmeController controller = ours.connect(options);
        assertEquals(ControllerState.LIVE, controller.state());
        assertTrue(controller.transportDescription().startsWith("tcp_offload via " + device + " from 127.0.0."),
                controller.transportDescription());
        assertEquals("Linux", controller.identify().mn().strip(), "Identify MN");
        OurHost.assertGuestConnections(guest, 1 + controller.ioQueueCount());

        BlockDevice device0 = controller.namespaces().get(0).device();
        int blockSize = device0.blockSize();
        long regionBlocks = PATTERN_BYTES / blockSize;
        long firstLba = region * regionBlocks;
        Random random = new Random(0x0ff1 + region);
        byte[] pattern = new byte[PATTERN_BYTES];
        random.nextBytes(pattern);
        List<OurHost.Transfer> writes = OurHost.plan(random, firstLba, regionBlocks, blockSize, MAX_TRANSFER);
        List<OurHost.Transfer> reads = OurHost.plan(random, firstLba, regionBlocks, blockSize, MAX_TRANSFER);
        OurHost.writeAll(device0, firstLba, pattern, writes, 8, IO);
        byte[] read = new byte[PATTERN_BYTES];
        OurHost.readInto(device0, firstLba, read, reads, 8, IO);
        assertTrue(Arrays.equals(pattern, read), "the pattern read back differs at byte "
                + Arrays.mismatch(pattern, read));

        controller.disconnect();
        OurHost.assertGuestConnections(guest, 0);
        String dmesg = guest.execOk("dmesg", SHORT);
        assertTrue(!dmesg.contains("digest error") && !dmesg.contains("keep-alive timer"),
                "no digest error or keep-alive expiry on the kernel side:\n" + dmesg);
    }
}
