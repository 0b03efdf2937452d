package dev.nvmeof.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** {@link ConnectOptions#parse(Map)}: configuration properties as ConfigAdmin hands them over. */
class ConnectOptionsMapTest {

    private static Map<String, Object> base() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("transport", "tcp");
        properties.put("traddr", "127.0.0.1");
        properties.put("nqn", "testnqn");
        return properties;
    }

    @Test
    void shouldTakeTypedValuesWhenPropertiesHaveTheirOwnTypes() throws Exception {
        UUID hostid = UUID.randomUUID();
        Map<String, Object> properties = base();
        properties.put("trsvcid", 4421);
        properties.put("nr_io_queues", 4L);
        properties.put("queue_size", (short) 64);
        properties.put("tos", (byte) 8);
        properties.put("ctrl_loss_tmo", BigInteger.valueOf(-1));
        properties.put("hdr_digest", true);
        properties.put("data_digest", Boolean.FALSE);
        properties.put("hostid", hostid);
        ConnectOptions options = ConnectOptions.parse(properties);
        assertEquals(4421, options.trsvcid());
        assertEquals(4, options.nrIoQueues());
        assertEquals(64, options.queueSize());
        assertEquals(8, options.tos());
        assertEquals(-1, options.ctrlLossTmo());
        assertTrue(options.hdrDigest());
        assertFalse(options.dataDigest());
        assertFalse(options.isGiven("data_digest"));
        assertEquals(hostid, options.hostid());
    }

    @Test
    void shouldParseStringsAsTheKernelSyntaxWhenPropertiesAreText() throws Exception {
        Map<String, Object> properties = base();
        properties.put("trsvcid", "4421");
        properties.put("keep_alive_tmo", "9");
        properties.put("data_digest", "true");
        properties.put("disable_sqflow", "FALSE");
        ConnectOptions options = ConnectOptions.parse(properties);
        assertEquals(ConnectOptions.parse("transport=tcp,traddr=127.0.0.1,nqn=testnqn,trsvcid=4421,keep_alive_tmo=9,"
                + "data_digest"), options);
    }

    @Test
    void shouldSkipConfigurationMetadataWhenKeysHaveADot() throws Exception {
        Map<String, Object> properties = base();
        properties.put("service.pid", "dev.nvmeof.host.controller~1");
        properties.put("service.factoryPid", "dev.nvmeof.host.controller");
        properties.put(".secret", "x");
        properties.put("host_iface", null);
        assertEquals(ConnectOptions.parse("transport=tcp,traddr=127.0.0.1,nqn=testnqn"),
                ConnectOptions.parse(properties));
    }

    @Test
    void shouldGiveTheSameOptionsWhenParsedFromTheMapOfItsFabricsString() throws Exception {
        ConnectOptions options = ConnectOptions.parse("transport=tcp,traddr=127.0.0.1,nqn=testnqn,tos=4,hdr_digest");
        Map<String, Object> properties = new HashMap<>();
        for (String token : options.toFabricsString().split(",")) {
            String[] pair = token.split("=", 2);
            properties.put(pair[0], pair.length == 2 ? pair[1] : Boolean.TRUE);
        }
        assertEquals(options, ConnectOptions.parse(properties));
    }

    @Test
    void shouldRefuseNamingTheOptionWhenAPropertyHasTheWrongType() {
        assertRefused("queue_size", 64.0);
        assertRefused("queue_size", 3_000_000_000L);
        assertRefused("queue_size", 8);
        assertRefused("traddr", 127);
        assertRefused("hdr_digest", 1);
        assertRefused("hdr_digest", "yes");
        assertRefused("hostid", 42);
        assertRefused("nr_io_queues", new int[] {4});
        assertRefused("no_such_option", "1");
    }

    @Test
    void shouldRefuseNamingTheOptionWhenARequiredPropertyIsMissing() {
        Map<String, Object> properties = base();
        properties.remove("traddr");
        InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> ConnectOptions.parse(properties));
        assertEquals("traddr", e.option());
    }

    private static void assertRefused(String option, Object value) {
        Map<String, Object> properties = base();
        properties.put(option, value);
        InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> ConnectOptions.parse(properties),
                option + "=" + value);
        assertEquals(option, e.option());
        assertTrue(e.getMessage().contains(option), e.getMessage());
    }
}
