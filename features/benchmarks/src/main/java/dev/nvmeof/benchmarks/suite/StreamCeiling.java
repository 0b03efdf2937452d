package dev.nvmeof.benchmarks.suite;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The loopback stream ceiling for large transfers (benchmark b): {@code iperf3} when it is on the {@code PATH} (a
 * one-off server {@code iperf3 -s -1 -B 127.0.0.1} on an ephemeral port, the client {@code iperf3 -c 127.0.0.1 -l
 * 128K -t S -J}, the receiver's figure from the JSON; both under {@code taskset -c} when pinned, and killed if they
 * outlive the run), else a Java stand-in named as such: one thread ({@code ceiling-writer}) writes 128 KiB direct
 * buffers to a loopback socket, another ({@code ceiling-reader}) reads and discards them; the receiver's bytes over
 * the window.
 */
public final class StreamCeiling {
    static final int CHUNK = 128 * 1024;
    static final String JAVA_STAND_IN = "Java loopback stream, 128 KiB writes (iperf3 not installed)";
    private static final Pattern RECEIVED = Pattern.compile(
            "\"sum_received\"\\s*:\\s*\\{[^}]*?\"bits_per_second\"\\s*:\\s*([0-9.eE+-]+)");
    private static final int CONNECT_ATTEMPTS = 20;
    private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /** Payload gigabytes (1e9 bytes) per second, and what measured it. */
    public record Result(String name, double gbPerSecond) {
    }

    private StreamCeiling() {
    }

    /** The iperf3 executable on the {@code PATH}, or null. */
    public static File iperf3() {
        String path = System.getenv("PATH");
        for (String dir : path == null ? new String[0] : path.split(File.pathSeparator)) {
            File f = new File(dir, "iperf3");
            if (f.canExecute()) {
                return f;
            }
        }
        return null;
    }

    public static Result run(double seconds) throws IOException, InterruptedException {
        return run(seconds, SuitePlacement.UNPINNED, null);
    }

    /** iperf3 if installed, else the Java stand-in, client on the host CPU and server on the target CPU. */
    static Result run(double seconds, SuitePlacement placement, ThreadPinning pinning) throws IOException,
            InterruptedException {
        File iperf3 = iperf3();
        return iperf3 != null ? iperf3(iperf3, seconds, placement) : java(seconds, placement, pinning);
    }

    static Result iperf3(File exe, double seconds, SuitePlacement placement) throws IOException,
            InterruptedException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort(); // ephemeral, free now; iperf3 binds it a moment later
        }
        int t = Math.max(1, (int) Math.round(seconds));
        Process server = new ProcessBuilder(pinned(placement, ThreadPinning.Side.TARGET, exe.getPath(), "-s", "-1",
                "-B", "127.0.0.1", "-p", Integer.toString(port))).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Path out = Files.createTempFile("iperf3-client", ".json");
        try {
            for (int attempt = 0; attempt < CONNECT_ATTEMPTS; attempt++) { // the server may not listen yet
                Process client = new ProcessBuilder(pinned(placement, ThreadPinning.Side.HOST, exe.getPath(), "-c",
                        "127.0.0.1", "-B", "127.0.0.1", "-p", Integer.toString(port), "-l", "128K", "-t",
                        Integer.toString(t), "-J")).redirectErrorStream(true).redirectOutput(out.toFile()).start();
                awaitPinned(server, placement, ThreadPinning.Side.TARGET);
                awaitPinned(client, placement, ThreadPinning.Side.HOST);
                // bounded: the test time plus a margin, then the client is killed
                if (!client.waitFor(t + 30L, TimeUnit.SECONDS)) {
                    client.destroyForcibly();
                    throw new IOException("iperf3 -c did not end within " + (t + 30) + " s");
                }
                Double bps = parseReceivedBitsPerSecond(Files.readString(out, StandardCharsets.UTF_8));
                if (bps != null) {
                    return new Result("iperf3 -c 127.0.0.1 -l 128K -t " + t, bps / 8 / 1e9);
                }
                if (!server.isAlive()) {
                    throw new IOException("iperf3 -s on port " + port + " exited with " + server.exitValue());
                }
                LockSupport.parkNanos(RETRY_NANOS);
            }
            throw new IOException("iperf3 on port " + port + " gave no result in " + CONNECT_ATTEMPTS + " attempts");
        } finally {
            server.destroy();
            if (!server.waitFor(5, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
            Files.deleteIfExists(out);
        }
    }

    /** {@code taskset -c CPU command...} when pinned. */
    private static List<String> pinned(SuitePlacement placement, ThreadPinning.Side side, String... command) {
        List<String> line = new ArrayList<>();
        if (placement.pinned()) {
            line.addAll(List.of("taskset", "-c", Integer.toString(placement.cpu(side))));
        }
        line.addAll(List.of(command));
        return line;
    }

    /** Reads the process's Cpus_allowed_list until taskset has set it (it does so before exec), for 1 s at most. */
    private static void awaitPinned(Process p, SuitePlacement placement, ThreadPinning.Side side) {
        if (!placement.pinned()) {
            return;
        }
        String want = Integer.toString(placement.cpu(side));
        Path status = Path.of("/proc", Long.toString(p.pid()), "status");
        String allowed = null;
        for (int i = 0; i < 100; i++) {
            allowed = ThreadPinning.allowedCpus(status);
            if (allowed == null || want.equals(allowed)) {
                return; // pinned, or already ended (a failed start shows in its output)
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        throw new ThreadPinning.PinningException("iperf3 (pid " + p.pid() + ") runs on " + allowed + ", not " + want
                + " (taskset -c " + want + ")");
    }

    /** The receiver's bits per second from iperf3's {@code -J} output ({@code end.sum_received}), or null. */
    static Double parseReceivedBitsPerSecond(String json) {
        Matcher m = RECEIVED.matcher(json);
        return m.find() ? Double.valueOf(m.group(1)) : null;
    }

    static Result java(double seconds, SuitePlacement placement, ThreadPinning pinning) throws IOException,
            InterruptedException {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress("127.0.0.1", 0));
            long[] received = new long[1];
            long[] elapsed = new long[1];
            Throwable[] failed = new Throwable[1];
            long windowNanos = (long) (seconds * 1e9);
            Thread reader = new Thread(() -> received[0] = drain(listener), "ceiling-reader");
            reader.start();
            Thread writer = new Thread(() -> {
                try (SocketChannel out = SocketChannel.open(listener.getLocalAddress())) {
                    if (pinning != null) {
                        pinning.pinExpecting(placement, "ceiling-writer", "ceiling-reader");
                    }
                    ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK);
                    long start = System.nanoTime();
                    long end = start + windowNanos;
                    while (System.nanoTime() - end < 0) { // bounded by the clock
                        chunk.clear();
                        while (chunk.hasRemaining()) {
                            out.write(chunk);
                        }
                    }
                    elapsed[0] = System.nanoTime() - start;
                } catch (IOException | RuntimeException e) {
                    failed[0] = e;
                }
            }, "ceiling-writer");
            writer.start();
            writer.join(TimeUnit.NANOSECONDS.toMillis(windowNanos) + TimeUnit.SECONDS.toMillis(60));
            reader.join(TimeUnit.SECONDS.toMillis(60));
            if (failed[0] instanceof IOException e) {
                throw e;
            }
            if (failed[0] instanceof RuntimeException e) {
                throw e;
            }
            if (writer.isAlive() || reader.isAlive()) {
                throw new IOException("the Java stream ceiling did not finish");
            }
            return new Result(JAVA_STAND_IN, received[0] / (elapsed[0] / 1e9) / 1e9);
        }
    }

    private static long drain(ServerSocketChannel listener) {
        long total = 0;
        try (SocketChannel in = listener.accept()) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(CHUNK);
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer.clear())) {
                total += n;
            }
        } catch (IOException e) {
            // the writer went away: what arrived counts
        }
        return total;
    }
}
