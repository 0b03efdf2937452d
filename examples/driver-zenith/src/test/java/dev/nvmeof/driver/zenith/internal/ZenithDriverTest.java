package dev.nvmeof.driver.zenith.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.FrameworkUtil;

import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.InvalidOptionException;
import dev.nvmeof.nic.emulated.NicFunction;
import dev.nvmeof.spi.offload.ConnectRequest;

/** What sets Zenith apart, without a target: its probe, its options, its claims and refusals. */
class ZenithDriverTest {
    private NicFunction nic;
    private ZenithDriver driver;

    @BeforeEach
    void startACard() {
        nic = NicFunction.start(ZenithConformanceTest.ZENITH_NIC, 1, 1);
        nic.netDevice().addAddress("p1p1", "127.0.0.2/24");
        driver = new ZenithDriver(nic);
    }

    @AfterEach
    void stopTheCard() {
        nic.close();
    }

    private static ConnectRequest request(String options) throws Exception {
        ConnectOptions parsed = ConnectOptions.parse("transport=tcp_offload,nqn=nqn.test," + options);
        return new ConnectRequest(parsed, new InetSocketAddress(parsed.traddr(), parsed.trsvcid()), null, null,
                parsed.given());
    }

    @Test
    void shouldProbeZenithsPciIdsOnly() throws Exception {
        var probe = FrameworkUtil.createFilter(ZenithDriverComponent.PROBE);

        assertTrue(probe.matches(Map.of("nic.vendor.id", 0x5A17, "nic.device.id", 0x0300)));
        assertFalse(probe.matches(Map.of("nic.vendor.id", 0x1AC3, "nic.device.id", 0x0100)));
        assertFalse(probe.matches(Map.of("nic.vendor.id", 0x5A17, "nic.device.id", 0x0301)));
    }

    @Test
    void shouldClaimWhatItsPortRoutesToWithTheRoutesFacts() throws Exception {
        var claim = driver.claimDev(request("traddr=127.0.0.1,trsvcid=4420,data_digest")).orElseThrow();

        assertEquals("zenith-Z1", claim.deviceName());
        assertEquals("127.0.0.2", claim.localAddress().getHostAddress());
        assertEquals(24, claim.routePrefixLength());
        assertEquals(40_000_000_000L, claim.linkSpeedBitsPerSecond());
        assertEquals(4, claim.freeHardwareVectors());
        assertTrue(claim.honouredOptions().contains("data_digest"), claim.toString());
    }

    @Test
    void shouldDeclineWhileTheLinkIsDownSayingSo() throws Exception {
        nic.faults().linkDown("p1p1");
        ConnectRequest request = request("traddr=127.0.0.1,trsvcid=4420");

        assertTrue(driver.claimDev(request).isEmpty());
        assertEquals("no port of zenith-Z1 with its link up routes to 127.0.0.1 (link down: p1p1)",
                driver.declineReason(request));
    }

    @Test
    void shouldRefuseHostTraddrWhichZenithDoesNotBindTo() throws Exception {
        ConnectOptions options = ConnectOptions.parse(
                "transport=tcp_offload,nqn=nqn.test,traddr=127.0.0.1,trsvcid=4420,host_traddr=127.0.0.2");

        assertThrows(InvalidOptionException.class, () -> driver.optionPolicy().check(options));
        assertFalse(driver.claimDev(request("traddr=127.0.0.1,trsvcid=4420,host_traddr=127.0.0.2")).orElseThrow()
                .honouredOptions().contains("host_traddr"));
    }
}
