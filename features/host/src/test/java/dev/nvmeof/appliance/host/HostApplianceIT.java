package dev.nvmeof.appliance.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.nvmeof.testkit.ApplianceProcess;

/**
 * The built host.jar as a process in a folder of its own (etc/ with the shipped defaults, deploy/, log/): commands on
 * stdin, exit status, what reaches the console and the log file, and hot deploy through deploy/.
 */
@Timeout(60) // a safety net: every wait below is bounded on its own
class HostApplianceIT {
    static final Path JAR = Path.of(System.getProperty("nvmeof.host.jar", "target/host.jar"));
    static final Path DEFAULTS = Path.of(System.getProperty("nvmeof.host.defaults", "src/main/appliance"));
    static final Path DROP_JAR = Path.of(System.getProperty("nvmeof.drop.jar", "missing-drop.jar"));
    static final Duration RUN_TIMEOUT = Duration.ofSeconds(30);
    /** Short, so the unknown-command test does not wait the default 30 s for a command that never comes. */
    static final List<String> JVM = List.of("-Dnvmeof.console.command.wait=2");
    /** A log record as the console shows it: LEVEL logger: message. */
    static final String RECORD = "(TRACE|DEBUG|INFO|WARN|ERROR) \\S+: .*";

    @TempDir
    Path folder;
    private final List<ApplianceProcess> processes = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        processes.forEach(ApplianceProcess::close);
    }

    @Test
    void shouldRunEveryCommandOfItsInputAndExitZeroWithOnlyTheirOutputOnTheConsole() throws Exception {
        ApplianceProcess host = start();
        host.send("# the stack's bundles and components", "", "lb", "lb -s", "scr:list");
        host.endInput();
        assertEquals(0, host.awaitExit(RUN_TIMEOUT), all(host));
        host.assertPrinted(l -> l.matches(" *\\d+\\|Active *\\| *\\d+\\|NVMe host core .*"));
        // The tcp transport's TLS channel and the BouncyCastle bundles it imports are part of the appliance.
        for (String symbolicName : List.of("dev.nvmeof.tls", "bctls", "bcutil", "bcprov")) {
            host.assertPrinted(l -> l.matches(" *\\d+\\|Active *\\| *\\d+\\|" + symbolicName.replace(".", "\\.")
                    + " \\(.*"));
        }
        host.assertPrinted(l -> l.contains("NicFunctionComponent") || l.contains("function~p1"));
        assertTrue(host.stderr.isEmpty(), "nothing on stderr without -v: " + host.stderr);
        assertTrue(host.stdout.stream().noneMatch(l -> l.matches(RECORD)), all(host));
    }

    @Test
    void shouldExitNonZeroNamingTheFirstLineThatFailsAndRunNothingAfterIt() throws Exception {
        ApplianceProcess host = start();
        host.send("lb", "nosuch -n x", "scr:list");
        host.endInput();
        assertEquals(1, host.awaitExit(RUN_TIMEOUT), all(host));
        assertEquals(List.of("error: nosuch -n x: no command 'nosuch' (none registered within 2 s)"), host.stderr);
        assertTrue(host.stdout.stream().noneMatch(l -> l.contains("ComponentFunction")), all(host));
    }

    @Test
    void shouldExitTwoNamingABadArgument() throws Exception {
        ApplianceProcess host = start("--bogus");
        host.endInput();
        assertEquals(2, host.awaitExit(RUN_TIMEOUT), all(host));
        assertEquals(List.of("error: unknown argument '--bogus' (the appliance takes -v or -vv; commands go on stdin)"),
                host.stderr);
    }

    @Test
    void shouldWriteOneLineRecordsToItsLogFileAndShowInfoRecordsOnTheConsoleOnlyWithV() throws Exception {
        ApplianceProcess quiet = start();
        quiet.send("lb");
        quiet.endInput();
        assertEquals(0, quiet.awaitExit(RUN_TIMEOUT), all(quiet));
        List<String> log = Files.readAllLines(folder.resolve("log/host.log"));
        assertTrue(log.stream().anyMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  "
                + "dev\\.nvmeof\\.nic\\.emulated\\.internal\\.ds\\.NicFunctionComponent: NIC function A0001 .*")),
                String.join("\n", log));
        assertTrue(log.stream().allMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} "
                + "(TRACE|DEBUG|INFO |WARN |ERROR) \\S+: .*")), "one line per record:\n" + String.join("\n", log));
        assertTrue(quiet.stderr.isEmpty(), "no INFO records on the console: " + quiet.stderr);

        ApplianceProcess verbose = start("-v");
        verbose.send("lb");
        verbose.endInput();
        assertEquals(0, verbose.awaitExit(RUN_TIMEOUT), all(verbose));
        assertTrue(verbose.stderr.stream().anyMatch(l -> l.matches("INFO dev\\.nvmeof\\.nic\\.emulated\\.internal"
                + "\\.ds\\.NicFunctionComponent: NIC function A0001 .*")), all(verbose));
        assertTrue(verbose.stderr.stream().allMatch(l -> l.matches(RECORD)), all(verbose));
        assertTrue(verbose.stdout.stream().noneMatch(l -> l.contains("WARN") || l.matches(RECORD)), all(verbose));
    }

    @Test
    void shouldInstallAndStartABundleDroppedIntoDeployAndUninstallItWhenRemoved() throws Exception {
        ApplianceProcess host = start("-v"); // FileInstall's INFO records say when it is done
        host.send("lb"); // once it answers, the appliance has started and -v is in force
        host.awaitLine(host.stdout, 0, l -> l.startsWith("START LEVEL"), RUN_TIMEOUT);
        Path dropped = folder.resolve("deploy").resolve(DROP_JAR.getFileName());
        Files.copy(DROP_JAR, dropped);
        int started = host.awaitLine(host.stderr, 0, l -> l.contains("Started bundle: ")
                && l.contains(DROP_JAR.getFileName().toString()), RUN_TIMEOUT);
        host.send("lb");
        host.awaitLine(host.stdout, 0, l -> l.matches(" *\\d+\\|Active *\\|.*Zenith.*"), RUN_TIMEOUT);

        Files.delete(dropped);
        host.awaitLine(host.stderr, started, l -> l.matches(".*Uninstalling bundle \\d+ \\(dev\\.nvmeof\\.driver\\"
                + ".zenith\\).*"), RUN_TIMEOUT);
        // Its component stopped: the bundle is gone. (No lb here: Gogo's lb fails with "Bundle is uninstalled" when
        // it lists while FileInstall is still uninstalling and refreshing; HostSessionIT shows the device leave.)
        host.awaitLine(host.stderr, started, l -> l.contains("zenith driver stopped"), RUN_TIMEOUT);
        host.endInput();
        assertEquals(0, host.awaitExit(RUN_TIMEOUT), all(host));
    }

    /**
     * On a terminal (util-linux {@code script} gives it one) the appliance prompts, runs each line, reports a failing
     * one and goes on, and leaves on {@code exit} with status 0.
     */
    @Test
    void shouldPromptAndCarryOnAfterAnErrorWhenStdinIsATerminal() throws Exception {
        copyDefaults();
        Path input = Files.writeString(folder.resolve("typed.txt"), "nvme list\nnvme conect\nofld drivers\nexit\n");
        Process process = new ProcessBuilder("script", "-qec", "java -jar " + JAR.toAbsolutePath(), "/dev/null")
                .directory(folder.toFile()).redirectInput(input.toFile()).redirectErrorStream(true)
                .redirectOutput(folder.resolve("terminal.txt").toFile()).start();
        boolean exited = process.waitFor(RUN_TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly();
        }
        String terminal = Files.readString(folder.resolve("terminal.txt")).replace("\r", "");
        assertTrue(exited, "still running:\n" + terminal);
        assertEquals(0, process.exitValue(), terminal);
        assertTrue(terminal.contains("g! Node "), terminal);
        assertTrue(terminal.contains("g! error: nvme: unknown command 'conect' (try: nvme help)"), terminal);
        assertTrue(terminal.contains("acme-A0001"), "the line after the error ran:\n" + terminal);
    }

    private ApplianceProcess start(String... args) throws IOException {
        copyDefaults();
        ApplianceProcess p = ApplianceProcess.start(folder, JVM, JAR.toAbsolutePath(), args);
        processes.add(p);
        return p;
    }

    /** etc/ as shipped, an empty deploy/ and no log/ yet. */
    private void copyDefaults() throws IOException {
        Files.createDirectories(folder.resolve("etc"));
        Files.createDirectories(folder.resolve("deploy"));
        try (Stream<Path> files = Files.list(DEFAULTS.resolve("etc"))) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path copy = folder.resolve("etc").resolve(file.getFileName());
                if (!Files.exists(copy)) {
                    Files.copy(file, copy);
                }
            }
        }
    }

    private static String all(ApplianceProcess p) {
        return "stdout:\n" + String.join("\n", p.stdout) + "\nstderr:\n" + String.join("\n", p.stderr);
    }
}
