package dev.nvmeof.offload.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nvmeof.spi.offload.OffloadLimits;
import dev.nvmeof.spi.transport.TransportLimits;
import org.junit.jupiter.api.Test;

class DeviceLimitsTest {

    @Test
    void shouldExposeTheDeviceMaximumsToTheCoreForQueuesAndIoSplitting() {
        TransportLimits limits = DeviceLimits.transportLimits(new OffloadLimits(128 * 1024, 16, 8, false));
        assertEquals(new TransportLimits(8, 128 * 1024, 16, false), limits);
        TransportLimits polling = DeviceLimits.transportLimits(new OffloadLimits(1024 * 1024, 64, 4, true));
        assertEquals(new TransportLimits(4, 1024 * 1024, 64, true), polling);
    }
}
