package dev.nvmeof.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nvmeof.testkit.ApplianceProcess;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The demo appliance pointed at the Linux kernel target, as a user would run it ({@code bin/demo -t ... -a ... -s ...
 * -n ...}): it connects, lists, checks 8 MiB, restores what it overwrote and exits 0, over both transports. The blocks
 * it touched read back as they were (a marker written first through the guest's own block device).
 */
@Tag("interop")
@ExtendWith(InteropExtension.class)
class DemoKernelTargetTest {
    private static final String NQN = "nqn.2024-01.dev.nvmeof:interop-demo";
    private static final Path JAR = Path.of(System.getProperty("nvmeof.demo.jar", "../demo/target/demo.jar"));
    private static final Duration SHORT = Duration.ofSeconds(30);
    private static final Duration RUN = Duration.ofSeconds(90);

    private static QemuGuest guest;
    /** sha256 of the random first 8 MiB the guest wrote before the target served them. */
    private static String before;

    @BeforeAll
    static void bootGuestWithKernelTarget() {
        guest = QemuGuest.builder().name("demo-kernel-target").cpus(2).ramDiskKiB(16 * 1024).kernelTarget().start();
        guest.execOk("dd if=/dev/urandom of=/dev/ram0 bs=1M count=8 conv=fsync 2>/dev/null", SHORT);
        before = guest.execOk("head -c 8388608 /dev/ram0 | sha256sum", SHORT);
        guest.execOk(KernelTarget.setUp(NQN, "/dev/ram0"), SHORT);
    }

    @AfterAll
    static void stopGuest() {
        if (guest != null) {
            guest.close();
        }
    }

    @ParameterizedTest(name = "-t {0}")
    @ValueSource(strings = {"tcp_offload", "tcp"})
    void shouldRunTheDemoJobAgainstTheKernelTargetAndLeaveItsDataAsItWas(String transport) throws Exception {
        try (ApplianceProcess demo = ApplianceProcess.start(JAR, "--perf", "0", "-t", transport, "-a", "127.0.0.1", "-s",
                String.valueOf(guest.hostPort()), "-n", NQN)) {
            assertEquals(0, demo.awaitExit(RUN), String.join("\n", demo.stdout));
            demo.assertPrinted(l -> l.startsWith("path: " + transport + " "));
            demo.assertPrinted(l -> l.matches("nvme0n1 +\\S+ +Linux +1 +16\\.78 MB / 16\\.78 MB +512 .*"));
            demo.assertPrinted(l -> l.equals("data check: wrote 8 MiB at LBA 0 of nvme0n1 and read it back: OK"));
            demo.assertPrinted(l -> l.equals("restored the 8 MiB the check overwrote"));
            demo.assertPrinted(l -> l.equals("disconnected nvme0"));
        }
        OurHost.assertGuestConnections(guest, 0);
        assertEquals(before, guest.execOk("head -c 8388608 /dev/ram0 | sha256sum", SHORT),
                "the first 8 MiB of the kernel's namespace are as they were");
    }
}
