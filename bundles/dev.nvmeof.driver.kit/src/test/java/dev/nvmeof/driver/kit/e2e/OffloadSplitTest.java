package dev.nvmeof.driver.kit.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.nvmeof.api.BlockDevice;
import dev.nvmeof.api.NvmeController;
import dev.nvmeof.driver.kit.NicOffloadDriver;
import dev.nvmeof.nic.emulated.NicCapabilities;
import dev.nvmeof.nic.emulated.NicCounters;

/** I/O is split by the device's maximum I/O size, not only by the controller's MDTS. */
class OffloadSplitTest {
    @TempDir
    Path state;
    private final OffloadLab lab = new OffloadLab();

    @AfterEach
    void stop() throws Exception {
        lab.close();
    }

    @Test
    void shouldSplitAOneMebibyteWriteIntoCommandsNoLargerThanTheDevicesMaximum() throws Exception {
        OffloadLab.Target target = lab.target("127.0.0.1", 4 << 20); // MDTS 1 MiB
        NicCapabilities small = new NicCapabilities(0x1AC3, 0x0100, "S1", 25_000, 8, 32 * 1024, 32, false);
        NicOffloadDriver driver = lab.driver(OffloadLab.ACME, small, "127.0.0.2/24");
        NvmeController controller = lab.host(state).connect(target.options(",nr_io_queues=1"));
        BlockDevice device = controller.namespaces().get(0).device();
        assertEquals(32 * 1024, device.maxTransferSize(), "the device's 32 KiB, below the target's 1 MiB MDTS");

        byte[] pattern = new byte[1 << 20];
        new Random(32).nextBytes(pattern);
        NicCounters before = driver.nic().counters();
        device.write(0, ByteBuffer.wrap(pattern), false).get(30, TimeUnit.SECONDS);
        NicCounters after = driver.nic().counters();
        // 32 writes of 32 KiB: each a capsule plus one H2CData per R2T (in-capsule stops at 8 KiB)
        assertTrue(after.pdusOut() - before.pdusOut() >= 64, "PDUs sent: " + (after.pdusOut() - before.pdusOut()));

        ByteBuffer back = ByteBuffer.allocate(pattern.length);
        device.read(0, back).get(30, TimeUnit.SECONDS);
        assertArrayEquals(pattern, back.array());
    }
}
