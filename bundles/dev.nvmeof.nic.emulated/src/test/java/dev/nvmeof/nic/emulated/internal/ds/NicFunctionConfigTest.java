package dev.nvmeof.nic.emulated.internal.ds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.nvmeof.nic.emulated.NicCapabilities;
import dev.nvmeof.nic.emulated.internal.ds.NicFunctionConfig.Assignment;

class NicFunctionConfigTest {

    private static Map<String, Object> minimal() {
        Map<String, Object> properties = new HashMap<>();
        properties.put("vendor.id", 0x1077);
        properties.put("device.id", 0x8070);
        properties.put("serial", "EMU0001");
        return properties;
    }

    private static String refusal(Map<String, Object> properties) {
        return assertThrows(IllegalArgumentException.class, () -> NicFunctionConfig.parse(properties)).getMessage();
    }

    @Test
    void shouldTakeTheDefaultsWhenOnlyTheIdsAndSerialAreGiven() {
        NicFunctionConfig config = NicFunctionConfig.parse(minimal());
        assertEquals(new NicCapabilities(0x1077, 0x8070, "EMU0001", 25_000, 8, 128 * 1024, 32, true),
                config.capabilities());
        assertEquals(1, config.ports());
        assertEquals(List.of(), config.addresses());
    }

    @Test
    void shouldParseEveryPropertyFromNumbersOrStringsIncludingHexIds() {
        Map<String, Object> properties = new HashMap<>();
        properties.put("vendor.id", "0x1af4");
        properties.put("device.id", "4660");
        properties.put("serial", " EMU0002 ");
        properties.put("link.speed.mbps", 100_000L);
        properties.put("hardware.vectors", "4");
        properties.put("max.io.size", 65536);
        properties.put("max.segments", 16);
        properties.put("polling", "false");
        properties.put("ports", 2);
        properties.put("addresses", new String[] {"p1p1 127.0.0.2/24", " p1p2   127.0.1.2/16 "});
        NicFunctionConfig config = NicFunctionConfig.parse(properties);
        assertEquals(new NicCapabilities(0x1af4, 4660, "EMU0002", 100_000, 4, 65536, 16, false),
                config.capabilities());
        assertEquals(2, config.ports());
        assertEquals(List.of(new Assignment("p1p1", "127.0.0.2/24"), new Assignment("p1p2", "127.0.1.2/16")),
                config.addresses());
    }

    @Test
    void shouldAcceptOneAddressGivenAsAPlainStringOrAList() {
        Map<String, Object> properties = minimal();
        properties.put("addresses", "p1p1 127.0.0.2/24");
        assertEquals(List.of(new Assignment("p1p1", "127.0.0.2/24")), NicFunctionConfig.parse(properties).addresses());
        properties.put("addresses", List.of("p1p1 ::1/128"));
        assertEquals(List.of(new Assignment("p1p1", "::1/128")), NicFunctionConfig.parse(properties).addresses());
    }

    @Test
    void shouldNameTheMissingPropertyWhenARequiredOneIsAbsent() {
        for (String key : List.of("vendor.id", "device.id", "serial")) {
            Map<String, Object> properties = minimal();
            properties.remove(key);
            assertTrue(refusal(properties).startsWith(key + ": required"), key);
        }
    }

    @Test
    void shouldNameThePropertyWhenAValueIsOutOfRangeOrNotANumber() {
        Map<String, Object> properties = minimal();
        properties.put("vendor.id", 0x10000);
        assertEquals("vendor.id: must be 0..65535, was 65536", refusal(properties));
        properties = minimal();
        properties.put("max.io.size", 512);
        assertEquals("max.io.size: must be 4096..2147483647, was 512", refusal(properties));
        properties = minimal();
        properties.put("hardware.vectors", "eight");
        assertEquals("hardware.vectors: not a number: 'eight'", refusal(properties));
        properties = minimal();
        properties.put("ports", 0);
        assertEquals("ports: must be 1..16, was 0", refusal(properties));
        properties = minimal();
        properties.put("link.speed.mbps", 2.5);
        assertTrue(refusal(properties).startsWith("link.speed.mbps: expected a whole number"));
        properties = minimal();
        properties.put("polling", "yes");
        assertEquals("polling: expected true or false, was 'yes'", refusal(properties));
    }

    @Test
    void shouldNameTheEntryWhenAnAddressIsMalformedOrOnAPortThatDoesNotExist() {
        Map<String, Object> properties = minimal();
        properties.put("addresses", new String[] {"p1p1 127.0.0.2/24", "p1p2 127.0.1.2/24"});
        assertEquals("addresses[1] 'p1p2 127.0.1.2/24': no port p1p2 (ports: p1p1..p1p1)", refusal(properties));
        properties.put("addresses", new String[] {"127.0.0.2/24"});
        assertEquals("addresses[0] '127.0.0.2/24': expected PORT ADDRESS/PREFIX, e.g. 'p1p1 127.0.0.2/24'",
                refusal(properties));
        properties.put("addresses", new String[] {"p1p1 127.0.0.2"});
        assertTrue(refusal(properties).startsWith("addresses[0] 'p1p1 127.0.0.2': '127.0.0.2' has no prefix length"));
        properties.put("addresses", new String[] {"p1p1 localhost/8"});
        assertTrue(refusal(properties).contains("is not a literal IPv4 or IPv6 address"));
    }

    @Test
    void shouldPublishTheIdsSerialAndInformationAsServiceProperties() {
        Map<String, Object> properties = minimal();
        properties.put("ports", 2);
        Dictionary<String, Object> service = NicFunctionComponent.serviceProperties(NicFunctionConfig.parse(properties));
        assertEquals(0x1077, service.get("nic.vendor.id"));
        assertEquals(0x8070, service.get("nic.device.id"));
        assertEquals("EMU0001", service.get("nic.serial"));
        assertEquals(25_000L, service.get("nic.link.speed.mbps"));
        assertEquals(8, service.get("nic.hardware.vectors"));
        assertEquals(true, service.get("nic.polling"));
        assertEquals(List.of("p1p1", "p1p2"), List.of((String[]) service.get("nic.ports")));
    }
}
