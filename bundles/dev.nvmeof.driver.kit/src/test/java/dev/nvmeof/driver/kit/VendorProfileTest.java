package dev.nvmeof.driver.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.nvmeof.nic.emulated.NicCapabilities;

class VendorProfileTest {

    @Test
    void shouldProbeByPciIdsAndSayItsFilter() {
        VendorProfile acme = VendorProfile.of("acme", 0x1AC3, 0x0100, "tos");

        assertEquals("(&(nic.vendor.id=6851)(nic.device.id=256))", acme.probeFilter());
        assertTrue(acme.probes(new NicCapabilities(0x1AC3, 0x0100, "A1", 1000, 1, 4096, 1, false)));
        assertFalse(acme.probes(new NicCapabilities(0x1AC3, 0x0101, "A2", 1000, 1, 4096, 1, false)));
    }

    @Test
    void shouldRefuseAnOptionThatIsNotOptional() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> VendorProfile.of("acme", 1, 1, "hdr_digest"));
        assertTrue(refused.getMessage().startsWith("'hdr_digest' is not an optional offload option"),
                refused.getMessage());
    }

    @Test
    void shouldHonourTheBaseOptionsEverywhereAndPollingOnlyOnAPollingNic() {
        VendorProfile vortex = VendorProfile.of("vortex", 1, 2, "nr_poll_queues");
        NicCapabilities polling = new NicCapabilities(1, 2, "V1", 1000, 1, 4096, 1, true);
        NicCapabilities notPolling = new NicCapabilities(1, 2, "V2", 1000, 1, 4096, 1, false);

        assertTrue(vortex.honouredOn(polling).containsAll(VendorProfile.BASE_OPTIONS));
        assertTrue(vortex.honouredOn(polling).contains("nr_poll_queues"));
        assertFalse(vortex.honouredOn(notPolling).contains("nr_poll_queues"));
        assertFalse(vortex.honouredOn(polling).contains("tos"));
    }
}
