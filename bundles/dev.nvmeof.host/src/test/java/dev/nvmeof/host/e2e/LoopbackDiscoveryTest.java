package dev.nvmeof.host.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.ControllerState;
import dev.nvmeof.api.NvmeController;
import dev.nvmeof.protocol.DiscoveryLogEntry;
import dev.nvmeof.protocol.DiscoveryLogEntryFlyweight;
import dev.nvmeof.target.NamespaceConfig;
import dev.nvmeof.target.SubsystemConfig;

/** {@code nvme discover} and {@code nvme connect-all} against the discovery subsystem of our target. */
class LoopbackDiscoveryTest {
    private static final String SECOND = "nqn.2024-01.dev.nvmeof:second";
    private Loopback loopback;
    private LogWatch targetLog;

    @BeforeEach
    void start() throws Exception {
        loopback = Loopback.ram(4 << 20);
        loopback.target.addSubsystem(SubsystemConfig.of(SECOND, NamespaceConfig.ram(1, 2 << 20, 512)));
        targetLog = LogWatch.on("dev.nvmeof.target", Level.INFO);
    }

    @AfterEach
    void stop() {
        targetLog.close();
        loopback.close();
    }

    private ConnectOptions discovery() throws Exception {
        return ConnectOptions.parse("transport=tcp,traddr=127.0.0.1,trsvcid=" + loopback.port() + ",nqn="
                + ConnectOptions.DISCOVERY_NQN);
    }

    /** Waits until the target tore down {@code n} controllers in all, then for its loops to finish that work. */
    private void awaitTornDown(int n) throws Exception {
        targetLog.await("torn down", n, Duration.ofSeconds(10));
        loopback.target.checkDeadlines().get(10, TimeUnit.SECONDS);
    }

    @Test
    void shouldListBothSubsystemsAndDisconnectWhenDiscovering() throws Exception {
        List<DiscoveryLogEntry> entries = loopback.host.discover(discovery());

        List<DiscoveryLogEntry> nvm = entries.stream()
                .filter(e -> e.subtype() == DiscoveryLogEntryFlyweight.SUBTYPE_NVM).toList();
        assertEquals(Set.of(Loopback.NQN, SECOND), nvm.stream().map(DiscoveryLogEntry::subnqn)
                .collect(Collectors.toSet()), entries.toString());
        for (DiscoveryLogEntry entry : nvm) {
            assertEquals(DiscoveryLogEntryFlyweight.TRTYPE_TCP, entry.trtype());
            assertEquals(DiscoveryLogEntryFlyweight.ADRFAM_IPV4, entry.adrfam());
            assertEquals("127.0.0.1", entry.traddr().trim());
            assertEquals(Integer.toString(loopback.port()), entry.trsvcid().trim());
        }
        assertTrue(loopback.host.controllers().isEmpty(), "the discovery controller is gone");
        awaitTornDown(1);
        assertEquals(0, loopback.target.controllerCount());
    }

    @Test
    void shouldDefaultToTheDiscoveryPortWhenNoTrsvcidIsGiven() throws Exception {
        ConnectOptions options = ConnectOptions.parse("transport=tcp,traddr=127.0.0.1,nqn="
                + ConnectOptions.DISCOVERY_NQN);

        assertTrue(options.discovery());
        assertEquals(ConnectOptions.DEFAULT_DISCOVERY_PORT, options.trsvcid());
        assertEquals(0, options.keepAliveTmo());
    }

    @Test
    void shouldConnectEverySubsystemOnceWhenConnectingAll() throws Exception {
        List<NvmeController> connected = loopback.host.connectAll(discovery());

        assertEquals(Set.of(Loopback.NQN, SECOND), connected.stream().map(NvmeController::subsystemNqn)
                .collect(Collectors.toSet()));
        for (NvmeController controller : connected) {
            assertEquals(ControllerState.LIVE, controller.state());
            assertEquals(1, controller.namespaces().size());
            assertEquals(loopback.port(), controller.options().trsvcid());
            assertTrue(!controller.options().discovery(), controller.options().toString());
        }
        assertEquals(2, loopback.host.controllers().size(), "the discovery controller is gone");
        awaitTornDown(1);
        assertEquals(2, loopback.target.controllerCount());

        assertEquals(List.of(), loopback.host.connectAll(discovery()), "nothing new to connect");
        assertEquals(2, loopback.host.controllers().size());
        awaitTornDown(2);
        assertEquals(2, loopback.target.controllerCount());

        for (NvmeController controller : connected) {
            controller.disconnect();
        }
        awaitTornDown(4);
        assertEquals(0, loopback.target.controllerCount());
    }
}
