package dev.nvmeof.host.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.ControllerState;
import dev.nvmeof.api.HostIdentity;
import dev.nvmeof.api.NvmeController;

/**
 * The production wiring: a host with worker threads on the system clock. Only what needs real threads is checked
 * here (recovery driven by the worker, not by the test); waits are bounded futures, never sleeps.
 */
class ControllerWorkerTest {

    @Test
    void shouldRecoverOnTheWorkerThreadWhenAQueueFails() throws Exception {
        FakeTarget target = new FakeTarget(2048, 512);
        FakeTransport transport = new FakeTransport(target);
        DefaultNvmeHost host = new DefaultNvmeHost(HostIdentity.generate(), HostSettings.defaults(), true);
        host.addTransport(transport);
        NvmeController controller = host.connect(ConnectOptions.builder().transport("fake").traddr("127.0.0.1")
                .nqn("testnqn").nrIoQueues(1).reconnectDelay(1).build());
        try {
            var device = controller.namespaces().get(0).device();
            transport.autoComplete = false;
            var write = device.write(0, ByteBuffer.allocate(512).put(0, (byte) 42), false);
            transport.autoComplete = true;
            transport.queue(1).fail("connection reset");
            write.get(10, TimeUnit.SECONDS); // reissued after the worker reconnected, 1 s later
            assertEquals(42, target.ram().get(0));
            assertEquals(ControllerState.LIVE, controller.state());
            assertTrue(transport.associations() >= 2);
        } finally {
            controller.disconnect();
        }
        assertEquals(ControllerState.DEAD, controller.state());
        assertTrue(host.controllers().isEmpty());
    }
}
