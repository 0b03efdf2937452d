package dev.nvmeof.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The {@code ofld} command in a real Gogo session over the fixture's offload stack: acme-A0001 (p1p1, /8, 25 Gb/s,
 * honours tos) and acme-B0002 (p2p1, /8, 10 Gb/s).
 */
class OffloadShellTest extends ShellSessionTest {
    private String claims(String options) throws Exception {
        return shell.run("ofld claims -a 127.0.0.1 -s " + shell.port + options);
    }

    /** The line of {@code device} in a table. */
    private static String row(String table, String device) {
        return table.lines().filter(l -> l.contains(" " + device + " ") || l.startsWith(device + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no row for " + device + " in\n" + table));
    }

    @Test
    void shouldListTheDevicesWithLimitsPolicyAndLoad() throws Exception {
        String out = shell.run("ofld drivers");

        assertTrue(out.startsWith("Device           service.id Ranking Max I/O  Segments Vectors Polling Queues"), out);
        assertEquals("acme-A0001       1          0       128 KiB  256      8       no      0      allowed"
                + " ctrl_loss_tmo,data_digest,hdr_digest,host_iface,host_traddr,nr_write_queues,reconnect_delay,tos,"
                + "traddr,trsvcid; required traddr", row(out, "acme-A0001"));
        assertTrue(row(out, "acme-B0002").startsWith("acme-B0002       2          0       64 KiB   128      4"), out);
        String json = shell.run("ofld drivers -o json");
        assertTrue(json.contains("\"device\":\"acme-B0002\""), json);
        assertTrue(json.contains("\"hw_vectors\":4"), json);
    }

    @Test
    void shouldRankTheClaimsAndSayWhoWouldCarryTheConnection() throws Exception {
        String out = claims(" -n testnqn");

        assertTrue(out.startsWith("Rank Device           Verdict  Local address   Route Link       Free  Active Reason\n"),
                out);
        assertEquals("1    acme-A0001       WINS     127.0.0.2       /8    25 Gb/s    8     0      link speed 25 Gb/s"
                + " (acme-B0002: 10 Gb/s)", row(out, "acme-A0001"));
        assertEquals("2    acme-B0002       LOSES    127.0.0.3       /8    10 Gb/s    4     0      link speed 10 Gb/s"
                + " (acme-A0001: 25 Gb/s)", row(out, "acme-B0002"));
        assertTrue(out.endsWith("=> acme-A0001 would carry the connection to 127.0.0.1:" + shell.port
                + " from 127.0.0.2\n"), out);
        assertTrue(shell.host.controllers().isEmpty(), "nothing connected");
    }

    @Test
    void shouldLetALongerPrefixWinOverLinkSpeed() throws Exception {
        shell.run("ip addr add 127.0.0.5/24 dev p2p1");

        String out = claims("");
        assertTrue(row(out, "acme-B0002").startsWith("1    acme-B0002       WINS     127.0.0.5       /24"), out);
        assertTrue(row(out, "acme-B0002").endsWith("longest route prefix /24 (acme-A0001: /8)"), out);
        assertTrue(out.endsWith("=> acme-B0002 would carry the connection to 127.0.0.1:" + shell.port
                + " from 127.0.0.5\n"), out);
    }

    @Test
    void shouldSayWhyNoDeviceWouldCarryAnOptionOnlyADownLinkHonours() throws Exception {
        shell.run("ip link set dev p1p1 down");

        String out = claims(" -T 8");
        assertTrue(row(out, "acme-B0002").startsWith("1    acme-B0002       LOSES"), out);
        assertTrue(row(out, "acme-B0002").endsWith("does not honour tos"), out);
        assertTrue(row(out, "acme-A0001").startsWith("-    acme-A0001       DECLINES -               -     -"), out);
        assertTrue(row(out, "acme-A0001").endsWith("link down on p1p1"), out);
        assertTrue(out.endsWith("=> no device would carry the connection to 127.0.0.1:" + shell.port
                + ": none honours every requested option (acme-B0002: does not honour tos; acme-A0001: link down on"
                + " p1p1)\n"), out);
    }

    @Test
    void shouldPrintClaimsAsJson() throws Exception {
        String json = claims(" -f p2p1 -o json");

        assertTrue(json.contains("\"winner\":\"acme-B0002\""), json);
        assertTrue(json.contains("\"verdict\":\"DECLINES\""), json);
        assertTrue(json.contains("\"reason\":\"no port named p2p1 (ports: p1p1 127.0.0.2/8)\""), json);
        assertTrue(json.contains("\"link_speed_bps\":10000000000"), json);
    }

    @Test
    void shouldListTheQueuesOfAConnectedController() throws Exception {
        shell.run(shell.connect("tcp_offload") + " -i 2 -g -G");

        String out = shell.run("ofld queues");
        List<String> rows = out.lines().filter(l -> l.startsWith("acme-A0001")).toList();
        assertEquals(3, rows.size(), out);
        assertTrue(rows.get(0).matches("acme-A0001\\s+testnqn\\s+127\\.0\\.0\\.1:" + shell.port
                + "\\s+0\\s+\\d+\\s+no\\s+on\\s+on"), rows.get(0));
        assertTrue(row(shell.run("ofld drivers"), "acme-A0001").contains(" 3      allowed"), "queues carried");
        assertTrue(shell.run("ofld queues -o json").contains("\"data_digest\":true"));
    }

    @Test
    void shouldRefuseBadInputInOneLine() {
        assertEquals("ofld claims: '--traddr' (-a) is required",
                assertThrows(ShellException.class, () -> shell.run("ofld claims -s 4420")).getMessage());
        assertEquals("ofld claims: unknown option '--bogus'",
                assertThrows(ShellException.class, () -> shell.run("ofld claims -a 127.0.0.1 --bogus")).getMessage());
        assertEquals("ofld claims: '--transport' (-t): only tcp_offload devices claim connections, not 'tcp'",
                assertThrows(ShellException.class, () -> shell.run("ofld claims -a 127.0.0.1 -t tcp"))
                        .getMessage());
        assertEquals("ofld: unknown command 'drivrs' (try: ofld help)",
                assertThrows(ShellException.class, () -> shell.run("ofld drivrs")).getMessage());
        assertEquals("ofld queues: output format 'xml' is not one of normal, json",
                assertThrows(ShellException.class, () -> shell.run("ofld queues -o xml")).getMessage());
    }

    @Test
    void shouldSayTheUlpIsNotRunningWithoutAnInspector() {
        CommandWord ofld = OffloadCommands.create(() -> null);
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

        ShellException e = assertThrows(ShellException.class, () -> ofld.run(out, "drivers"));
        assertEquals("ofld drivers: the tcp_offload ULP is not running (no OffloadInspector service: is bundle"
                + " dev.nvmeof.offload started?)", e.getMessage());
        assertEquals(ShellException.ENODEV, e.status());
    }

    @Test
    void shouldPrintHelpForEachCommand() throws Exception {
        String help = shell.run("ofld help");
        for (String command : new String[] {"drivers", "claims", "queues"}) {
            assertTrue(help.contains("  " + command + " "), command + " in\n" + help);
            assertTrue(shell.run("ofld " + command + " -h").startsWith("Usage: ofld " + command), command);
        }
        assertTrue(shell.run("ofld claims --help").contains("-T, --tos"));
    }
}
