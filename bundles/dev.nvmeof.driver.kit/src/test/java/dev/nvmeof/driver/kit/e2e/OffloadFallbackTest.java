package dev.nvmeof.driver.kit.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.nvmeof.api.ControllerState;
import dev.nvmeof.api.InvalidOptionException;
import dev.nvmeof.api.NvmeController;
import dev.nvmeof.api.NvmeHost;
import dev.nvmeof.driver.kit.NicOffloadDriver;
import dev.nvmeof.transport.tcp.TcpTransportRuntime;

/**
 * {@code offload_fallback=tcp}: with no device claiming, a {@code tcp_offload} controller continues over the software
 * {@code tcp} transport (and says so); a reset moves it back once a device claims; the last driver leaving under load
 * sends it to {@code tcp} at once, with no caller error and nothing lost. Without the option, a driver that comes
 * back before {@code ctrl_loss_tmo} brings the controller back LIVE.
 */
class OffloadFallbackTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path state;
    private final OffloadLab lab = new OffloadLab();
    private final HostWatch watch = new HostWatch();
    private final TcpTransportRuntime tcp = new TcpTransportRuntime(1);
    private OffloadLab.Target target;
    private NvmeHost host;

    @BeforeEach
    void start() throws Exception {
        target = lab.target("127.0.0.1", 16 << 20);
        host = lab.host(state, Duration.ofSeconds(30), watch, tcp);
    }

    @AfterEach
    void stop() throws Exception {
        try {
            lab.close();
        } finally {
            tcp.close();
        }
    }

    @Test
    void shouldContinueOverTcpWhenNoDeviceClaimsAndMoveBackToOffloadOnReset() throws Exception {
        NvmeController controller = host.connect(target.options(",nr_io_queues=1,offload_fallback=tcp"));
        String fallback = controller.transportDescription();
        assertTrue(fallback.startsWith("tcp (fallback from tcp_offload: no offload device claims the connection to "
                + "127.0.0.1:"), fallback);
        DataRun run = new DataRun(controller.namespaces().get(0).device(), 5);
        run.writeAll(WAIT);

        NicOffloadDriver acme = lab.acme("127.0.0.2/24");
        assertTrue(controller.transportDescription().startsWith("tcp (fallback"),
                "a device arriving does not move a LIVE controller by itself");
        controller.reset();
        List<String> transitions = watch.awaitRecoveredTo("CONNECTING->LIVE", WAIT);
        assertEquals(List.of("NEW->CONNECTING", "CONNECTING->LIVE", "LIVE->RESETTING", "RESETTING->CONNECTING",
                "CONNECTING->LIVE"), transitions);
        assertTrue(watch.recoveries().get(0).contains("reset requested"), watch.recoveries().toString());
        assertTrue(controller.transportDescription().startsWith("tcp_offload via acme-A1"),
                controller.transportDescription());
        run.assertIntact(WAIT);
        assertEquals(2, acme.activeQueues());
    }

    @Test
    void shouldFallBackToTcpAtOnceWhenTheLastDriverLeavesUnderLoad() throws Exception {
        NicOffloadDriver acme = lab.acme("127.0.0.2/24");
        NvmeController controller = host.connect(target.options(",nr_io_queues=1,offload_fallback=tcp"));
        assertTrue(controller.transportDescription().startsWith("tcp_offload via acme-A1"),
                controller.transportDescription());
        DataRun run = new DataRun(controller.namespaces().get(0).device(), 6);
        DataRun.succeed(run.write(0, DataRun.HALF), WAIT);
        acme.nic().faults().stall(OffloadLab.queuePair(acme, 1), true);
        List<CompletableFuture<Void>> inFlight = run.write(DataRun.HALF, DataRun.CHUNKS);

        lab.transport.removeDriver(acme);

        watch.awaitRecoveredTo("CONNECTING->LIVE", WAIT);
        DataRun.succeed(inFlight, WAIT);
        assertTrue(controller.transportDescription().startsWith("tcp (fallback from tcp_offload: no offload device "
                + "claims the connection to 127.0.0.1:"), controller.transportDescription());
        assertTrue(controller.transportDescription().contains("no offload device is registered"),
                controller.transportDescription());
        run.assertIntact(WAIT);
    }

    @Test
    void shouldComeBackLiveWithoutFallbackWhenADriverReturnsBeforeCtrlLossTmo() throws Exception {
        NicOffloadDriver acme = lab.acme("127.0.0.2/24");
        NvmeController controller = host.connect(target.options(",nr_io_queues=1,reconnect_delay=1"));
        DataRun run = new DataRun(controller.namespaces().get(0).device(), 7);
        run.writeAll(WAIT);

        lab.transport.removeDriver(acme);
        assertTrue(lab.attempts.awaitRefused(WAIT).contains("no offload device is registered"));
        assertEquals(ControllerState.CONNECTING, controller.state(), "no fallback: it keeps trying offload");
        List<CompletableFuture<Void>> held = run.write(0, DataRun.HALF); // held while no path exists
        NicOffloadDriver vortex = lab.vortex("127.0.0.3/24");

        DataRun.succeed(held, WAIT);
        watch.awaitRecoveredTo("CONNECTING->LIVE", WAIT);
        assertTrue(controller.transportDescription().startsWith("tcp_offload via vortex-V1"),
                controller.transportDescription());
        run.assertIntact(WAIT);
        assertEquals(2, vortex.activeQueues());
    }

    @Test
    void shouldRefuseAFallbackOtherThanTcpAndTheOptionOnTcpItself() {
        InvalidOptionException other = assertThrows(InvalidOptionException.class,
                () -> target.options(",offload_fallback=rdma"));
        assertTrue(other.getMessage().contains("offload_fallback"), other.getMessage());
        InvalidOptionException onTcp = assertThrows(InvalidOptionException.class, () -> host.connect(
                target.options(",offload_fallback=tcp").toBuilder().transport("tcp").build()));
        assertTrue(onTcp.getMessage().contains("offload_fallback"), onTcp.getMessage());
    }

    @Test
    void shouldRefuseAResetOfAControllerThatIsNotLive() throws Exception {
        lab.acme("127.0.0.2/24");
        NvmeController controller = host.connect(target.options(",nr_io_queues=1"));
        controller.disconnect();
        assertThrows(IllegalStateException.class, controller::reset);
    }
}
