package dev.nvmeof.appliance.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.nvmeof.testkit.ApplianceProcess;

/**
 * The built demo jar as a new user runs it (the README's main job), in a folder of its own (etc/ as built, log/) on a
 * per-test loopback port: its exit status, the lines it promises (the nvme list row, the path and why, the data
 * check) and nothing else on the console: its log records go to log/demo.log, one line each. With a terminal (a pty
 * from util-linux's {@code script}) the shell stays open after the job.
 */
@Timeout(90) // a safety net: every wait below is bounded on its own
class DemoApplianceIT {
    static final Path JAR = Path.of(System.getProperty("nvmeof.demo.jar", "target/demo.jar"));
    /** The job takes a few seconds; the stack waits up to 20 s for its services before it gives up. */
    static final Duration RUN_TIMEOUT = Duration.ofSeconds(45);
    /** The {@code nvme list} row of the embedded target's 256 MiB namespace. */
    static final String LIST_ROW = "nvme0n1 +\\S+ +nvmeof-offload target +1 +268\\.44 MB / 268\\.44 MB +512 .*";
    static final Path ETC = Path.of(System.getProperty("nvmeof.demo.etc", "target/demo/etc"));
    /** A log record as the console would show it, or as log/demo.log has it. */
    static final String CONSOLE_RECORD = "(TRACE|DEBUG|INFO|WARN|ERROR) \\S+: .*";
    static final String FILE_RECORD = "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}"
            + " (TRACE|DEBUG|INFO |WARN |ERROR) \\S+: .*";
    @TempDir
    Path folder;
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
        // The perf comparison: both transports, side by side, with the host's and the NIC engine's CPU per I/O.
        demo.assertPrinted(l -> l.equals("nvme perf --rw randread --bs 4k --iodepth 32 --runtime 2s, on each"
                + " transport:"));
        demo.assertPrinted(l -> l.matches("tcp +[0-9.]+k +[0-9.]+ +\\d+ us +\\d+ us +[0-9.]+ us +0\\.0 us"));
        demo.assertPrinted(l -> l.matches("tcp_offload +[0-9.]+k +[0-9.]+ +\\d+ us +\\d+ us +[0-9.]+ us +[0-9.]+ us")
                && !l.endsWith(" 0.0 us"));
        assertOnlyItsOwnLinesOnTheConsole(demo);
    }

    @Test
    void shouldWriteItsLogRecordsToLogDemoLogOneLineEach() throws Exception {
        ApplianceProcess demo = run("--perf", "0", "-t", "tcp", "-s", String.valueOf(ApplianceProcess.freePort()),
                "--size", "64K");
        assertEquals(0, demo.awaitExit(RUN_TIMEOUT), String.join("\n", demo.stdout));
        assertOnlyItsOwnLinesOnTheConsole(demo);
        List<String> log = Files.readAllLines(folder.resolve("log/demo.log"));
        String all = String.join("\n", log);
        assertTrue(log.stream().anyMatch(l -> l.matches("\\S+ \\S+ INFO  dev\\.nvmeof\\.target\\.internal\\.ds"
                + "\\.TargetComponent: NVMe/TCP target listening on .*")), all);
        assertTrue(log.stream().anyMatch(l -> l.endsWith("DemoComponent: the demo job ended with status 0; handing"
                + " over to the console")), all);
        assertTrue(log.stream().allMatch(l -> l.matches(FILE_RECORD)), "one line per record:\n" + all);
    }

    @Test
    void shouldShowInfoRecordsOnStderrWithV() throws Exception {
        ApplianceProcess demo = run("-v", "--perf", "0", "-t", "tcp", "-s",
                String.valueOf(ApplianceProcess.freePort()), "--size", "64K");
        assertEquals(0, demo.awaitExit(RUN_TIMEOUT), String.join("\n", demo.stdout));
        // -v takes effect once the framework runs (the records of the first moments may miss the console)
        assertTrue(demo.stderr.contains("INFO dev.nvmeof.demo.internal.ds.DemoComponent: the demo job ended with"
                + " status 0; handing over to the console"), String.join("\n", demo.stderr));
        assertTrue(demo.stderr.stream().allMatch(l -> l.matches(CONSOLE_RECORD)), String.join("\n", demo.stderr));
        assertTrue(demo.stdout.stream().noneMatch(l -> l.matches(CONSOLE_RECORD)), String.join("\n", demo.stdout));
    }

    @Test
    void shouldConnectOverTcpListTheNamespaceAndCheckDataAgainstItsEmbeddedTarget() throws Exception {
        int port = ApplianceProcess.freePort();
        ApplianceProcess demo = run("--perf", "0", "-t", "tcp", "-s", String.valueOf(port));
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
        assertOnlyItsOwnLinesOnTheConsole(demo);
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
        copyEtc();
        ApplianceProcess p = ApplianceProcess.start(folder, List.of(), JAR.toAbsolutePath(), args);
        processes.add(p);
        return p;
    }

    /** The demo's logging configuration as built (the host appliance's); no log/ yet. */
    private void copyEtc() throws IOException {
        Files.createDirectories(folder.resolve("etc"));
        for (String file : List.of("log4j2.properties", "jul.properties")) {
            Files.copy(ETC.resolve(file), folder.resolve("etc").resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Nothing on stderr, no log record on stdout. */
    private static void assertOnlyItsOwnLinesOnTheConsole(ApplianceProcess demo) {
        assertEquals(List.of(), demo.stderr, "stderr");
        assertTrue(demo.stdout.stream().noneMatch(l -> l.matches(CONSOLE_RECORD) || l.matches(FILE_RECORD)
                || l.contains("\u001b")), String.join("\n", demo.stdout));
    }
}
