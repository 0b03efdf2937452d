package dev.nvmeof.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nvmeof.target.NamespaceConfig;
import dev.nvmeof.target.NvmeTarget;
import dev.nvmeof.target.SubsystemConfig;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Linux kernel host ({@code nvme-tcp}, driven by nvme-cli in a one-CPU guest) against our embedded target: the
 * kernel is the judge of discovery, Connect, Identify, data transfer with and without digests, disconnect and host
 * access control. One target and one guest for the class; every test leaves no controller behind.
 */
@Tag("interop")
@ExtendWith(InteropExtension.class)
class KernelHostOurTargetTest {
    static final String NQN = "testnqn";
    /** A subsystem only some other host may use: the guest's host NQN is refused. */
    static final String DENIED_NQN = "deniednqn";
    static final String OTHER_HOST = "nqn.2014-08.org.nvmexpress:uuid:some-other";

    private static OurTargetRig rig;

    @BeforeAll
    static void startTargetAndGuest() throws Exception {
        rig = OurTargetRig.start("kernel-host-our-target", 1,
                SubsystemConfig.of(NQN, NamespaceConfig.ram(1, 64L << 20, 512)),
                SubsystemConfig.of(DENIED_NQN, NamespaceConfig.ram(1, 1L << 20, 512))
                        .withAllowedHosts(Set.of(OTHER_HOST)));
    }

    @AfterEach
    void leaveNoController() {
        if (rig != null) {
            rig.disconnectAll();
        }
    }

    @AfterAll
    static void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    void shouldListOurSubsystemWhenTheKernelHostDiscoversOnTheDiscoveryPortAndTheNvmePort() {
        for (int port : new int[] {QemuGuest.DISCOVERY_PORT, QemuGuest.NVME_TCP_PORT}) {
            String log = rig.guest.execOk("nvme discover -t tcp -a " + QemuGuest.HOST_ALIAS + " -s " + port,
                    OurTargetRig.SHORT);

            assertTrue(Pattern.compile("(?m)^subnqn:\\s+" + NQN + "$").matcher(log).find(), log);
            assertTrue(log.contains(NvmeTarget.DISCOVERY_NQN), log);
            assertFalse(log.contains(DENIED_NQN), "a subsystem the host may not use is not listed:\n" + log);
            assertTrue(log.contains("trtype:  tcp"), log);
            rig.awaitTarget("controllers after discovery", rig.target::controllerCount, 0);
        }
    }

    @Test
    void shouldReadBackA4MiBPatternWhenTheKernelHostWritesThroughOurTarget() {
        rig.guest.execOk("dmesg -c > /dev/null", OurTargetRig.SHORT);
        QemuGuest.ExecResult connect = rig.connect(NQN, "");
        assertEquals(0, connect.exitStatus(), () -> connect.output() + rig.dmesg());
        String device = rig.awaitNamespaceDevice();

        rig.writeAndReadBackPattern(device);

        rig.disconnectAndAwaitNoController(NQN);
        rig.awaitTarget("connections", rig.target::connectionCount, 0);
        String dmesg = rig.dmesg();
        assertTrue(dmesg.contains("new ctrl: NQN \"" + NQN + "\""), dmesg);
        assertFalse(dmesg.toLowerCase().contains("error"), dmesg);
    }

    @Test
    void shouldPassThroughQuarterAndOneMebibyteNvmeCliWritesAndReadsWithTheKernelHost() {
        QemuGuest.ExecResult connect = rig.connect(NQN, "");
        assertEquals(0, connect.exitStatus(), () -> connect.output() + rig.dmesg());
        String device = rig.awaitNamespaceDevice();
        String name = device.substring(device.lastIndexOf('/') + 1);
        assertEquals("1024", rig.guest.execOk("cat /sys/block/" + name + "/queue/max_hw_sectors_kb",
                OurTargetRig.SHORT).trim(), "the kernel's cap follows our MDTS (1 MiB)");

        for (int size : new int[] {256 << 10, 1 << 20}) {
            // nvme-cli's passthrough: --block-count is 0-based, the whole buffer in one command.
            String blocks = "--start-block=1 --block-count=" + (size / 512 - 1) + " --data-size=" + size;
            rig.guest.execOk("head -c " + size + " /dev/urandom > /tmp/big && rm -f /tmp/big.back", OurTargetRig.SHORT);
            String write = rig.guest.execOk("nvme write " + device + " " + blocks + " --data=/tmp/big 2>&1",
                    OurTargetRig.DATA);
            assertTrue(write.contains("write: Success"), write);
            String read = rig.guest.execOk("nvme read " + device + " " + blocks + " --data=/tmp/big.back 2>&1",
                    OurTargetRig.DATA);
            assertTrue(read.contains("read: Success"), read);
            assertEquals(new QemuGuest.ExecResult(0, "IDENTICAL\n"),
                    rig.guest.exec("cmp /tmp/big /tmp/big.back && echo IDENTICAL", OurTargetRig.SHORT),
                    size + " bytes through one passthrough command each way");
        }
        rig.disconnectAndAwaitNoController(NQN);
    }

    @Test
    void shouldReadBackA4MiBPatternWhenHeaderAndDataDigestsAreOn() {
        rig.guest.execOk("dmesg -c > /dev/null", OurTargetRig.SHORT);
        QemuGuest.ExecResult connect = rig.connect(NQN, "--hdr-digest --data-digest");
        assertEquals(0, connect.exitStatus(), () -> connect.output() + rig.dmesg());
        String device = rig.awaitNamespaceDevice();

        rig.writeAndReadBackPattern(device);

        rig.disconnectAndAwaitNoController(NQN);
        String dmesg = rig.dmesg();
        assertFalse(dmesg.toLowerCase().contains("digest"), "no digest error:\n" + dmesg);
        assertFalse(dmesg.toLowerCase().contains("error"), dmesg);
    }

    @Test
    void shouldRefuseTheKernelHostWhenItsHostNqnIsNotAllowed() {
        String hostNqn = rig.guest.execOk("cat /etc/nvme/hostnqn", OurTargetRig.SHORT).trim();
        assertNotEquals(OTHER_HOST, hostNqn);
        rig.guest.execOk("dmesg -c > /dev/null", OurTargetRig.SHORT);

        QemuGuest.ExecResult connect = rig.connect(DENIED_NQN, "");

        assertNotEquals(0, connect.exitStatus(), connect.output());
        String dmesg = rig.dmesg();
        assertTrue(dmesg.contains("Connect for subsystem " + DENIED_NQN + " is not allowed, hostnqn: " + hostNqn),
                dmesg);
        assertTrue(rig.guest.execOk("ls /sys/class/nvme/ | wc -l", OurTargetRig.SHORT).trim().equals("0"),
                "no controller left in the guest");
        rig.awaitTarget("controllers after a refused Connect", rig.target::controllerCount, 0);
        rig.awaitTarget("connections after a refused Connect", rig.target::connectionCount, 0);
    }

    @Test
    void shouldReadBackA4MiBPatternWhenSqFlowControlIsDisabled() {
        // Connect CATTR bit 2: our target then ends reads with C2HData SUCCESS and sends no CapsuleResp.
        QemuGuest.ExecResult connect = rig.connect(NQN, "--disable-sqflow");
        assertEquals(0, connect.exitStatus(), () -> connect.output() + rig.dmesg());
        String device = rig.awaitNamespaceDevice();

        rig.writeAndReadBackPattern(device);

        rig.disconnectAndAwaitNoController(NQN);
    }

    @Test
    void shouldReadZeroesWhereTheKernelHostDiscardedBlocks() {
        QemuGuest.ExecResult connect = rig.connect(NQN, "");
        assertEquals(0, connect.exitStatus(), () -> connect.output() + rig.dmesg());
        String device = rig.awaitNamespaceDevice();
        rig.writeAndReadBackPattern(device);

        // Dataset Management (deallocate) for the first MiB; DLFEAT says deallocated blocks read as zeroes.
        rig.guest.execOk("blkdiscard -o 0 -l 1048576 " + device, OurTargetRig.SHORT);

        String check = rig.guest.execOk("dd if=" + device + " of=/tmp/d bs=1M count=4 iflag=direct 2>/dev/null;"
                + " head -c 1048576 /dev/zero > /tmp/z; head -c 1048576 /tmp/d | cmp - /tmp/z && echo ZEROES;"
                + " tail -c 3145728 /tmp/d > /tmp/dt; tail -c 3145728 /tmp/p > /tmp/pt; cmp /tmp/dt /tmp/pt"
                + " && echo PATTERN", OurTargetRig.DATA);
        assertEquals("ZEROES\nPATTERN\n", check);
        rig.disconnectAndAwaitNoController(NQN);
    }

    @Test
    void shouldShowAndDropANamespaceWhenOurTargetAddsAndRemovesItWhileTheKernelHostIsConnected() throws Exception {
        QemuGuest.ExecResult connect = rig.connect(NQN, "");
        assertEquals(0, connect.exitStatus(), () -> connect.output() + rig.dmesg());
        String device = rig.awaitNamespaceDevice();
        String second = device.substring(0, device.length() - 1) + "2";
        String block = second.substring("/dev/".length());
        try {
            // Namespace Attribute Changed AEN -> the kernel reads the Changed Namespace List and rescans.
            rig.target.addNamespace(NQN, NamespaceConfig.ram(2, 8L << 20, 4096));
            rig.guest.execOk("n=0; while [ ! -b " + second + " ] && [ $n -lt 150 ]; do sleep 0.1; n=$((n + 1));"
                    + " done; [ -b " + second + " ]", OurTargetRig.SHORT);
            assertEquals("16384 4096", rig.guest.execOk("echo $(cat /sys/block/" + block + "/size"
                    + " /sys/block/" + block + "/queue/logical_block_size)", OurTargetRig.SHORT).trim());

            rig.target.removeNamespace(NQN, 2);
            rig.guest.execOk("n=0; while [ -b " + second + " ] && [ $n -lt 150 ]; do sleep 0.1; n=$((n + 1));"
                    + " done; [ ! -b " + second + " ]", OurTargetRig.SHORT);
        } finally {
            if (rig.target.subsystems().contains(NQN)) {
                try {
                    rig.target.removeNamespace(NQN, 2);
                } catch (IllegalArgumentException absent) {
                    // already gone
                }
            }
        }
        rig.disconnectAndAwaitNoController(NQN);
    }

    @Test
    void shouldKeepTheControllerWhenTheKernelHostIdlesForThreeKeepAliveTimeouts() {
        rig.guest.execOk("dmesg -c > /dev/null", OurTargetRig.SHORT);
        // KATO 1 s: the kernel sends Keep Alive every 0.5 s; our target must take it as activity.
        QemuGuest.ExecResult connect = rig.connect(NQN, "--keep-alive-tmo=1");
        assertEquals(0, connect.exitStatus(), () -> connect.output() + rig.dmesg());
        String device = rig.awaitNamespaceDevice();

        rig.guest.execOk("sleep 3", OurTargetRig.SHORT);

        assertEquals(1, rig.target.controllerCount(), () -> rig.dmesg());
        rig.guest.execOk("dd if=" + device + " of=/dev/null bs=4k count=1 iflag=direct", OurTargetRig.SHORT);
        String dmesg = rig.dmesg();
        assertFalse(dmesg.contains("keep-alive") || dmesg.contains("starting error recovery"), dmesg);
        rig.disconnectAndAwaitNoController(NQN);
    }

    @Test
    void shouldServeIoAgainWhenTheKernelHostResetsTheController() {
        rig.guest.execOk("dmesg -c > /dev/null", OurTargetRig.SHORT);
        QemuGuest.ExecResult connect = rig.connect(NQN, "");
        assertEquals(0, connect.exitStatus(), () -> connect.output() + rig.dmesg());
        String device = rig.awaitNamespaceDevice();
        String controller = rig.controllerOf(NQN);

        // CC.EN = 0 (our target closes the I/O queues), the admin queue goes, then a new Connect and CC.EN = 1.
        rig.guest.execOk("echo 1 > /sys/class/nvme/" + controller + "/reset_controller", OurTargetRig.SHORT);
        rig.guest.execOk("n=0; while [ \"$(cat /sys/class/nvme/" + controller + "/state)\" != live ]"
                + " && [ $n -lt 150 ]; do sleep 0.1; n=$((n + 1)); done; cat /sys/class/nvme/" + controller
                + "/state | grep -x live", OurTargetRig.SHORT);

        rig.writeAndReadBackPattern(device);
        String dmesg = rig.dmesg();
        assertFalse(dmesg.contains("failed") || dmesg.contains("timeout"), dmesg);
        rig.awaitTarget("controllers after the reset", rig.target::controllerCount, 1);
        rig.disconnectAndAwaitNoController(NQN);
    }
}
