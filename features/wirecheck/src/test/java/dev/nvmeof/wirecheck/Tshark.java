package dev.nvmeof.wirecheck;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs Debian's {@code tshark} (Wireshark 4.0) over a capture with the NVMe/TCP dissector's header and data digest
 * checks on (they are off by default). tshark exits 0 whether or not a display filter matched, so callers look at
 * the lines it printed. Output and errors go to files beside the capture, so a failed check can be inspected.
 */
final class Tshark {
    private static final long TIMEOUT_SECONDS = 60;
    private static final List<String> DIGEST_CHECKS = List.of(
            "-o", "nvme-tcp.check_hdgst:TRUE",
            "-o", "nvme-tcp.check_ddgst:TRUE");

    private final Path executable;

    private Tshark(Path executable) {
        this.executable = executable;
    }

    /** The {@code tshark} on the PATH, if there is one. */
    static Optional<Tshark> find() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "tshark");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(new Tshark(candidate));
            }
        }
        return Optional.empty();
    }

    /**
     * One summary line per frame that matches the display filter; empty when none does. {@code label} names the
     * output files ({@code <capture>.<label>.out}, {@code .err}).
     */
    List<String> framesMatching(Path pcap, String label, String displayFilter)
            throws IOException, InterruptedException {
        return run(pcap, label, List.of("-Y", displayFilter));
    }

    /**
     * One line per frame: the TCP stream index, then the fields, tab-separated; a field that occurs several times in
     * a frame (several PDUs in one segment) lists every occurrence, comma-separated.
     */
    List<String> fields(Path pcap, String... fields) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("-T", "fields", "-E", "occurrence=a", "-E", "separator=/t",
                "-e", "tcp.stream"));
        for (String field : fields) {
            args.add("-e");
            args.add(field);
        }
        return run(pcap, "fields", args);
    }

    private List<String> run(Path pcap, String purpose, List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(executable.toString(), "-n", "-r", pcap.toString()));
        command.addAll(DIGEST_CHECKS);
        command.addAll(args);
        String base = pcap.getFileName().toString().replaceFirst("\\.pcap$", "") + "." + purpose;
        Path out = pcap.resolveSibling(base + ".out");
        Path err = pcap.resolveSibling(base + ".err");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().put("LC_ALL", "C");
        Process process = builder.start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("tshark did not finish within " + TIMEOUT_SECONDS + " s: " + command);
        }
        if (process.exitValue() != 0) {
            throw new IOException("tshark exited with " + process.exitValue() + ": " + command + "\n"
                    + Files.readString(err, StandardCharsets.UTF_8));
        }
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                lines.add(line.strip());
            }
        }
        return lines;
    }
}
