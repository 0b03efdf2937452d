package dev.nvmeof.demo.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DemoOptionsTest {

    @Test
    void shouldDefaultToTcpOffloadAgainstTheEmbeddedTestnqnOn4420() {
        DemoOptions o = DemoOptions.parse();
        assertEquals("tcp_offload", o.transport());
        assertNull(o.traddr());
        assertTrue(o.embeddedTarget());
        assertEquals("transport=tcp_offload,traddr=127.0.0.1,trsvcid=4420,nqn=testnqn", o.fabricsOptions());
        assertEquals(8L << 20, o.checkBytes());
    }

    @Test
    void shouldReadNvmeCliSpellingsShortAndLong() {
        DemoOptions o = DemoOptions.parse("-t", "tcp", "-a", "127.0.0.1", "-s", "14420", "--nqn", "nqn.x", "--size",
                "64K");
        assertEquals("transport=tcp,traddr=127.0.0.1,trsvcid=14420,nqn=nqn.x", o.fabricsOptions());
        assertEquals(64 << 10, o.checkBytes());
        assertEquals(false, o.embeddedTarget());
        assertEquals(9000, DemoOptions.parse("--trsvcid", "9000").trsvcid());
    }

    @Test
    void shouldAskForDigestsWithGAndCapitalG() {
        assertEquals("transport=tcp_offload,traddr=127.0.0.1,trsvcid=4420,nqn=testnqn,hdr_digest,data_digest",
                DemoOptions.parse("-g", "--data-digest").fabricsOptions());
        assertEquals(DemoOptions.parse("-g", "-G"), DemoOptions.parse("-gG"));
        assertEquals("transport=tcp_offload,traddr=127.0.0.1,trsvcid=4420,nqn=testnqn,data_digest",
                DemoOptions.parse("-G").fabricsOptions());
    }

    @Test
    void shouldLeaveVAndVvToTheConsole() {
        assertEquals(DemoOptions.parse("-s", "9000"), DemoOptions.parse("-v", "-s", "9000", "-vv"));
    }

    @Test
    void shouldRunThePerfComparisonForTwoSecondsUnlessToldOtherwise() {
        assertEquals(2, DemoOptions.parse().perfSeconds());
        assertEquals(0, DemoOptions.parse("--perf", "0").perfSeconds());
        IllegalArgumentException bad = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> DemoOptions.parse("--perf", "-1"));
        assertEquals("--perf: seconds from 0 to 600, was -1", bad.getMessage());
    }

    @Test
    void shouldRefuseBadArgumentsNamingThem() {
        assertTrue(message("-t", "rdma").contains("-t: transport must be tcp or tcp_offload, was rdma"));
        assertTrue(message("-s", "70000").contains("-s: a port is 1..65535, was 70000"));
        assertTrue(message("-a").contains("-a needs a value"));
        assertTrue(message("--size", "1000").contains("--size: a size is a positive multiple of 4096"));
        assertTrue(message("--bogus").startsWith("unknown argument --bogus"));
    }

    private static String message(String... args) {
        return assertThrows(IllegalArgumentException.class, () -> DemoOptions.parse(args)).getMessage();
    }
}
