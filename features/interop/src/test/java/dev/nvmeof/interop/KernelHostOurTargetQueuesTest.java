package dev.nvmeof.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nvmeof.target.NamespaceConfig;
import dev.nvmeof.target.SubsystemConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Linux kernel host in a four-CPU guest asks our target for four I/O queues (Set Features Number of Queues, then
 * one Connect per queue, each its own TCP connection): the negotiated count is checked on both sides, and every
 * queue carries I/O (one O_DIRECT reader pinned to each CPU).
 */
@Tag("interop")
@ExtendWith(InteropExtension.class)
class KernelHostOurTargetQueuesTest {
    static final String NQN = "testnqn";
    static final int CPUS = 4;

    private static OurTargetRig rig;

    @BeforeAll
    static void startTargetAndFourCpuGuest() throws Exception {
        rig = OurTargetRig.start("kernel-host-our-target-queues", CPUS,
                SubsystemConfig.of(NQN, NamespaceConfig.ram(1, 64L << 20, 512)));
    }

    @AfterAll
    static void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    void shouldGrantFourIoQueuesWhenAFourCpuKernelHostAsksForFour() {
        rig.guest.execOk("dmesg -c > /dev/null", OurTargetRig.SHORT);

        QemuGuest.ExecResult connect = rig.connect(NQN, "--nr-io-queues=" + CPUS);
        assertEquals(0, connect.exitStatus(), () -> connect.output() + rig.dmesg());
        String device = rig.awaitNamespaceDevice();

        String dmesg = rig.dmesg();
        assertTrue(dmesg.contains("creating " + CPUS + " I/O queues."), dmesg);
        assertTrue(dmesg.contains("mapped " + CPUS + "/0/0 default/read/poll queues."), dmesg);
        // One TCP connection per queue: the admin queue and four I/O queues.
        rig.awaitTarget("connections (admin + I/O queues)", rig.target::connectionCount, 1 + CPUS);
        assertEquals(1, rig.target.controllerCount());
        String hardwareQueues = rig.guest.execOk("ls -d /sys/block/nvme*/mq/* | wc -l", OurTargetRig.SHORT).trim();
        assertEquals(Integer.toString(CPUS), hardwareQueues, "blk-mq hardware queues of the namespace's path");

        rig.writeAndReadBackPattern(device);
        // A reader on each CPU: blk-mq maps each CPU to its own I/O queue, so all four carry Reads.
        rig.guest.execOk("for cpu in 0 1 2 3; do taskset -c $cpu dd if=" + device + " of=/tmp/r$cpu bs=128k"
                + " count=8 skip=$((cpu * 8)) iflag=direct 2>/dev/null & done; wait", OurTargetRig.DATA);
        assertEquals("", rig.guest.execOk("for cpu in 0 1 2 3; do dd if=/tmp/p of=/tmp/e$cpu bs=128k count=8"
                + " skip=$((cpu * 8)) 2>/dev/null && cmp /tmp/e$cpu /tmp/r$cpu || echo \"CPU $cpu differs\"; done",
                OurTargetRig.SHORT));
        dmesg = rig.dmesg();
        assertTrue(!dmesg.contains("timeout") && !dmesg.contains("error recovery"), dmesg);

        rig.disconnectAndAwaitNoController(NQN);
        rig.awaitTarget("connections", rig.target::connectionCount, 0);
    }
}
