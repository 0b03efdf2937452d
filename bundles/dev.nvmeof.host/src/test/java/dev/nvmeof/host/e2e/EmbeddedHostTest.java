package dev.nvmeof.host.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Random;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.nvmeof.api.BlockDevice;
import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.ControllerState;
import dev.nvmeof.api.NvmeController;
import dev.nvmeof.host.EmbeddedNvmeHost;
import dev.nvmeof.target.NamespaceConfig;
import dev.nvmeof.target.NvmeTarget;
import dev.nvmeof.target.SubsystemConfig;
import dev.nvmeof.target.TargetOptions;
import dev.nvmeof.transport.tcp.TcpTransportRuntime;

/** The exported plain-Java entry points, as an embedding application uses them: no internal class in sight. */
class EmbeddedHostTest {

    @Test
    void shouldWriteAndReadThroughThePublicEntryPointsWhenEmbedded(@TempDir Path state) throws Exception {
        try (NvmeTarget target = NvmeTarget.start(TargetOptions.defaults().withEventLoops(1));
                LogWatch targetLog = LogWatch.on("dev.nvmeof.target", Level.INFO)) {
            target.addSubsystem(SubsystemConfig.of("embedded", NamespaceConfig.ram(1, 4 << 20, 512)));
            InetSocketAddress address = target.listen(new InetSocketAddress("127.0.0.1", 0));
            NvmeController controller;
            try (TcpTransportRuntime tcp = new TcpTransportRuntime(1);
                    EmbeddedNvmeHost host = EmbeddedNvmeHost.start(state, tcp)) {
                controller = host.connect(ConnectOptions.parse("transport=tcp,traddr=127.0.0.1,trsvcid="
                        + address.getPort() + ",nqn=embedded"));
                BlockDevice device = controller.namespaces().get(0).device();
                byte[] data = new byte[64 * 1024];
                new Random(7).nextBytes(data);
                device.write(8, ByteBuffer.wrap(data), false).get(10, TimeUnit.SECONDS);
                ByteBuffer back = ByteBuffer.allocate(data.length);
                device.read(8, back).get(10, TimeUnit.SECONDS);
                assertArrayEquals(data, back.array());
                assertEquals(host.identity(), EmbeddedNvmeHost.start(state).identity(), "identity persisted");
            }
            assertEquals(ControllerState.DEAD, controller.state(), "close() disconnected the controller");
            targetLog.await("torn down", 1, Duration.ofSeconds(10)); // the target sees the admin queue close
            assertEquals(0, target.controllerCount());
        }
    }
}
