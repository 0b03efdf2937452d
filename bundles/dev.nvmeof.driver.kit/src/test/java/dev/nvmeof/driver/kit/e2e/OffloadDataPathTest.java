package dev.nvmeof.driver.kit.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.nvmeof.api.BlockDevice;
import dev.nvmeof.api.ControllerState;
import dev.nvmeof.api.NvmeController;
import dev.nvmeof.driver.kit.NicOffloadDriver;
import dev.nvmeof.host.EmbeddedNvmeHost;
import dev.nvmeof.nic.emulated.NicCounters;

/**
 * {@code tcp_offload} through each vendor's device: connect, write a random 8 MiB pattern, read it back, with and
 * without digests; the target sees the connections come from the NIC port's address.
 */
class OffloadDataPathTest {
    private static final int PATTERN = 8 << 20;

    @TempDir
    Path state;
    private final OffloadLab lab = new OffloadLab();

    @AfterEach
    void stop() throws Exception {
        lab.close();
    }

    @ParameterizedTest(name = "{0}{1}")
    @CsvSource({"acme,''", "acme,',hdr_digest,data_digest'", "vortex,''", "vortex,',hdr_digest,data_digest'"})
    void shouldWriteAndReadBackEightMebibytesThroughTheDevice(String vendor, String digests) throws Exception {
        OffloadLab.Target target = lab.target("127.0.0.1", 16 << 20);
        NicOffloadDriver driver = vendor.equals("acme") ? lab.acme("127.0.0.2/24") : lab.vortex("127.0.0.2/24");
        EmbeddedNvmeHost host = lab.host(state);

        NvmeController controller = host.connect(target.options(digests));

        assertEquals(ControllerState.LIVE, controller.state());
        assertTrue(controller.transportDescription().startsWith("tcp_offload via " + driver.deviceName()
                + " from 127.0.0.2"), controller.transportDescription());
        int queues = 1 + controller.ioQueueCount();
        assertEquals(Collections.nCopies(queues, "127.0.0.2"), target.sources());
        assertEquals(queues, driver.activeQueues());

        BlockDevice device = controller.namespaces().get(0).device();
        byte[] pattern = new byte[PATTERN];
        new Random(vendor.hashCode() + digests.length()).nextBytes(pattern);
        device.write(0, ByteBuffer.wrap(pattern), false).get(30, TimeUnit.SECONDS);
        ByteBuffer back = ByteBuffer.allocateDirect(PATTERN);
        device.read(0, back).get(30, TimeUnit.SECONDS);
        byte[] read = new byte[PATTERN];
        back.get(read);
        assertArrayEquals(pattern, read);

        NicCounters counters = driver.nic().counters();
        assertTrue(counters.bytesOut() > PATTERN && counters.bytesIn() > PATTERN, counters.toString());
        assertEquals(0, counters.digestErrors());
        controller.disconnect();
        assertEquals(0, driver.activeQueues(), "every queue destroyed");
        assertEquals(driver.limits().hardwareVectors(), driver.freeHardwareVectors(), "every vector returned");
    }
}
