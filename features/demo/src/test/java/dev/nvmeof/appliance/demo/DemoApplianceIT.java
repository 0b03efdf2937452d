package dev.nvmeof.appliance.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.nvmeof.testkit.ApplianceProcess;

/**
 * The built demo jar as a new user runs it (the README's main job), on a per-test loopback port: its exit status and
 * the lines it promises (the nvme list row, the path and why, the data check).
 */
@Timeout(90) // a safety net: every wait below is bounded on its own
class DemoApplianceIT {
    static final Path JAR = Path.of(System.getProperty("nvmeof.demo.jar", "target/demo.jar"));
    /** The job takes a few seconds; the stack waits up to 20 s for its services before it gives up. */
    static final Duration RUN_TIMEOUT = Duration.ofSeconds(45);
    /** The {@code nvme list} row of the embedded target's 256 MiB namespace. */
    static final String LIST_ROW = "nvme0n1 +\\S+ +nvmeof-offload target +1 +268\\.44 MB / 268\\.44 MB +512 .*";
    private final List<ApplianceProcess> processes = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        processes.forEach(ApplianceProcess::close);
    }

    @Test
    void shouldConnectOverTcpOffloadThroughTheFasterNicAndSayWhyWithNoArgumentsButAPort() throws Exception {
        int port = ApplianceProcess.freePort();
        ApplianceProcess demo = run("-s", String.valueOf(port));
        assertEquals(0, demo.awaitExit(RUN_TIMEOUT), String.join("\n", demo.stdout));
        demo.assertPrinted(l -> l.equals("nvme connect -t tcp_offload -a 127.0.0.1 -s " + port + " -n testnqn"));
        // both NICs route 127.0.0.1 with a /24; the vortex link is faster
        demo.assertPrinted(l -> l.equals("path: tcp_offload via vortex-V0001 from 127.0.0.3: vortex-V0001 won:"
                + " link speed 100 Gb/s (acme-A0001: 25 Gb/s); acme-A0001 lost: link speed 25 Gb/s"
                + " (vortex-V0001: 100 Gb/s)"));
        demo.assertPrinted(l -> l.matches("connected nvme0 to testnqn with ([1-4]) I/O queues"
                + " \\(\\1 default, 0 read, 0 poll\\)"));
        demo.assertPrinted(l -> l.matches(LIST_ROW));
        demo.assertPrinted(l -> l.equals("data check: wrote 8 MiB at LBA 0 of nvme0n1 and read it back: OK"));
        demo.assertPrinted(l -> l.matches("cpu: host [0-9.]+ ms, NIC engine [0-9.]+ ms, target [0-9.]+ ms,"
                + " JVM [0-9.]+ ms")
                && !l.contains("NIC engine 0.0 ms"));
        demo.assertPrinted(l -> l.equals("disconnected nvme0"));
    }

    @Test
    void shouldConnectOverTcpListTheNamespaceAndCheckDataAgainstItsEmbeddedTarget() throws Exception {
        int port = ApplianceProcess.freePort();
        ApplianceProcess demo = run("-t", "tcp", "-s", String.valueOf(port));
        assertEquals(0, demo.awaitExit(RUN_TIMEOUT), String.join("\n", demo.stdout));
        demo.assertPrinted(l -> l.equals("nvme connect -t tcp -a 127.0.0.1 -s " + port + " -n testnqn"));
        demo.assertPrinted(l -> l.startsWith("path: tcp 127.0.0.1:" + port + " from 127.0.0.1:"));
        demo.assertPrinted(l -> l.matches(LIST_ROW));
        demo.assertPrinted(l -> l.equals("data check: wrote 8 MiB at LBA 0 of nvme0n1 and read it back: OK"));
        demo.assertPrinted(l -> l.equals("disconnected nvme0"));
    }

    @Test
    void shouldExitTwoNamingTheArgumentWhenAnArgumentIsBad() throws Exception {
        ApplianceProcess demo = run("-t", "rdma");
        assertEquals(2, demo.awaitExit(RUN_TIMEOUT), String.join("\n", demo.stdout));
        demo.assertPrinted(l -> l.equals("error: -t: transport must be tcp or tcp_offload, was rdma"));
    }

    @Test
    void shouldExitOneSayingWhyWhenTheTargetIsUnreachable() throws Exception {
        int closed = ApplianceProcess.freePort();
        ApplianceProcess demo = run("-t", "tcp", "-a", "127.0.0.1", "-s", String.valueOf(closed));
        assertEquals(1, demo.awaitExit(RUN_TIMEOUT), String.join("\n", demo.stdout));
        demo.assertPrinted(l -> l.startsWith("error: connect failed: ") && l.contains("127.0.0.1:" + closed));
    }

    @Test
    void shouldRefuseToServeItsOwnTargetOnAPortSomethingElseListensOn() throws Exception {
        try (ServerSocket other = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ApplianceProcess demo = run("-s", String.valueOf(other.getLocalPort()));
            assertEquals(1, demo.awaitExit(RUN_TIMEOUT), String.join("\n", demo.stdout));
            demo.assertPrinted(l -> l.equals("error: 127.0.0.1:" + other.getLocalPort() + " is in use (another"
                    + " target?): stop it, pick another port with -s, or point the demo at it with -a 127.0.0.1 -s "
                    + other.getLocalPort()));
        }
    }

    private ApplianceProcess run(String... args) throws IOException {
        ApplianceProcess p = ApplianceProcess.start(JAR, args);
        processes.add(p);
        return p;
    }
}
