package dev.nvmeof.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.nvmeof.api.ControllerListener;
import dev.nvmeof.api.ControllerState;

/** The {@code nic} command in a real Gogo session over the fixture's two emulated NICs and a real target. */
class NicShellTest extends ShellSessionTest {
    /** Connects over tcp_offload (through p1p1, the faster NIC) with one I/O queue and a 1 s reconnect delay. */
    private void connect(String more) throws Exception {
        shell.run(shell.connect("tcp_offload") + " -i 1 -c 1" + more);
    }

    @Test
    void shouldPrintEachFunctionsCountersLikeEthtool() throws Exception {
        connect("");

        String out = shell.run("nic stats");
        assertTrue(out.startsWith("NIC statistics: A0001 (1ac3:0100, ports p1p1)\n     pdus_in: "), out);
        assertTrue(out.contains("NIC statistics: B0002 (1ac3:0100, ports p2p1)\n     pdus_in: 0\n"), out);
        assertTrue(out.contains("     completion_notifications: "), out);
        assertFalse(shell.run("nic stats p1p1").contains("B0002"));
        assertTrue(shell.run("nic stats B0002").startsWith("NIC statistics: B0002"));
        String json = shell.run("nic stats p2p1 -o json");
        assertTrue(json.contains("\"serial\":\"B0002\""), json);
        assertTrue(json.contains("\"connections_reset\":0"), json);
    }

    @Test
    void shouldResetEveryQueuePairOfThePortAndTheControllerRecovers() throws Exception {
        connect("");
        CountDownLatch resetting = new CountDownLatch(1);
        CountDownLatch recovered = new CountDownLatch(1);
        ControllerListener listener = event -> {
            if (event.to() == ControllerState.RESETTING) {
                resetting.countDown();
            } else if (event.to() == ControllerState.LIVE && resetting.getCount() == 0) {
                recovered.countDown();
            }
        };
        shell.host.addListener(listener);
        try {
            assertEquals("fault reset: 2 queue pairs of p1p1 reset\n", shell.run("nic fault p1p1 reset"));

            assertTrue(resetting.await(10, TimeUnit.SECONDS), "error recovery started");
            assertTrue(recovered.await(30, TimeUnit.SECONDS), "the controller reconnected");
        } finally {
            shell.host.removeListener(listener);
        }
        String subsys = shell.run("nvme list-subsys");
        assertTrue(subsys.contains(" +- nvme0 tcp_offload traddr=127.0.0.1,trsvcid=" + shell.port + " live"), subsys);
        // The first reset starts recovery, which may drain the other queue pair before its reset counts.
        String stats = shell.run("nic stats p1p1");
        assertTrue(stats.matches("(?s).*\n     connections_reset: [12]\n.*"), stats);
    }

    @Test
    void shouldCorruptTheDataDigestsOfOneQueuePairAndTheReadIsRetried() throws Exception {
        connect(" -G");

        assertEquals("fault corrupt-digest: the next 1 data PDU(s) of each of 1 queue pair of p1p1 count as digest"
                + " errors\n", shell.run("nic fault p1p1 corrupt-digest 1 --qid 1"));
        assertEquals("read: Success\n", shell.run("nvme read nvme0n1 -c 0 -z 512 -d out.bin"));
        assertTrue(shell.run("nic stats p1p1").contains("     digest_errors: 1\n"));
    }

    @Test
    void shouldStallAndResumeTheQueuePairsOfAPort() throws Exception {
        connect("");

        assertEquals("fault stall: 2 queue pairs of p1p1 stalled\n", shell.run("nic fault p1p1 stall"));
        assertEquals("fault unstall: 2 queue pairs of p1p1 resumed\n", shell.run("nic fault p1p1 unstall"));
        assertEquals("fault drop-completion: the next completion of each of 0 queue pairs of p2p1 is dropped\n",
                shell.run("nic fault p2p1 drop-completion"));
        assertEquals("write: Success\n", shell.run("nvme write nvme0n1 -c 0 -z 512 -d " + zeros()));
    }

    private String zeros() throws Exception {
        java.nio.file.Files.write(dir.resolve("zeros.bin"), new byte[512]);
        return "zeros.bin";
    }

    @Test
    void shouldTakeALinkDownAndUp() throws Exception {
        assertEquals("fault link-down: p2p1 link down, 0 queue pairs failed\n", shell.run("nic fault p2p1 link-down"));
        assertTrue(shell.run("ip link show p2p1").contains("state DOWN"));
        assertEquals("fault link-up: p2p1 link up\n", shell.run("nic fault p2p1 link-up"));
        assertTrue(shell.run("ip link show p2p1").contains("state UP"));
    }

    @Test
    void shouldNameAnUnknownFaultOrDeviceListingTheValidOnes() {
        ShellException kind = assertThrows(ShellException.class, () -> shell.run("nic fault p1p1 melt"));
        assertEquals("nic fault: unknown fault 'melt' (one of link-down, link-up, reset, corrupt-digest,"
                + " drop-completion, stall, unstall)", kind.getMessage());
        assertEquals(ShellException.EINVAL, kind.status());

        ShellException device = assertThrows(ShellException.class, () -> shell.run("nic fault p9p9 reset"));
        assertEquals("nic fault: Cannot find device \"p9p9\" (devices: p1p1, p2p1)", device.getMessage());
        assertEquals(ShellException.ENODEV, device.status());
        assertEquals("nic stats: no NIC function with port or serial 'p9p9' (ports: p1p1, p2p1)",
                assertThrows(ShellException.class, () -> shell.run("nic stats p9p9")).getMessage());
    }

    @Test
    void shouldRefuseBadInputInOneLine() {
        assertEquals("nic stats: unknown option '--bogus'",
                assertThrows(ShellException.class, () -> shell.run("nic stats --bogus")).getMessage());
        assertEquals("nic fault: unexpected argument '3' (only corrupt-digest takes a COUNT)",
                assertThrows(ShellException.class, () -> shell.run("nic fault p1p1 reset 3")).getMessage());
        assertEquals("nic fault: COUNT: 'x' is not a number",
                assertThrows(ShellException.class, () -> shell.run("nic fault p1p1 corrupt-digest x")).getMessage());
        assertEquals("nic fault: no queue pair with qid 7 on p1p1 (it has none)",
                assertThrows(ShellException.class, () -> shell.run("nic fault p1p1 stall -q 7")).getMessage());
        assertTrue(assertThrows(ShellException.class, () -> shell.run("nic fault p1p1")).getMessage()
                .startsWith("nic fault: a port and a fault are required"));
        assertEquals("nic: unknown command 'faults' (try: nic help)",
                assertThrows(ShellException.class, () -> shell.run("nic faults")).getMessage());
    }

    @Test
    void shouldPrintHelpForEachCommand() throws Exception {
        String help = shell.run("nic help");
        for (String command : new String[] {"stats", "fault"}) {
            assertTrue(help.contains("  " + command + " "), command + " in\n" + help);
            assertTrue(shell.run("nic " + command + " --help").startsWith("Usage: nic " + command), command);
        }
        assertTrue(shell.run("nic fault -h").contains("corrupt-digest"));
    }
}
