package dev.nvmeof.driver.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.InvalidOptionException;
import dev.nvmeof.nic.emulated.NicCapabilities;
import dev.nvmeof.nic.emulated.NicFunction;
import dev.nvmeof.spi.offload.ConnectRequest;
import dev.nvmeof.spi.offload.OffloadClaim;
import dev.nvmeof.spi.offload.OffloadLimits;

/** Claims and option handling over NIC functions with addresses; nothing is sent on the network. */
class NicOffloadDriverTest {
    static final VendorProfile ACME = VendorProfile.of("acme", 0x1AC3, 0x0100, "tos");
    static final VendorProfile VORTEX = VendorProfile.of("vortex", 0x1F7A, 0x0200, "nr_poll_queues");
    static final NicCapabilities ACME_NIC = new NicCapabilities(0x1AC3, 0x0100, "A1", 25_000, 8, 128 * 1024, 32,
            false);

    /** acme on p1p1 127.0.0.2/16 and p1p2 127.0.1.2/24. */
    private final NicFunction nic = NicFunction.start(ACME_NIC, 2);
    private final NicOffloadDriver acme = new NicOffloadDriver(ACME, nic);

    NicOffloadDriverTest() {
        nic.netDevice().addAddress("p1p1", "127.0.0.2/16");
        nic.netDevice().addAddress("p1p2", "127.0.1.2/24");
    }

    @AfterEach
    void stop() {
        nic.close();
    }

    static ConnectRequest request(String target, String extra) throws Exception {
        ConnectOptions options = ConnectOptions.parse("transport=tcp_offload,traddr=" + target
                + ",trsvcid=4420,nqn=testnqn" + extra);
        InetAddress from = options.hostTraddr() == null ? null : InetAddress.getByName(options.hostTraddr());
        return new ConnectRequest(options, new InetSocketAddress(InetAddress.getByName(target), 4420), from,
                options.hostIface(), options.given());
    }

    private OffloadClaim claim(String target, String extra) throws Exception {
        return acme.claimDev(request(target, extra)).orElseThrow(() -> new AssertionError("no claim"));
    }

    @Test
    void shouldStateTheFactsOfTheMostSpecificRoute() throws Exception {
        OffloadClaim claim = claim("127.0.1.1", "");

        assertEquals("acme-A1", claim.deviceName());
        assertEquals(InetAddress.getByName("127.0.1.2"), claim.localAddress());
        assertEquals(24, claim.routePrefixLength());
        assertEquals(25_000_000_000L, claim.linkSpeedBitsPerSecond());
        assertEquals(8, claim.freeHardwareVectors());
        assertEquals(0, claim.activeQueues());
    }

    @Test
    void shouldUseTheWiderRouteForTargetsOnlyItCovers() throws Exception {
        OffloadClaim claim = claim("127.0.5.1", "");

        assertEquals(InetAddress.getByName("127.0.0.2"), claim.localAddress());
        assertEquals(16, claim.routePrefixLength());
    }

    @Test
    void shouldNotClaimWhenNoPortRoutesToTheTarget() throws Exception {
        assertEquals(Optional.empty(), acme.claimDev(request("127.9.0.1", "")));
    }

    @Test
    void shouldRouteThroughTheNamedInterfaceOnly() throws Exception {
        assertEquals(16, claim("127.0.1.1", ",host_iface=p1p1").routePrefixLength());
        assertEquals(Optional.empty(), acme.claimDev(request("127.0.5.1", ",host_iface=p1p2")));
        assertEquals(Optional.empty(), acme.claimDev(request("127.0.1.1", ",host_iface=eth0")));
        assertTrue(acme.declineReason(request("127.0.1.1", ",host_iface=eth0")).startsWith("no port named eth0"
                + " (ports: p1p1 "), acme.declineReason(request("127.0.1.1", ",host_iface=eth0")));
        assertTrue(acme.declineReason(request("127.0.5.1", ",host_iface=p1p2")).startsWith("cannot reach 127.0.5.1:"
                + " no subnet of p1p2 covers it"));
    }

    @Test
    void shouldRouteFromTheHostAddressOnlyWhenItsPortReachesTheTargetFromIt() throws Exception {
        assertEquals(InetAddress.getByName("127.0.1.2"), claim("127.0.1.1", ",host_traddr=127.0.1.2").localAddress());
        assertEquals(Optional.empty(), acme.claimDev(request("127.0.1.1", ",host_traddr=127.0.7.7")));
        assertTrue(acme.declineReason(request("127.0.1.1", ",host_traddr=127.0.7.7"))
                .startsWith("no port has the address 127.0.7.7"));
        assertEquals(Optional.empty(), acme.claimDev(request("127.0.5.1", ",host_traddr=127.0.1.2")));
        assertEquals(Optional.empty(), acme.claimDev(request("127.0.1.1", ",host_iface=p1p1,host_traddr=127.0.1.2")));
    }

    @Test
    void shouldStopRoutingThroughAPortWhoseLinkIsDown() throws Exception {
        nic.faults().linkDown("p1p2");

        assertEquals(16, claim("127.0.1.1", "").routePrefixLength());
        assertEquals(Optional.empty(), acme.claimDev(request("127.0.1.1", ",host_iface=p1p2")));
        assertEquals("link down on p1p2", acme.declineReason(request("127.0.1.1", ",host_iface=p1p2")));
    }

    @Test
    void shouldHonourTheRequestedOptionsItsProfileAndDeviceCanDo() throws Exception {
        OffloadClaim claim = claim("127.0.1.1", ",tos=8,nr_poll_queues=1,hdr_digest,nr_io_queues=4");

        assertEquals(Set.of("transport", "traddr", "trsvcid", "nqn", "tos", "hdr_digest", "nr_io_queues"),
                claim.honouredOptions());
    }

    @Test
    void shouldNotHonourPollingOnANicThatCannotPoll() throws Exception {
        NicFunction notPolling = NicFunction.start(new NicCapabilities(0x1F7A, 0x0200, "V9", 10_000, 4, 1 << 20, 8,
                false), 1);
        try {
            notPolling.netDevice().addAddress("p1p1", "127.0.0.3/24");
            NicOffloadDriver vortex = new NicOffloadDriver(VORTEX, notPolling);

            OffloadClaim claim = vortex.claimDev(request("127.0.0.1", ",nr_poll_queues=1,tos=8")).orElseThrow();

            assertFalse(claim.honouredOptions().contains("nr_poll_queues"));
            assertFalse(claim.honouredOptions().contains("tos"));
            assertFalse(vortex.limits().polling());
        } finally {
            notPolling.close();
        }
    }

    @Test
    void shouldAllowOnlyWhatItHonoursInItsOptionPolicy() throws Exception {
        acme.optionPolicy().check(request("127.0.1.1", ",tos=8,host_iface=p1p2,data_digest").options());

        InvalidOptionException refused = assertThrows(InvalidOptionException.class,
                () -> acme.optionPolicy().check(request("127.0.1.1", ",nr_poll_queues=1").options()));
        assertEquals("nr_poll_queues", refused.option());
        assertTrue(refused.getMessage().contains("acme-A1"), refused.getMessage());
    }

    @Test
    void shouldTakeItsLimitsFromTheNicCapabilities() {
        assertEquals(new OffloadLimits(128 * 1024, 32, 8, false), acme.limits());
    }

    @Test
    void shouldRefuseANicOfAnotherVendor() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> new NicOffloadDriver(VORTEX, nic));
        assertEquals("NIC A1 (1ac3:0100) is not a vortex device (1f7a:0200)", refused.getMessage());
    }
}
