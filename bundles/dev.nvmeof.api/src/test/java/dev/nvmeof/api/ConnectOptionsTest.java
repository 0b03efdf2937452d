package dev.nvmeof.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConnectOptionsTest {

    private static final String BASE = "transport=tcp,traddr=127.0.0.1,nqn=testnqn";
    private static final String HOSTID = "2b7e6f2c-0d52-4a5e-9c3f-8d1e1c2a3b4c";

    @Test
    void shouldParseEveryOptionWhenAllAreGiven() throws Exception {
        ConnectOptions options = ConnectOptions.parse("transport=tcp_offload,traddr=10.0.0.1,trsvcid=4421,"
                + "nqn=nqn.2024-01.dev.nvmeof:sub1,hostnqn=nqn.2014-08.org.nvmexpress:uuid:" + HOSTID
                + ",hostid=" + HOSTID + ",host_traddr=10.0.0.2,host_iface=p1p1,nr_io_queues=4,nr_write_queues=2,"
                + "nr_poll_queues=1,queue_size=64,keep_alive_tmo=7,reconnect_delay=2,ctrl_loss_tmo=60,"
                + "fast_io_fail_tmo=20,hdr_digest,data_digest,tos=16,duplicate_connect,disable_sqflow,"
                + "offload_fallback=tcp,tls,keyring=/etc/nvme/tls-keys");
        assertEquals("tcp_offload", options.transport());
        assertEquals("10.0.0.1", options.traddr());
        assertEquals(4421, options.trsvcid());
        assertEquals("nqn.2024-01.dev.nvmeof:sub1", options.nqn());
        assertEquals("nqn.2014-08.org.nvmexpress:uuid:" + HOSTID, options.hostnqn());
        assertEquals(UUID.fromString(HOSTID), options.hostid());
        assertEquals("10.0.0.2", options.hostTraddr());
        assertEquals("p1p1", options.hostIface());
        assertEquals(4, options.nrIoQueues());
        assertEquals(2, options.nrWriteQueues());
        assertEquals(1, options.nrPollQueues());
        assertEquals(64, options.queueSize());
        assertEquals(7, options.keepAliveTmo());
        assertEquals(2, options.reconnectDelay());
        assertEquals(60, options.ctrlLossTmo());
        assertEquals(20, options.fastIoFailTmo());
        assertTrue(options.hdrDigest());
        assertTrue(options.dataDigest());
        assertEquals(16, options.tos());
        assertTrue(options.duplicateConnect());
        assertTrue(options.disableSqflow());
        assertFalse(options.discovery());
        assertEquals("tcp", options.offloadFallback());
        assertTrue(options.tls());
        assertEquals("/etc/nvme/tls-keys", options.keyring());
        assertEquals(List.of(), options.warnings());
        assertEquals(ConnectOptions.ALL.size() - 4, options.given().size()); // all but discovery and the secrets
    }

    @Test
    void shouldApplyTheDefaultsWhenOnlyTheRequiredOptionsAreGiven() throws Exception {
        ConnectOptions options = ConnectOptions.parse(BASE);
        assertEquals(4420, options.trsvcid());
        assertNull(options.hostnqn());
        assertNull(options.hostid());
        assertNull(options.hostTraddr());
        assertNull(options.hostIface());
        assertEquals(Runtime.getRuntime().availableProcessors(), options.nrIoQueues());
        assertEquals(0, options.nrWriteQueues());
        assertEquals(0, options.nrPollQueues());
        assertEquals(128, options.queueSize());
        assertEquals(5, options.keepAliveTmo());
        assertEquals(10, options.reconnectDelay());
        assertEquals(600, options.ctrlLossTmo());
        assertEquals(-1, options.fastIoFailTmo());
        assertFalse(options.hdrDigest());
        assertFalse(options.dataDigest());
        assertEquals(-1, options.tos());
        assertFalse(options.duplicateConnect());
        assertFalse(options.disableSqflow());
        assertFalse(options.discovery());
        assertEquals(Set.of("transport", "traddr", "nqn"), options.given());
    }

    @Test
    void shouldUseTheDiscoveryDefaultsWhenTheNqnIsTheDiscoveryNqn() throws Exception {
        ConnectOptions options = ConnectOptions.parse("transport=tcp,traddr=127.0.0.1,nqn=" + ConnectOptions.DISCOVERY_NQN);
        assertTrue(options.discovery());
        assertEquals(8009, options.trsvcid());
        assertEquals(0, options.keepAliveTmo());
        assertEquals(0, options.nrIoQueues());
        assertTrue(options.duplicateConnect());
    }

    @Test
    void shouldUseTheDiscoveryDefaultsWhenTheDiscoveryFlagIsGiven() throws Exception {
        ConnectOptions options = ConnectOptions.parse(BASE + ",discovery");
        assertTrue(options.discovery());
        assertEquals(8009, options.trsvcid());
        assertEquals(0, options.keepAliveTmo());
    }

    @Test
    void shouldHonourAnExplicitPortAndKeepAliveWhenDiscovery() throws Exception {
        ConnectOptions options = ConnectOptions.parse(BASE + ",discovery,trsvcid=4420,keep_alive_tmo=30");
        assertEquals(4420, options.trsvcid());
        assertEquals(30, options.keepAliveTmo());
    }

    @Test
    void shouldIgnoreQueueCountsWithAWarningWhenDiscovery() throws Exception {
        ConnectOptions options = ConnectOptions.parse(BASE + ",discovery,nr_io_queues=4,nr_poll_queues=2");
        assertEquals(0, options.nrIoQueues());
        assertEquals(0, options.nrPollQueues());
        assertFalse(options.isGiven("nr_io_queues"));
        assertEquals(2, options.warnings().size());
    }

    @Test
    void shouldHonourMoreIoQueuesThanCpusWhenGiven() throws Exception {
        int many = Runtime.getRuntime().availableProcessors() + 7;
        assertEquals(many, ConnectOptions.parse(BASE + ",nr_io_queues=" + many).nrIoQueues());
    }

    @Test
    void shouldNormaliseAsLinuxWithAWarningWhenLinuxAcceptsAndWarns() throws Exception {
        ConnectOptions options = ConnectOptions.parse(BASE + ",tos=300,ctrl_loss_tmo=-5");
        assertEquals(255, options.tos());
        assertEquals(ConnectOptions.FOREVER, options.ctrlLossTmo());
        assertEquals(2, options.warnings().size());
        assertEquals(ConnectOptions.OFF, ConnectOptions.parse(BASE + ",fast_io_fail_tmo=-7").fastIoFailTmo());
    }

    @Test
    void shouldIgnoreFastIoFailWithAWarningWhenLongerThanCtrlLoss() throws Exception {
        ConnectOptions options = ConnectOptions.parse(BASE + ",ctrl_loss_tmo=30,fast_io_fail_tmo=31");
        assertEquals(ConnectOptions.OFF, options.fastIoFailTmo());
        assertFalse(options.isGiven("fast_io_fail_tmo"));
        assertTrue(options.warnings().get(0).contains("fast_io_fail_tmo"), options.warnings().toString());
        // Against the default ctrl_loss_tmo too, as Linux compares with 600 when it is not given.
        assertEquals(ConnectOptions.OFF, ConnectOptions.parse(BASE + ",fast_io_fail_tmo=601").fastIoFailTmo());
        // Equal is fine, and ctrl_loss_tmo=-1 never loses the controller first.
        assertEquals(30, ConnectOptions.parse(BASE + ",ctrl_loss_tmo=30,fast_io_fail_tmo=30").fastIoFailTmo());
        assertEquals(900, ConnectOptions.parse(BASE + ",ctrl_loss_tmo=-1,fast_io_fail_tmo=900").fastIoFailTmo());
    }

    @Test
    void shouldKeepNoKeepAliveWithAWarningWhenKeepAliveTmoIsZero() throws Exception {
        ConnectOptions options = ConnectOptions.parse(BASE + ",keep_alive_tmo=0");
        assertEquals(0, options.keepAliveTmo());
        assertEquals(1, options.warnings().size());
    }

    @Test
    void shouldAcceptLineBreaksAndEmptyOptionsWhenWrittenLikeNvmeCli() throws Exception {
        assertEquals(ConnectOptions.parse(BASE), ConnectOptions.parse("transport=tcp,,traddr=127.0.0.1\nnqn=testnqn\n"));
    }

    @Test
    void shouldAcceptQueueSizeBoundsWhenExactly16Or1024() throws Exception {
        assertEquals(16, ConnectOptions.parse(BASE + ",queue_size=16").queueSize());
        assertEquals(1024, ConnectOptions.parse(BASE + ",queue_size=1024").queueSize());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "transport=tcp,traddr=127.0.0.1,trsvcid=4420,nqn=testnqn,hdr_digest,data_digest,nr_io_queues=4",
        "transport=tcp,traddr=::1,nqn=" + ConnectOptions.DISCOVERY_NQN + ",keep_alive_tmo=15",
        "nqn=a=b,transport=tcp,traddr=127.0.0.1,hostid=" + HOSTID + ",tos=0,ctrl_loss_tmo=-1,fast_io_fail_tmo=-1",
        "transport=tcp,traddr=h,nqn=n,host_iface=eth0,host_traddr=10.1.1.1,queue_size=1024,duplicate_connect,"
            + "disable_sqflow,discovery,reconnect_delay=1,nr_write_queues=3,nr_poll_queues=3,tos=300"
    })
    void shouldGiveBackTheSameOptionsWhenParsingItsFabricsString(String text) throws Exception {
        ConnectOptions options = ConnectOptions.parse(text);
        ConnectOptions again = ConnectOptions.parse(options.toFabricsString());
        assertEquals(options, again);
        assertEquals(options.toFabricsString(), again.toFabricsString());
        assertEquals(options.toFabricsString(), options.toString());
    }

    @Test
    void shouldWriteTheKernelSyntaxInKernelOrderWhenFormatting() throws Exception {
        assertEquals("transport=tcp,traddr=127.0.0.1,trsvcid=4420,nqn=testnqn,nr_io_queues=4,hdr_digest,data_digest",
                ConnectOptions.parse("hdr_digest,data_digest,transport=tcp,traddr=127.0.0.1,trsvcid=4420,"
                        + "nqn=testnqn,nr_io_queues=4").toFabricsString());
    }

    @Test
    void shouldBuildWhatItParsesWhenUsingTheBuilder() throws Exception {
        ConnectOptions built = ConnectOptions.builder().transport("tcp").traddr("127.0.0.1").trsvcid(4420)
                .nqn("testnqn").hdrDigest(true).dataDigest(true).nrIoQueues(4).disableSqflow(false).build();
        assertEquals(ConnectOptions.parse(
                "transport=tcp,traddr=127.0.0.1,trsvcid=4420,nqn=testnqn,hdr_digest,data_digest,nr_io_queues=4"),
                built);
        assertEquals(built, built.toBuilder().build());
        assertEquals(8, built.toBuilder().nrIoQueues(8).build().nrIoQueues());
        assertFalse(built.toBuilder().clear("nr_io_queues").build().isGiven("nr_io_queues"));
    }

    @Test
    void shouldValidateInBuildWhenUsingTheBuilder() {
        InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> ConnectOptions.builder()
                .transport("tcp").traddr("127.0.0.1").nqn("testnqn").queueSize(8).build());
        assertEquals("queue_size", e.option());
        assertEquals("traddr", assertThrows(InvalidOptionException.class, () -> ConnectOptions.builder()
                .transport("tcp").traddr("a,b").nqn("testnqn").build()).option());
    }

    @Test
    void shouldRefuseAnOffloadFallbackOtherThanTcp() throws Exception {
        InvalidOptionException refused = assertThrows(InvalidOptionException.class,
                () -> ConnectOptions.parse(BASE + ",offload_fallback=rdma"));
        assertEquals("offload_fallback", refused.option());
        assertNull(ConnectOptions.parse(BASE).offloadFallback(), "off by default");
    }

    @Test
    void shouldFillInTheDefaultHostWhenHostnqnAndHostidAreNotGiven() throws Exception {
        HostIdentity identity = HostIdentity.of(UUID.fromString(HOSTID));
        ConnectOptions options = ConnectOptions.parse(BASE).withDefaultHost(identity);
        assertEquals(identity.hostnqn(), options.hostnqn());
        assertEquals(identity.hostid(), options.hostid());
        assertEquals(BASE, options.toFabricsString());
        ConnectOptions own = ConnectOptions.parse(BASE + ",hostnqn=nqn.2024-01.me:host").withDefaultHost(identity);
        assertEquals("nqn.2024-01.me:host", own.hostnqn());
        assertEquals(identity.hostid(), own.hostid());
    }

    @Test
    void shouldListEveryKernelOptionAndOursWhenAskedForAll() {
        assertEquals(28, ConnectOptions.ALL.size());
        assertTrue(ConnectOptions.ALL.contains("offload_fallback"), "ours: the software transport to fall back to");
        assertTrue(ConnectOptions.ALL.containsAll(Set.of("transport", "traddr", "trsvcid", "nqn", "hostnqn", "hostid",
                "host_traddr", "host_iface", "nr_io_queues", "nr_write_queues", "nr_poll_queues", "queue_size",
                "keep_alive_tmo", "reconnect_delay", "ctrl_loss_tmo", "fast_io_fail_tmo", "hdr_digest", "data_digest",
                "tos", "duplicate_connect", "disable_sqflow", "discovery", "dhchap_secret", "dhchap_ctrl_secret",
                "keyring", "tls_key", "tls")));
    }

    @Test
    void shouldTakeATlsKeyAsImplyingTlsAndNeverShowIt() throws Exception {
        String key = "NVMeTLSkey-1:01:VRLbtnN9AQb2WXW3c9+wEf/DRLz0QuLdbYvEhwtdWwNf9LrZ:";
        ConnectOptions options = ConnectOptions.parse(BASE + ",tls_key=" + key);
        assertTrue(options.tls());
        assertEquals(key, options.tlsKey());
        assertFalse(options.toString().contains("VRLbtnN9"), options.toString());
        assertTrue(options.toFabricsString().contains("tls_key=" + key));
        assertFalse(ConnectOptions.parse(BASE).tls());
    }

    @Test
    void shouldRefuseAMalformedTlsKeyNamingTheOptionNotTheValue() {
        String bad = "NVMeTLSkey-1:01:VRLbtnN9AQb2WXW3c9+wEf/DRLz0QuLdbYvEhwtdWwNf9LrX:"; // CRC does not match
        InvalidOptionException e = assertThrows(InvalidOptionException.class,
                () -> ConnectOptions.parse(BASE + ",tls_key=" + bad));
        assertTrue(e.getMessage().contains("tls_key"), e.getMessage());
        assertFalse(e.getMessage().contains("VRLbtnN9"), e.getMessage());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "transport=tcp,traddr=127.0.0.1,nqn=testnqn,bogus=1 | bogus",
        "transport=tcp,traddr=127.0.0.1,nqn=testnqn,Queue_Size=32 | Queue_Size",
        "traddr=127.0.0.1,nqn=testnqn | transport",
        "transport=tcp,nqn=testnqn | traddr",
        "transport=tcp,traddr=127.0.0.1 | nqn",
        "transport=tcp,traddr=127.0.0.1,nqn=testnqn,nqn=other | nqn",
        "transport=tcp,traddr=127.0.0.1,nqn=testnqn,hdr_digest,hdr_digest | hdr_digest",
        "transport=,traddr=127.0.0.1,nqn=testnqn | transport",
        "transport=tcp,traddr,nqn=testnqn | traddr",
        "transport=tcp,traddr=127.0.0.1,nqn=testnqn,trsvcid=http | trsvcid",
        "transport=tcp,traddr=127.0.0.1,nqn=testnqn,trsvcid=0 | trsvcid",
        "transport=tcp,traddr=127.0.0.1,nqn=testnqn,trsvcid=65536 | trsvcid",
        "transport=tcp,traddr=127.0.0.1,nqn=testnqn,queue_size=15 | queue_size",
        "transport=tcp,traddr=127.0.0.1,nqn=testnqn,queue_size=1025 | queue_size",
        "transport=tcp,traddr=127.0.0.1,nqn=testnqn,queue_size=0x80 | queue_size",
        "transport=tcp,traddr=127.0.0.1,nqn=testnqn,nr_io_queues=0 | nr_io_queues",
        "transport=tcp,traddr=127.0.0.1,nqn=testnqn,nr_io_queues=-1 | nr_io_queues",
        "transport=tcp,traddr=127.0.0.1,nqn=testnqn,nr_io_queues=4294967296 | nr_io_queues",
        "transport=tcp,traddr=127.0.0.1,nqn=testnqn,nr_write_queues=0 | nr_write_queues",
        "transport=tcp,traddr=127.0.0.1,nqn=testnqn,nr_poll_queues=-2 | nr_poll_queues",
        "transport=tcp,traddr=127.0.0.1,nqn=testnqn,keep_alive_tmo=-1 | keep_alive_tmo",
        "transport=tcp,traddr=127.0.0.1,nqn=testnqn,reconnect_delay=0 | reconnect_delay",
        "transport=tcp,traddr=127.0.0.1,nqn=testnqn,ctrl_loss_tmo=ten | ctrl_loss_tmo",
        "transport=tcp,traddr=127.0.0.1,nqn=testnqn,fast_io_fail_tmo=1.5 | fast_io_fail_tmo",
        "transport=tcp,traddr=127.0.0.1,nqn=testnqn,tos=-1 | tos",
        "transport=tcp,traddr=127.0.0.1,nqn=testnqn,hostid=not-a-uuid | hostid",
        "transport=tcp,traddr=127.0.0.1,nqn=testnqn,hostid=1-2-3-4-5 | hostid",
        "transport=tcp,traddr=127.0.0.1,nqn=testnqn,hdr_digest=1 | hdr_digest",
        "transport=tcp,traddr=127.0.0.1,nqn=testnqn,data_digest=true | data_digest",
        "transport=tcp,traddr=127.0.0.1,nqn=testnqn,duplicate_connect=0 | duplicate_connect",
        "transport=tcp,traddr=127.0.0.1,nqn=testnqn,host_iface= | host_iface",
    })
    void shouldRefuseNamingTheOptionWhenAnOptionIsInvalid(String text, String option) {
        InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> ConnectOptions.parse(text));
        assertEquals(option, e.option());
        assertTrue(e.getMessage().contains(option), e.getMessage());
    }

    @Test
    void shouldRefuseAnNqnWhenLongerThan223Bytes() throws Exception {
        String nqn223 = "nqn.2024-01.dev.nvmeof:" + "x".repeat(223 - 23);
        assertEquals(223, nqn223.length());
        assertEquals(nqn223, ConnectOptions.parse(BASE + ",hostnqn=" + nqn223).hostnqn());
        assertEquals("hostnqn", assertThrows(InvalidOptionException.class,
                () -> ConnectOptions.parse(BASE + ",hostnqn=" + nqn223 + "x")).option());
        assertEquals("nqn", assertThrows(InvalidOptionException.class,
                () -> ConnectOptions.parse("transport=tcp,traddr=h,nqn=" + nqn223 + "x")).option());
        // Bytes, not characters: 112 two-byte characters are 224 bytes.
        assertEquals("hostnqn", assertThrows(InvalidOptionException.class,
                () -> ConnectOptions.parse(BASE + ",hostnqn=" + "\u00e9".repeat(112))).option());
    }
}
