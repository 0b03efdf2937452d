package dev.nvmeof.driver.kit.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.nvmeof.api.InvalidOptionException;
import dev.nvmeof.api.NvmeController;
import dev.nvmeof.host.EmbeddedNvmeHost;
import dev.nvmeof.protocol.tls.TlsPsk;
import dev.nvmeof.protocol.tls.TlsPskHash;

/**
 * Both devices reach the target (acme from 127.0.0.2, vortex from 127.0.0.3), so the options decide: polling goes to
 * vortex, a TOS to acme, and asking both is refused, naming the options and each device; so is TLS, which no device
 * of the emulated NIC does.
 */
class OffloadOptionRoutingTest {
    @TempDir
    Path state;
    private final OffloadLab lab = new OffloadLab();
    private OffloadLab.Target target;
    private EmbeddedNvmeHost host;

    @BeforeEach
    void start() throws Exception {
        target = lab.target("127.0.0.1", 1 << 20);
        lab.acme("127.0.0.2/24");
        lab.vortex("127.0.0.3/24");
        host = lab.host(state);
    }

    @AfterEach
    void stop() throws Exception {
        lab.close();
    }

    @Test
    void shouldGoToThePollingDeviceWhenPollQueuesAreAsked() throws Exception {
        NvmeController controller = host.connect(target.options(",nr_poll_queues=1"));

        assertTrue(controller.transportDescription().startsWith("tcp_offload via vortex-V1 from 127.0.0.3"),
                controller.transportDescription());
        assertEquals(List.of("127.0.0.3"), target.sources().stream().distinct().toList());
    }

    @Test
    void shouldGoToTheDeviceHonouringTosWhenATosIsAsked() throws Exception {
        NvmeController controller = host.connect(target.options(",tos=184"));

        assertEquals("tcp_offload via acme-A1 from 127.0.0.2: acme-A1 won: honours every requested option"
                + " (vortex-V1 does not honour tos); vortex-V1 lost: does not honour tos (acme-A1 honours every"
                + " requested option)", controller.transportDescription());
        assertEquals(List.of("127.0.0.2"), target.sources().stream().distinct().toList());
    }

    @Test
    void shouldRefuseNamingTheOptionsAndEachDeviceWhenNoDeviceHonoursBoth() throws Exception {
        InvalidOptionException refused = assertThrows(InvalidOptionException.class,
                () -> host.connect(target.options(",nr_poll_queues=1,tos=184")));

        assertEquals("nr_poll_queues,tos", refused.option());
        assertTrue(refused.getMessage().contains("acme-A1 lost: does not honour nr_poll_queues"),
                refused.getMessage());
        assertTrue(refused.getMessage().contains("vortex-V1 lost: does not honour tos"), refused.getMessage());
        assertEquals(0, target.server().connectionCount());
    }

    @Test
    void shouldRefuseTlsNamingEachDeviceThatDoesNotHonourIt() throws Exception {
        String key = TlsPsk.generate(TlsPskHash.SHA_256, new SecureRandom()).format();

        InvalidOptionException refused = assertThrows(InvalidOptionException.class,
                () -> host.connect(target.options(",tls_key=" + key)));

        assertEquals("tls,tls_key", refused.option());
        assertTrue(refused.getMessage().contains("acme-A1 lost: does not honour tls,tls_key"), refused.getMessage());
        assertTrue(refused.getMessage().contains("vortex-V1 lost: does not honour tls,tls_key"), refused.getMessage());
        assertFalse(refused.getMessage().contains(key.substring(16, 40)), "no key in: " + refused.getMessage());
        assertEquals(0, target.server().connectionCount());
    }

    @Test
    void shouldRefuseTlsWithAKeyringNamingEachDevice() throws Exception {
        InvalidOptionException refused = assertThrows(InvalidOptionException.class,
                () -> host.connect(target.options(",tls,keyring=" + state.resolve("host.keys"))));

        assertEquals("keyring,tls", refused.option());
        assertTrue(refused.getMessage().contains("acme-A1 lost: does not honour keyring,tls"), refused.getMessage());
        assertTrue(refused.getMessage().contains("vortex-V1 lost: does not honour keyring,tls"), refused.getMessage());
    }
}
