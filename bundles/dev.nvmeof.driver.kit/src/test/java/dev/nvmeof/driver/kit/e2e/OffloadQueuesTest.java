package dev.nvmeof.driver.kit.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.nvmeof.api.NvmeController;
import dev.nvmeof.api.NvmeException;
import dev.nvmeof.driver.kit.NicOffloadDriver;
import dev.nvmeof.host.EmbeddedNvmeHost;

/**
 * I/O queues are bounded by each device's hardware vectors: {@code nr_io_queues=8} gives 8 on acme (8 vectors) and 4
 * on vortex (4 vectors); the admin queue takes none; a device whose vectors are all taken refuses the next I/O queue.
 * Both devices reach the target; {@code host_traddr} picks one.
 */
class OffloadQueuesTest {
    @TempDir
    Path state;
    private final OffloadLab lab = new OffloadLab();
    private OffloadLab.Target target;
    private NicOffloadDriver acme;
    private NicOffloadDriver vortex;
    private EmbeddedNvmeHost host;

    @BeforeEach
    void start() throws Exception {
        target = lab.target("127.0.0.1", 1 << 20);
        acme = lab.acme("127.0.0.2/24");
        vortex = lab.vortex("127.0.0.3/24");
        host = lab.host(state);
    }

    @AfterEach
    void stop() throws Exception {
        lab.close();
    }

    @Test
    void shouldCreateEightIoQueuesOnTheAcmeDevice() throws Exception {
        NvmeController controller = host.connect(target.options(",nr_io_queues=8,host_traddr=127.0.0.2"));

        assertEquals(8, controller.ioQueueCount());
        assertEquals(9, target.server().connectionCount(), "admin + 8 I/O connections");
        assertEquals(9, acme.activeQueues());
        assertEquals(0, acme.freeHardwareVectors());
    }

    @Test
    void shouldCapIoQueuesAtTheFourVectorsOfTheVortexDevice() throws Exception {
        NvmeController controller = host.connect(target.options(",nr_io_queues=8,host_traddr=127.0.0.3"));

        assertEquals(4, controller.ioQueueCount());
        assertEquals(5, target.server().connectionCount(), "admin + 4 I/O connections");
        assertEquals(0, vortex.freeHardwareVectors());
    }

    @Test
    void shouldRefuseAnIoQueueWhenEveryVectorIsTaken() throws Exception {
        host.connect(target.options(",nr_io_queues=4,host_traddr=127.0.0.3"));

        NvmeException refused = assertThrows(NvmeException.class,
                () -> host.connect(target.options(",nr_io_queues=1,host_traddr=127.0.0.3,duplicate_connect")));

        assertTrue(refused.getMessage().contains("vortex-V1: all 4 hardware vectors are in use, I/O queue 1 refused"),
                refused.getMessage());
        assertEquals(1, host.controllers().size());
        assertEquals(5, vortex.activeQueues(), "the refused controller's admin queue is gone again");
    }
}
