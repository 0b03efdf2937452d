package dev.nvmeof.appliance.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.nvmeof.testkit.ApplianceProcess;

/**
 * What an operator scripts: a session piped into the host appliance against the target appliance, both as
 * processes. Addresses, claims, a tcp_offload connect with digests, I/O through data files, an injected NIC fault
 * the controller recovers from, disconnect; and a bad line that stops the session with a non-zero status.
 */
@Timeout(120) // a safety net: every wait below is bounded on its own
class HostSessionIT {
    static final Path TARGET_JAR = Path.of(System.getProperty("nvmeof.target.jar", "missing-target.jar"));
    static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);
    static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path folder;
    private final List<ApplianceProcess> processes = new ArrayList<>();
    private int port;

    @BeforeEach
    void startTarget() throws Exception {
        Path targetHome = Files.createDirectories(folder.resolve("target-home")); // its log/target.log
        ApplianceProcess target = ApplianceProcess.start(targetHome, List.of(), TARGET_JAR.toAbsolutePath(),
                "--listen", "127.0.0.1:0", "--nqn", "testnqn", "--ram-namespace", "64M");
        processes.add(target);
        target.awaitReady();
        port = target.stdout.stream().map(LISTENING::matcher).filter(Matcher::find).findFirst()
                .map(m -> Integer.parseInt(m.group(1))).orElseThrow(() -> new AssertionError(target.stdout));
    }

    @AfterEach
    void stop() {
        processes.forEach(ApplianceProcess::close);
    }

    @Test
    void shouldRunAWholeOffloadSessionFromStdinAndExitZero() throws Exception {
        byte[] data = new byte[64 * 512];
        new Random(42).nextBytes(data);
        Files.write(folder.resolve("in.bin"), data);
        ApplianceProcess host = startHost();
        host.send("ip addr add 127.0.0.4/24 dev p1p1",
                "ip addr show dev p1p1",
                "ofld claims -a 127.0.0.1 -s " + port + " -g -G",
                "nvme connect -t tcp_offload -a 127.0.0.1 -s " + port + " -n testnqn -g -G --reconnect-delay 1",
                "nvme list",
                "nvme write /dev/nvme0n1 --start-block 0 --block-count 63 --data in.bin",
                "nvme read /dev/nvme0n1 --start-block 0 --block-count 63 --data out.bin",
                "# the winning device's connections reset: the read waits for recovery, then succeeds",
                "nic fault p2p1 reset",
                "nvme read /dev/nvme0n1 -s 0 -c 63 -d after-fault.bin",
                "nvme list-subsys -v",
                "nvme disconnect-all",
                "nvme list");
        host.endInput();

        assertEquals(0, host.awaitExit(RUN_TIMEOUT), all(host));
        // The fault is the only thing worth a warning: one line on stderr, like every console record.
        assertTrue(host.stderr.stream().allMatch(l -> l.startsWith("WARN dev.nvmeof.host: nvme0: error recovery: ")
                && l.contains("(injected on p2p1)")), all(host));
        host.assertPrinted(l -> l.equals("    inet 127.0.0.4/24 scope global p1p1"));
        host.assertPrinted(l -> l.equals("=> vortex-V0001 would carry the connection to 127.0.0.1:" + port
                + " from 127.0.0.3"));
        host.assertPrinted(l -> l.equals("connecting to device: nvme0"));
        host.assertPrinted(l -> l.startsWith("/dev/nvme0n1 "));
        host.assertPrinted(l -> l.matches("fault reset: \\d+ queue pairs? of p2p1 reset"));
        host.assertPrinted(l -> l.startsWith(" +- nvme0 tcp_offload traddr=127.0.0.1,trsvcid=" + port) && l.endsWith(
                " live"));
        host.assertPrinted(l -> l.contains("last failure: ") && l.contains("TRANSPORT_ERROR"));
        assertArrayEquals(data, Files.readAllBytes(folder.resolve("out.bin")));
        assertArrayEquals(data, Files.readAllBytes(folder.resolve("after-fault.bin")));
        assertEquals(1, host.stdout.stream().filter(l -> l.startsWith("/dev/nvme0n1 ")).count(),
                "listed once, then gone after disconnect-all: " + all(host));
    }

    @Test
    void shouldStopAtABadLineNamingItAndRunNothingAfter() throws Exception {
        ApplianceProcess host = startHost();
        host.send("ofld drivers",
                "nvme connect -t tcp_offload -a 127.0.0.1 -s " + port + " --bogus",
                "nvme connect -t tcp -a 127.0.0.1 -s " + port + " -n testnqn");
        host.endInput();

        assertEquals(1, host.awaitExit(RUN_TIMEOUT), all(host));
        assertEquals(List.of("error: nvme connect -t tcp_offload -a 127.0.0.1 -s " + port
                + " --bogus: unknown option '--bogus'"), host.stderr);
        assertTrue(host.stdout.stream().noneMatch(l -> l.startsWith("connecting to device")), all(host));
    }

    /**
     * A driver jar dropped into deploy/ of the running appliance: its device claims (a NIC function for it is in
     * etc/ already) and wins, carries a controller, and when the jar is removed the controller fails over to the
     * next claim with no error to the operator: the next read succeeds.
     */
    @Test
    void shouldTakeADroppedDriverIntoTheClaimsAndFailOverWhenItIsRemoved() throws Exception {
        Files.createDirectories(folder.resolve("etc"));
        Files.writeString(folder.resolve("etc/dev.nvmeof.nic.emulated.function-z.cfg"), String.join("\n",
                "vendor.id = 0x5a17", "device.id = 0x0300", "serial = Z0001", "slot = 3", "ports = 1",
                "link.speed.mbps = 400000", "hardware.vectors = 8", "max.io.size = 1048576", "max.segments = 256",
                "polling = false", "addresses = p3p1 127.0.0.5/24", ""));
        ApplianceProcess host = startHost("-v"); // the ULP's INFO records say when a driver came and went
        host.send("ofld drivers");
        int listed = host.awaitLine(host.stdout, 0, l -> l.startsWith("acme-A0001"), RUN_TIMEOUT);
        assertTrue(host.stdout.stream().noneMatch(l -> l.startsWith("zenith")), all(host));

        Path dropped = folder.resolve("deploy").resolve(HostApplianceIT.DROP_JAR.getFileName());
        Files.copy(HostApplianceIT.DROP_JAR, dropped);
        host.awaitLine(host.stderr, 0, l -> l.contains("offload driver zenith-Z0001 added"), RUN_TIMEOUT);
        host.send("ofld drivers");
        host.awaitLine(host.stdout, listed + 1, l -> l.startsWith("zenith-Z0001"), RUN_TIMEOUT);
        host.send("nvme connect -t tcp_offload -a 127.0.0.1 -s " + port + " -n testnqn --reconnect-delay 1 -v");
        host.awaitLine(host.stdout, 0, l -> l.startsWith("path: tcp_offload via zenith-Z0001"), RUN_TIMEOUT);
        host.send("ofld queues");
        int queues = host.awaitLine(host.stdout, 0, l -> l.startsWith("zenith-Z0001") && l.contains("testnqn"),
                RUN_TIMEOUT);

        int before = host.stderr.size();
        Files.delete(dropped);
        host.awaitLine(host.stderr, before, l -> l.contains("removed; its queues are drained"), RUN_TIMEOUT);
        host.send("nvme read /dev/nvme0n1 -c 7 -d after-failover.bin", "nvme list-subsys -v");
        host.awaitLine(host.stdout, queues, l -> l.equals("read: Success"), RUN_TIMEOUT);
        host.awaitLine(host.stdout, queues, l -> l.contains("path: tcp_offload via vortex-V0001"), RUN_TIMEOUT);
        host.endInput();

        assertEquals(0, host.awaitExit(RUN_TIMEOUT), all(host));
        assertTrue(host.stderr.stream().noneMatch(l -> l.startsWith("ERROR") || l.startsWith("error:")), all(host));
        assertEquals(8 * 512, Files.size(folder.resolve("after-failover.bin")));
    }

    private ApplianceProcess startHost(String... args) throws IOException {
        Files.createDirectories(folder.resolve("etc"));
        Files.createDirectories(folder.resolve("deploy"));
        try (Stream<Path> files = Files.list(HostApplianceIT.DEFAULTS.resolve("etc"))) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.copy(file, folder.resolve("etc").resolve(file.getFileName()));
            }
        }
        ApplianceProcess host = ApplianceProcess.start(folder, List.of(), HostApplianceIT.JAR.toAbsolutePath(),
                args);
        processes.add(host);
        return host;
    }

    private static String all(ApplianceProcess p) {
        return "stdout:\n" + String.join("\n", p.stdout) + "\nstderr:\n" + String.join("\n", p.stderr);
    }
}
