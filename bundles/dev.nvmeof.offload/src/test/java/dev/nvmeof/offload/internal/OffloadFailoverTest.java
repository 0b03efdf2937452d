package dev.nvmeof.offload.internal;

import static dev.nvmeof.offload.internal.OffloadTransportTest.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.NvmeTransportException;
import dev.nvmeof.spi.transport.TransportAssociation;
import org.junit.jupiter.api.Test;

/** The winner's setupCtrl failing, and connects refused: what is tried next and what the user is told. */
class OffloadFailoverTest {

    private final OffloadTransport transport = new OffloadTransport();

    @Test
    void shouldSetUpOnTheNextClaimInRankOrderWhenTheWinnersSetupFails() throws Exception {
        FakeDriver best = new FakeDriver("p1p1").prefix(32);
        best.setupFailure = new IllegalStateException("firmware hung");
        FakeDriver second = new FakeDriver("p2p1").prefix(24);
        FakeDriver third = new FakeDriver("p3p1").prefix(16);
        transport.addDriver(best, 0, 1);
        transport.addDriver(second, 0, 2);
        transport.addDriver(third, 0, 3);
        try (TransportAssociation association = transport.associate(options())) {
            OffloadAssociation offload = (OffloadAssociation) association;
            assertEquals("p2p1 won: longest route prefix /24 (p3p1: /16); p3p1 lost: longest route prefix /16"
                    + " (p2p1: /24); p1p1 failed: setupCtrl failed: firmware hung", offload.report().toString());
            assertEquals("tcp_offload via p2p1 from 127.0.0.2: " + offload.report(), association.describe());
        }
        assertEquals(1, second.controllersClosed);
        assertEquals(0, third.controllersClosed);
    }

    @Test
    void shouldNeverFallBackToAClaimThatDoesNotHonourTheRequestedOptions() throws Exception {
        FakeDriver best = new FakeDriver("p1p1");
        best.setupFailure = NvmeTransportException.connectionLost("no free hardware vectors", null);
        FakeDriver noTos = new FakeDriver("p2p1").prefix(32);
        noTos.unsupported.add("tos");
        transport.addDriver(best, 0, 1);
        transport.addDriver(noTos, 0, 2);
        ConnectOptions options = ConnectOptions.parse(
                "transport=tcp_offload,traddr=127.0.0.1,trsvcid=4420,nqn=testnqn,tos=8");
        int before = noTos.calls.get();
        NvmeTransportException refused = assertThrows(NvmeTransportException.class,
                () -> transport.associate(options));
        assertEquals("no offload device could set up the controller for 127.0.0.1:4420 (2 drivers asked):"
                + " p2p1 lost: does not honour tos; p1p1 failed: setupCtrl failed: connection lost: no free hardware"
                + " vectors", refused.getMessage());
        // Asked for its claim, never set up.
        assertEquals(before + 3, noTos.calls.get());
    }

    @Test
    void shouldNameEveryDeviceAndWhyWhenEverySetupFails() throws Exception {
        FakeDriver p1 = new FakeDriver("p1p1").prefix(32);
        p1.setupFailure = new IllegalStateException("link down");
        FakeDriver p2 = new FakeDriver("p2p1");
        p2.setupFailure = NvmeTransportException.connectionLost("no free hardware vectors", null);
        FakeDriver p3 = new FakeDriver("p3p1");
        p3.claims = false;
        transport.addDriver(p1, 0, 1);
        transport.addDriver(p2, 0, 2);
        transport.addDriver(p3, 0, 3);
        NvmeTransportException refused = assertThrows(NvmeTransportException.class,
                () -> transport.associate(options()));
        assertEquals("no offload device could set up the controller for 127.0.0.1:4420 (3 drivers asked):"
                + " p1p1 failed: setupCtrl failed: link down; p2p1 failed: setupCtrl failed: connection lost: no free"
                + " hardware vectors; p3p1 declined: cannot reach 127.0.0.1 through its net device",
                refused.getMessage());
        assertEquals(0, p1.controllersClosed + p2.controllersClosed);
    }

    @Test
    void shouldNameEveryDeviceWhyItDeclinedAndHowManyWereAskedWhenNoneClaims() throws Exception {
        FakeDriver noRoute = new FakeDriver("p1p1");
        noRoute.claims = false;
        FakeDriver broken = new FakeDriver("p2p1");
        broken.claimFailure = new IllegalStateException("firmware not ready");
        transport.addDriver(noRoute, 0, 1);
        transport.addDriver(broken, 0, 2);
        NvmeTransportException refused = assertThrows(NvmeTransportException.class,
                () -> transport.associate(options()));
        assertEquals("no offload device claims the connection to 127.0.0.1:4420 (2 drivers asked): p1p1 declined:"
                + " cannot reach 127.0.0.1 through its net device; p2p1 declined: claimDev failed: firmware not ready",
                refused.getMessage());
    }

    @Test
    void shouldSayNoOffloadDeviceIsRegisteredWhenThereIsNone() throws Exception {
        NvmeTransportException refused = assertThrows(NvmeTransportException.class,
                () -> transport.associate(options()));
        assertEquals("no offload device claims the connection to 127.0.0.1:4420: no offload device is registered",
                refused.getMessage());
    }
}
