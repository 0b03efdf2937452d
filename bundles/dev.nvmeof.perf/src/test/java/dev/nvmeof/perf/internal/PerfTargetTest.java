package dev.nvmeof.perf.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.nvmeof.api.BlockDevice;
import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.HostIdentity;
import dev.nvmeof.api.NvmeController;
import dev.nvmeof.driver.kit.NicOffloadDriver;
import dev.nvmeof.driver.kit.VendorProfile;
import dev.nvmeof.host.EmbeddedNvmeHost;
import dev.nvmeof.nic.emulated.NicCapabilities;
import dev.nvmeof.nic.emulated.NicFunction;
import dev.nvmeof.offload.OffloadStack;
import dev.nvmeof.perf.Perf;
import dev.nvmeof.perf.PerfOptions;
import dev.nvmeof.perf.PerfResult;
import dev.nvmeof.perf.Rw;
import dev.nvmeof.target.NamespaceConfig;
import dev.nvmeof.target.NvmeTarget;
import dev.nvmeof.target.SubsystemConfig;
import dev.nvmeof.target.TargetOptions;
import dev.nvmeof.transport.tcp.TcpTransportRuntime;

/** The engine against our target over a real loopback socket, through {@code tcp} and {@code tcp_offload}. */
class PerfTargetTest {
    private NvmeTarget target;
    private int port;
    private final TcpTransportRuntime tcp = new TcpTransportRuntime(1);
    private final OffloadStack offload = new OffloadStack();
    private NicFunction nic;
    private EmbeddedNvmeHost host;

    @BeforeEach
    void start() throws Exception {
        target = NvmeTarget.start(TargetOptions.defaults());
        target.addSubsystem(SubsystemConfig.of("testnqn", NamespaceConfig.ram(1, 8 << 20, 512)));
        port = target.listen(new InetSocketAddress("127.0.0.1", 0)).getPort();
        nic = NicFunction.start(new NicCapabilities(0x1AC3, 0x0100, "A0001", 25_000, 8, 128 << 10, 256, false), 1, 1);
        nic.netDevice().addAddress("p1p1", "127.0.0.2/8");
        offload.addDriver(new NicOffloadDriver(VendorProfile.of("acme", 0x1AC3, 0x0100), nic));
        host = EmbeddedNvmeHost.start(HostIdentity.generate(), Duration.ofSeconds(30), tcp, offload.transport());
    }

    @AfterEach
    void stop() {
        host.close();
        offload.close();
        tcp.close();
        nic.close();
        target.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "tcp_offload"})
    void shouldMeasureAMixedVerifiedRunAgainstOurTarget(String transport) throws Exception {
        NvmeController controller = host.connect(ConnectOptions.parse("transport=" + transport
                + ",traddr=127.0.0.1,trsvcid=" + port + ",nqn=testnqn"));
        BlockDevice device = controller.namespaces().get(0).device();

        PerfResult r = Perf.run(device, PerfOptions.defaults().withRw(Rw.RANDRW).withReadPercent(70)
                .withIoDepth(16).withRuntime(Duration.ofMillis(500)).withSize(1 << 20).withVerify(true), null);

        assertTrue(r.read().ios() > 0 && r.write().ios() > 0, r.toString());
        assertEquals(0, r.errors(), r.firstError());
        assertTrue(r.verified() > 0, r.toString());
        assertEquals(0, r.verifyErrors(), r.firstError());
        assertNull(r.firstError());
        assertTrue(r.cpu().targetNanos() > 0, "the target's threads served it");
        if (transport.equals("tcp_offload")) {
            assertTrue(r.cpu().nicEngineNanos() > 0, "the NIC's engine moved it");
        }
    }
}
