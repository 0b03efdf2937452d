package dev.nvmeof.interop;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code dumpcap} on the loopback interface for one TCP port, then {@code tshark} over the file with the NVMe/TCP
 * dissector on that port and its digest checks on (INTEROP.md, "Wire checking with tshark"). Every wait is bounded.
 */
final class LoopbackCapture implements AutoCloseable {
    private static final long TIMEOUT_SECONDS = 30;

    private final Process dumpcap;
    private final Path file;
    private final int port;
    private final DatagramSocket markers;

    private LoopbackCapture(Process dumpcap, Path file, int port, DatagramSocket markers) {
        this.dumpcap = dumpcap;
        this.file = file;
        this.port = port;
        this.markers = markers;
    }

    /** Both tools on the PATH, or empty. */
    static Optional<Path> tool(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    static boolean available() {
        return tool("dumpcap").isPresent() && tool("tshark").isPresent();
    }

    /**
     * Starts capturing and returns once a marker datagram (to a UDP port of ours, also captured) is in the file:
     * dumpcap says "Capturing on" before it captures, and writes packets some 0.5 s after they passed.
     */
    static LoopbackCapture start(Path file, int port) throws IOException, InterruptedException {
        Files.createDirectories(file.getParent());
        DatagramSocket markers = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Process process = new ProcessBuilder("dumpcap", "-q", "-i", "lo", "-f", "tcp port " + port + " or udp port "
                + markers.getLocalPort(), "-w", file.toString()).redirectErrorStream(true).start();
        CompletableFuture<Boolean> capturing = new CompletableFuture<>();
        Thread drain = new Thread(() -> { // reads dumpcap's output to its end: closing the pipe would kill it
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null;) {
                    if (line.contains("Capturing on")) {
                        capturing.complete(true);
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
            capturing.complete(false);
        }, "dumpcap-output");
        drain.setDaemon(true);
        drain.start();
        try {
            if (!capturing.get(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                markers.close();
                throw new IOException("dumpcap did not start capturing");
            }
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            process.destroyForcibly();
            markers.close();
            throw new IOException("dumpcap did not start capturing", e);
        }
        LoopbackCapture capture = new LoopbackCapture(process, file, port, markers);
        try {
            capture.mark("capture-started");
        } catch (IOException | RuntimeException e) {
            process.destroyForcibly();
            markers.close();
            throw e;
        }
        return capture;
    }

    /** Sends a marker datagram and waits (bounded) until dumpcap has written it: everything before it is written. */
    void mark(String name) throws IOException {
        byte[] marker = (name + "-" + System.nanoTime()).getBytes(StandardCharsets.US_ASCII);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        for (int round = 0; !(Files.exists(file) && contains(Files.readAllBytes(file), marker)); round++) {
            if (System.nanoTime() - deadline > 0 || !dumpcap.isAlive()) {
                throw new IOException("dumpcap did not write the marker " + name);
            }
            if (round % 10 == 0) { // again every 200 ms: the first may have passed before capturing began
                markers.send(new DatagramPacket(marker, marker.length, markers.getLocalSocketAddress()));
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    private static boolean contains(byte[] data, byte[] part) {
        outer:
        for (int i = 0; i + part.length <= data.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (data[i + j] != part[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** Reads a finished capture. */
    static LoopbackCapture reader(Path file, int port) {
        return new LoopbackCapture(null, file, port, null);
    }

    /** Waits until everything captured so far is written, then stops dumpcap with SIGINT and waits for it. */
    @Override
    public void close() throws IOException, InterruptedException {
        if (dumpcap == null || !dumpcap.isAlive()) {
            return;
        }
        try {
            mark("capture-end");
        } finally {
            markers.close();
        }
        new ProcessBuilder("kill", "-INT", Long.toString(dumpcap.pid())).start().waitFor(10, TimeUnit.SECONDS);
        if (!dumpcap.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            dumpcap.destroyForcibly();
            throw new IOException("dumpcap did not stop");
        }
    }

    /** The lines tshark prints for {@code args} over the capture (empty lines dropped). */
    List<String> tshark(String label, String... args) throws IOException, InterruptedException {
        return tsharkAs("nvme-tcp", label, args);
    }

    /**
     * The lines tshark prints for {@code args} with the port decoded as {@code protocol} ({@code nvme-tcp},
     * {@code tls}, ...; the NVMe/TCP digest checks are on whichever it is).
     */
    List<String> tsharkAs(String protocol, String label, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tshark", "-n", "-r", file.toString(), "-d",
                "tcp.port==" + port + "," + protocol, "-o", "nvme-tcp.check_hdgst:TRUE", "-o",
                "nvme-tcp.check_ddgst:TRUE"));
        command.addAll(List.of(args));
        Path out = file.resolveSibling(file.getFileName() + "." + label + ".out");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile())
                .redirectError(file.resolveSibling(file.getFileName() + "." + label + ".err").toFile());
        builder.environment().put("LC_ALL", "C");
        Process process = builder.start();
        if (!process.waitFor(TIMEOUT_SECONDS * 2, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("tshark did not finish: " + command);
        }
        if (process.exitValue() != 0) {
            throw new IOException("tshark exited with " + process.exitValue() + ": " + command);
        }
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                lines.add(line.strip());
            }
        }
        return lines;
    }

    /** A display filter for the TCP streams whose opening SYN is in the capture (their PDUs decode from the start). */
    String completeStreams() throws IOException, InterruptedException {
        List<String> streams = tshark("syn", "-Y", "tcp.flags.syn == 1 && tcp.flags.ack == 0", "-T", "fields", "-e",
                "tcp.stream");
        if (streams.isEmpty()) {
            throw new IOException("no complete TCP stream in " + file);
        }
        return "tcp.stream in {" + String.join(", ", streams) + "}";
    }

    /** The bytes one side sent on one TCP stream, in sequence order. */
    record Direction(int stream, int sourcePort, byte[] bytes) {
        @Override
        public String toString() {
            return "stream " + stream + " from port " + sourcePort + " (" + bytes.length + " bytes)";
        }
    }

    /**
     * Every TCP payload on the port, reassembled per stream and direction by sequence number (retransmitted
     * bytes taken once; a gap, which loopback should never show, fails). tshark gives the payloads whatever
     * dissector the port is decoded with.
     */
    List<Direction> directions() throws IOException, InterruptedException {
        record Segment(long seq, byte[] payload) {
        }
        Map<String, List<Segment>> segments = new LinkedHashMap<>();
        for (String line : tsharkAs("data", "payloads", "-Y", "tcp.len > 0", "-T", "fields", "-E",
                "separator=/t", "-e", "tcp.stream", "-e", "tcp.srcport", "-e", "tcp.seq", "-e", "tcp.payload")) {
            String[] f = line.split("\t");
            if (f.length != 4) {
                throw new IOException("unexpected tshark line: " + line);
            }
            segments.computeIfAbsent(f[0] + " " + f[1], k -> new ArrayList<>())
                    .add(new Segment(Long.parseLong(f[2]), HexFormat.of().parseHex(f[3].replace(":", ""))));
        }
        List<Direction> directions = new ArrayList<>();
        for (var entry : segments.entrySet()) {
            List<Segment> list = new ArrayList<>(entry.getValue());
            list.sort(Comparator.comparingLong(Segment::seq));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            long next = list.get(0).seq();
            for (Segment segment : list) {
                long end = segment.seq() + segment.payload().length;
                if (segment.seq() > next) {
                    throw new IOException("a gap in " + entry.getKey() + " at relative sequence " + next);
                }
                if (end > next) {
                    int skip = (int) (next - segment.seq());
                    bytes.write(segment.payload(), skip, segment.payload().length - skip);
                    next = end;
                }
            }
            String[] key = entry.getKey().split(" ");
            directions.add(new Direction(Integer.parseInt(key[0]), Integer.parseInt(key[1]), bytes.toByteArray()));
        }
        return directions;
    }

    /** Every NVMe/TCP PDU type code in the frames matching {@code filter}, in order. */
    List<Integer> pduTypes(String filter) throws IOException, InterruptedException {
        List<Integer> types = new ArrayList<>();
        for (String line : tshark("types", "-Y", filter, "-T", "fields", "-E", "occurrence=a", "-e",
                "nvme-tcp.type")) {
            for (String code : line.split(",")) {
                types.add(Integer.decode(code.strip()));
            }
        }
        return types;
    }
}
