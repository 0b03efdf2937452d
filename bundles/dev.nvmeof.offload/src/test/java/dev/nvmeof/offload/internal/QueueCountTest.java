package dev.nvmeof.offload.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nvmeof.spi.offload.OffloadLimits;
import dev.nvmeof.spi.transport.TransportLimits;
import org.junit.jupiter.api.Test;

class QueueCountTest {

    @Test
    void shouldCapTheQueuesAskedForByTheHardwareVectors() {
        assertEquals(8, QueueCount.ioQueues(8, 8, 64));
        assertEquals(4, QueueCount.ioQueues(8, 4, 64));
    }

    @Test
    void shouldCapTheQueuesAskedForByWhatTheControllerGrants() {
        assertEquals(2, QueueCount.ioQueues(8, 8, 2));
        assertEquals(0, QueueCount.ioQueues(8, 8, 0));
    }

    @Test
    void shouldGiveWhatWasAskedWhenBelowEveryCap() {
        assertEquals(3, QueueCount.ioQueues(3, 8, 64));
    }

    @Test
    void shouldSplitIntoDefaultReadAndPollQueuesAsLinuxDoes() {
        assertEquals(new QueueCount(4, 0, 0), QueueCount.of(4, 0, 0, 8, 64));
        assertEquals(new QueueCount(2, 2, 1), QueueCount.of(2, 2, 1, 8, 64));
        assertEquals(new QueueCount(3, 0, 1), QueueCount.of(3, 0, 1, 8, 64));
    }

    @Test
    void shouldTakePollQueuesOnlyFromWhatIsLeftUnderTheVectors() {
        // 6 + 2 asked, 4 vectors: all four are default queues, none left to poll.
        assertEquals(new QueueCount(4, 0, 0), QueueCount.of(6, 0, 2, 4, 64));
        // 3 + 2 asked, 4 vectors: three default queues and one polled.
        assertEquals(new QueueCount(3, 0, 1), QueueCount.of(3, 0, 2, 4, 64));
    }

    @Test
    void shouldExposeTheDeviceMaximumsToTheCoreForIoSplitting() {
        TransportLimits limits = QueueCount.transportLimits(new OffloadLimits(128 * 1024, 16, 8, false));
        assertEquals(new TransportLimits(8, 128 * 1024, 16, false), limits);
        TransportLimits polling = QueueCount.transportLimits(new OffloadLimits(1024 * 1024, 64, 4, true));
        assertEquals(new TransportLimits(4, 1024 * 1024, 64, true), polling);
    }
}
