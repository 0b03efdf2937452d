package dev.nvmeof.driver.acme.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.nvmeof.nic.emulated.NicCapabilities;

class AcmeDriverComponentTest {

    @Test
    void shouldProbeWithTheFilterOfItsProfile() {
        assertEquals(AcmeDriverComponent.PROFILE.probeFilter(), AcmeDriverComponent.PROBE);
        assertEquals("acme", AcmeDriverComponent.PROFILE.vendor());
    }

    @Test
    void shouldHonourWhatTheVendorDoes() {
        NicCapabilities nic = new NicCapabilities(AcmeDriverComponent.VENDOR_ID, AcmeDriverComponent.DEVICE_ID,
                "S1", 25_000, 8, 128 * 1024, 32, true);
        var honoured = AcmeDriverComponent.PROFILE.honouredOn(nic);

        assertTrue(honoured.contains("tos"));
        assertFalse(honoured.contains("nr_poll_queues"));
    }
}
