package dev.nvmeof.driver.vortex.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.nvmeof.nic.emulated.NicCapabilities;

class VortexDriverComponentTest {

    @Test
    void shouldProbeWithTheFilterOfItsProfile() {
        assertEquals(VortexDriverComponent.PROFILE.probeFilter(), VortexDriverComponent.PROBE);
        assertEquals("vortex", VortexDriverComponent.PROFILE.vendor());
    }

    @Test
    void shouldHonourWhatTheVendorDoes() {
        NicCapabilities nic = new NicCapabilities(VortexDriverComponent.VENDOR_ID, VortexDriverComponent.DEVICE_ID,
                "S1", 25_000, 8, 128 * 1024, 32, true);
        var honoured = VortexDriverComponent.PROFILE.honouredOn(nic);

        assertTrue(honoured.contains("nr_poll_queues"));
        assertFalse(honoured.contains("tos"));
    }
}
