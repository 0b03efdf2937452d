package dev.nvmeof.api;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.api.Test;

class OptionPolicyTest {

    /** What Linux's nvme-tcp declares in its nvmf_transport_ops. */
    private static final OptionPolicy LINUX_TCP = new OptionPolicy("tcp",
            Set.of("trsvcid", "reconnect_delay", "host_traddr", "ctrl_loss_tmo", "hdr_digest", "data_digest",
                    "nr_write_queues", "nr_poll_queues", "tos", "host_iface"),
            Set.of("traddr"));

    /** A transport that allows only the generic options beyond its address. */
    private static final OptionPolicy NARROW = new OptionPolicy("narrow", Set.of("trsvcid"), Set.of("traddr"));

    @Test
    void shouldAcceptEveryOptionLinuxTcpTakesWhenTheTransportAllowsThem() throws Exception {
        ConnectOptions options = ConnectOptions.parse("transport=tcp,traddr=127.0.0.1,trsvcid=4420,nqn=testnqn,"
                + "hostnqn=nqn.2024-01.me:h,queue_size=32,nr_io_queues=2,nr_write_queues=1,nr_poll_queues=1,"
                + "keep_alive_tmo=5,reconnect_delay=1,ctrl_loss_tmo=5,fast_io_fail_tmo=3,hdr_digest,data_digest,"
                + "tos=1,host_traddr=127.0.0.2,host_iface=lo,duplicate_connect,disable_sqflow");
        assertDoesNotThrow(() -> LINUX_TCP.check(options));
        assertDoesNotThrow(() -> options.checkTransport(LINUX_TCP.allowed(), LINUX_TCP.required()));
    }

    @Test
    void shouldRefuseNamingTheOptionWhenTheTransportDoesNotAllowIt() throws Exception {
        ConnectOptions options = ConnectOptions.parse("transport=narrow,traddr=127.0.0.1,nqn=testnqn,hdr_digest");
        InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> NARROW.check(options));
        assertEquals("hdr_digest", e.option());
        assertTrue(e.getMessage().contains("hdr_digest") && e.getMessage().contains("narrow"), e.getMessage());
        assertEquals("hdr_digest", assertThrows(InvalidOptionException.class,
                () -> options.checkTransport(Set.of("trsvcid"), Set.of("traddr"))).option());
    }

    @Test
    void shouldNotCountDefaultsWhenTheUserDidNotGiveThem() throws Exception {
        // ctrl_loss_tmo, reconnect_delay and tos have defaults but are not allowed by NARROW: only given ones count.
        ConnectOptions options = ConnectOptions.parse("transport=narrow,traddr=127.0.0.1,nqn=testnqn,queue_size=64,"
                + "keep_alive_tmo=3,hostid=2b7e6f2c-0d52-4a5e-9c3f-8d1e1c2a3b4c,discovery,fast_io_fail_tmo=1");
        assertDoesNotThrow(() -> NARROW.check(options));
    }

    @Test
    void shouldRefuseNamingTheOptionWhenTheTransportRequiresItAndItIsMissing() throws Exception {
        OptionPolicy needsHostIface = new OptionPolicy("tcp_offload", Set.of(), Set.of("traddr", "host_iface"));
        ConnectOptions options = ConnectOptions.parse("transport=tcp_offload,traddr=127.0.0.1,nqn=testnqn");
        InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> needsHostIface.check(options));
        assertEquals("host_iface", e.option());
        assertTrue(e.getMessage().contains("host_iface") && e.getMessage().contains("tcp_offload"), e.getMessage());
        assertDoesNotThrow(() -> needsHostIface.check(options.toBuilder().hostIface("p1p1").build()));
    }

    @Test
    void shouldAllowWhatItRequiresWhenNotListedAsAllowed() throws Exception {
        OptionPolicy requiresTrsvcid = new OptionPolicy("x", Set.of(), Set.of("traddr", "trsvcid"));
        assertDoesNotThrow(() -> requiresTrsvcid.check(
                ConnectOptions.parse("transport=x,traddr=127.0.0.1,trsvcid=1,nqn=testnqn")));
    }

    @Test
    void shouldRefuseAPolicyWhenItNamesAnUnknownOption() {
        assertThrows(IllegalArgumentException.class, () -> new OptionPolicy("x", Set.of("ipaddr"), Set.of()));
    }
}
