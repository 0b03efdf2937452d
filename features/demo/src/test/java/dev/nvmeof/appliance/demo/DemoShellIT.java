package dev.nvmeof.appliance.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.nvmeof.testkit.ApplianceProcess;

/**
 * The demo on a terminal: util-linux's {@code script} gives it a pty, so after the job Gogo's shell opens with the
 * demo's target and NICs still up; the commands typed ahead run there and {@code exit} ends it. Without
 * {@code script} it fails: a check that silently does not run proves nothing.
 */
@Timeout(90) // a safety net: the wait below is bounded on its own
class DemoShellIT {
    static final Path SCRIPT = Path.of("/usr/bin/script");
    static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path folder;
    private Process process;

    @AfterEach
    void killLeftovers() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldKeepTheShellOpenAfterTheJobWithItsTargetServingWhenStdinIsATerminal() throws Exception {
        assertTrue(Files.isExecutable(SCRIPT), "util-linux script (Debian bsdutils) gives the demo a terminal");
        int port = ApplianceProcess.freePort();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String demo = java + " -jar " + DemoApplianceIT.JAR.toAbsolutePath() + " -s " + port;
        copyEtc();
        Path out = folder.resolve("pty.txt");
        process = new ProcessBuilder(SCRIPT.toString(), "-qec", demo, "/dev/null").directory(folder.toFile())
                .redirectOutput(out.toFile()).redirectErrorStream(true).start();
        try (OutputStream typed = process.getOutputStream()) {
            typed.write(String.join("\n", "nvme connect -t tcp_offload -a 127.0.0.1 -s " + port + " -n testnqn",
                    "nvme list", "ofld claims -a 127.0.0.1 -s " + port, "lb -s", "exit", "")
                    .getBytes(StandardCharsets.UTF_8));
        }
        assertTrue(process.waitFor(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS), "the shell did not end: "
                + Files.readString(out));
        String pty = Files.readString(out).replace("\r", "");
        assertEquals(0, process.exitValue(), pty);
        assertTrue(pty.contains("data check: wrote 8 MiB at LBA 0 of nvme0n1 and read it back: OK"), pty);
        assertTrue(pty.contains("disconnected nvme0"), pty);
        assertTrue(pty.contains("The demo's stack stays up"), pty);
        // typed in the shell, against the demo's target through its NICs
        assertTrue(pty.lines().anyMatch(l -> l.matches(".*/dev/nvme0n1 +ng0n1 .*nvmeof-offload target .*")), pty);
        assertTrue(pty.contains("=> vortex-V0001 would carry the connection to 127.0.0.1:" + port), pty);
        // The TLS channel of the tcp transport and the target, and the BouncyCastle bundles it imports.
        for (String symbolicName : List.of("dev.nvmeof.tls", "bctls", "bcutil", "bcprov")) {
            assertTrue(pty.lines().anyMatch(l -> l.matches(" *\\d+\\|Active *\\| *\\d+\\|"
                    + symbolicName.replace(".", "\\.") + " \\(.*")), symbolicName + " is not Active:\n" + pty);
        }
    }

    private void copyEtc() throws IOException {
        Files.createDirectories(folder.resolve("etc"));
        for (String file : List.of("log4j2.properties", "jul.properties")) {
            Files.copy(DemoApplianceIT.ETC.resolve(file), folder.resolve("etc").resolve(file),
                    StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
