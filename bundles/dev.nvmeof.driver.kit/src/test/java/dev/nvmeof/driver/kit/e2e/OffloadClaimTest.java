package dev.nvmeof.driver.kit.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.nvmeof.api.NvmeController;
import dev.nvmeof.api.NvmeTransportException;
import dev.nvmeof.driver.kit.NicOffloadDriver;
import dev.nvmeof.host.EmbeddedNvmeHost;

/**
 * Which device claims a connection, from the routes of its ports: acme has {@code p1p1 127.0.0.2/24} and
 * {@code p1p2 127.0.1.2/24}, vortex only {@code p1p1 127.0.0.3/24}; a target on 127.0.1.1 is reached by acme's
 * second port alone, one on 127.0.2.1 by nobody.
 */
class OffloadClaimTest {
    @TempDir
    Path state;
    private final OffloadLab lab = new OffloadLab();
    private NicOffloadDriver acme;
    private NicOffloadDriver vortex;
    private EmbeddedNvmeHost host;

    @BeforeEach
    void start() throws Exception {
        acme = lab.acme("127.0.0.2/24", "127.0.1.2/24");
        vortex = lab.vortex("127.0.0.3/24");
        host = lab.host(state);
    }

    @AfterEach
    void stop() throws Exception {
        lab.close();
    }

    @Test
    void shouldConnectThroughTheOnlyPortWhoseRouteReachesTheTarget() throws Exception {
        OffloadLab.Target target = lab.target("127.0.1.1", 1 << 20);

        NvmeController controller = host.connect(target.options(""));

        assertEquals("tcp_offload via acme-A1 from 127.0.1.2: acme-A1 won: the only claim; vortex-V1 declined:"
                + " cannot reach 127.0.1.1 through its port", controller.transportDescription());
        assertEquals(List.of("127.0.1.2"), target.sources().stream().distinct().toList());
        assertEquals(0, vortex.activeQueues());
    }

    @Test
    void shouldRefuseNamingWhyEachDeviceDeclinedWhenNoPortReachesTheTarget() throws Exception {
        OffloadLab.Target target = lab.target("127.0.2.1", 1 << 20);
        String where = "127.0.2.1:" + target.address().getPort();

        NvmeTransportException refused = assertThrows(NvmeTransportException.class,
                () -> host.connect(target.options("")));

        assertTrue(refused.getMessage().contains("no offload device claims the connection to " + where),
                refused.getMessage());
        assertTrue(refused.getMessage().contains("acme-A1 declined: cannot reach 127.0.2.1"), refused.getMessage());
        assertTrue(refused.getMessage().contains("vortex-V1 declined: cannot reach 127.0.2.1"), refused.getMessage());
        assertEquals(0, target.server().connectionCount());
        assertTrue(host.controllers().isEmpty());
    }

    @Test
    void shouldDeclineWhenTheNamedInterfaceDoesNotRouteToTheTarget() throws Exception {
        OffloadLab.Target target = lab.target("127.0.1.1", 1 << 20);

        NvmeTransportException refused = assertThrows(NvmeTransportException.class,
                () -> host.connect(target.options(",host_iface=p1p1")));

        assertTrue(refused.getMessage().contains("acme-A1 declined"), refused.getMessage());
        assertEquals(0, target.server().connectionCount());
    }

    @Test
    void shouldComeFromTheHostAddressGivenWhenTwoDevicesReachTheTarget() throws Exception {
        OffloadLab.Target target = lab.target("127.0.0.1", 1 << 20);

        NvmeController viaAcme = host.connect(target.options(",host_traddr=127.0.0.2"));
        NvmeController viaVortex = host.connect(target.options(",host_traddr=127.0.0.3,duplicate_connect"));

        assertTrue(viaAcme.transportDescription().startsWith("tcp_offload via acme-A1 from 127.0.0.2"),
                viaAcme.transportDescription());
        assertTrue(viaVortex.transportDescription().startsWith("tcp_offload via vortex-V1 from 127.0.0.3"),
                viaVortex.transportDescription());
        assertEquals(List.of("127.0.0.2", "127.0.0.3"), target.sources().stream().distinct().sorted().toList());
    }
}
