package dev.nvmeof.offload.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.spi.offload.ClaimVerdict;
import dev.nvmeof.spi.offload.ClaimVerdict.Verdict;
import dev.nvmeof.spi.offload.OffloadDeviceInfo;
import dev.nvmeof.spi.transport.TransportAssociation;

/** {@code ofld claims} and {@code ofld drivers}: the ranking run dry, and the devices with their queues. */
class InspectorTest {
    private final OffloadTransport transport = new OffloadTransport();
    private final Inspector inspector = new Inspector(transport);

    @Test
    void shouldRankEveryDeviceWithItsReasonWithoutSettingAnythingUp() throws Exception {
        FakeDriver p1 = new FakeDriver("p1p1").prefix(16);
        FakeDriver p2 = new FakeDriver("p2p1");
        FakeDriver p3 = new FakeDriver("p3p1");
        p3.claims = false;
        transport.addDriver(p1, 0, 1);
        transport.addDriver(p2, 0, 2);
        transport.addDriver(p3, 0, 3);

        List<ClaimVerdict> verdicts = inspector.claims(OffloadTransportTest.options());

        assertEquals(List.of("p2p1", "p1p1", "p3p1"), verdicts.stream().map(ClaimVerdict::device).toList());
        assertEquals(List.of(Verdict.WINS, Verdict.LOSES, Verdict.DECLINES),
                verdicts.stream().map(ClaimVerdict::verdict).toList());
        assertEquals("longest route prefix /24 (p1p1: /16)", verdicts.get(0).reason());
        assertEquals(24, verdicts.get(0).claim().orElseThrow().routePrefixLength());
        assertTrue(verdicts.get(2).claim().isEmpty());
        assertTrue(verdicts.get(2).reason().contains("cannot reach 127.0.0.1"), verdicts.get(2).reason());
        assertEquals(0, p1.controllersClosed + p1.created.size() + p2.created.size(), "nothing set up");
    }

    @Test
    void shouldHaveNoWinnerWhenNoClaimHonoursTheOptions() throws Exception {
        FakeDriver p1 = new FakeDriver("p1p1");
        p1.unsupported.add("data_digest");
        transport.addDriver(p1, 0, 1);

        List<ClaimVerdict> verdicts = inspector.claims(ConnectOptions.parse(
                "transport=tcp_offload,traddr=127.0.0.1,trsvcid=4420,nqn=testnqn,data_digest"));

        assertEquals(Verdict.LOSES, verdicts.get(0).verdict());
        assertEquals("does not honour data_digest", verdicts.get(0).reason());
    }

    @Test
    void shouldListDevicesWithTheQueuesTheyCarry() throws Exception {
        FakeDriver p1 = new FakeDriver("p1p1");
        FakeDriver p2 = new FakeDriver("p2p1").prefix(16);
        transport.addDriver(p1, 5, 1);
        transport.addDriver(p2, 0, 2);
        TransportAssociation association = transport.associate(OffloadTransportTest.options());
        association.createQueue(OffloadTransportTest.queue(0), new OffloadTransportTest.RecordingCallbacks());
        association.createQueue(OffloadTransportTest.queue(1), new OffloadTransportTest.RecordingCallbacks());

        List<OffloadDeviceInfo> devices = inspector.devices();

        assertEquals(List.of("p1p1", "p2p1"), devices.stream().map(OffloadDeviceInfo::name).toList());
        assertEquals(5, devices.get(0).serviceRanking());
        assertEquals(List.of(0, 1), devices.get(0).queues().stream().map(OffloadDeviceInfo.OffloadQueueInfo::qid)
                .toList());
        assertEquals("127.0.0.1:4420", devices.get(0).queues().get(0).target());
        assertEquals("testnqn", devices.get(0).queues().get(0).subsystemNqn());
        assertTrue(devices.get(1).queues().isEmpty());

        association.close();
        assertTrue(inspector.devices().get(0).queues().isEmpty(), "a closed association carries nothing");
    }
}
