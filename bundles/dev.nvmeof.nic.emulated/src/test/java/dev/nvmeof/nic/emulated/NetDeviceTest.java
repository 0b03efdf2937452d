package dev.nvmeof.nic.emulated;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NetDeviceTest {
    private final NetDevice device = new NetDevice("p1p", 2);

    @Test
    void shouldPickTheLongestPrefixWhenSeveralPortsCoverTheTarget() throws Exception {
        device.addAddress("p1p1", "127.0.0.2/8");
        device.addAddress("p1p2", "127.0.1.2/24");
        Route r = device.route(InetAddress.getByName("127.0.1.1")).orElseThrow();
        assertEquals("p1p2", r.port());
        assertEquals(24, r.prefixLength());
        assertEquals(InetAddress.getByName("127.0.1.2"), r.localAddress());
        assertEquals("p1p1", device.route(InetAddress.getByName("127.0.0.1")).orElseThrow().port());
    }

    @Test
    void shouldFindNoRouteWhenNoSubnetCoversTheTarget() throws Exception {
        device.addAddress("p1p1", "127.0.0.2/24");
        assertTrue(device.route(InetAddress.getByName("127.0.5.1")).isEmpty());
    }

    @Test
    void shouldRejectBadAddressesWithClearErrors() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> device.addAddress("p1p1", "127.0.0.2"))
                .getMessage().contains("no prefix length"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> device.addAddress("p1p1", "127.0.0.2/33"))
                .getMessage().contains("0..32"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> device.addAddress("p1p1", "localhost/8"))
                .getMessage().contains("not a literal"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> device.addAddress("eth9", "127.0.0.2/8"))
                .getMessage().contains("no port 'eth9'"));
    }

    @Test
    void shouldNamePortsAfterTheSlotSoTwoNicsNeverShareAName() {
        NicCapabilities caps = new NicCapabilities(0x1AC3, 0x0100, "SLOT-2", 25_000, 8, 128 << 10, 32, false);
        try (NicFunction nic = NicFunction.start(caps, 2, 2)) {
            assertEquals(java.util.List.of("p2p1", "p2p2"), nic.netDevice().ports().stream().map(Port::name).toList());
        }
        assertThrows(IllegalArgumentException.class, () -> NicFunction.start(caps, 2, 0));
    }
}
