package dev.nvmeof.benchmarks.suite;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The loopback stream ceiling for large transfers (benchmark b): {@code iperf3} when it is on the {@code PATH}
 * ({@code iperf3 -s -1} and {@code iperf3 -c 127.0.0.1 -J} on a free port, the receiver's figure from the JSON), else
 * a Java stand-in named as such: one thread writes 128 KiB direct buffers to a loopback socket, another reads and
 * discards them; the receiver's bytes over the window.
 */
public final class StreamCeiling {
    static final int CHUNK = 128 * 1024;
    private static final Pattern RECEIVED = Pattern.compile(
            "\"sum_received\"\\s*:\\s*\\{[^}]*?\"bits_per_second\"\\s*:\\s*([0-9.eE+-]+)");

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
        File iperf3 = iperf3();
        return iperf3 != null ? iperf3(iperf3, seconds) : java(seconds);
    }

    static Result iperf3(File exe, double seconds) throws IOException, InterruptedException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort(); // free now; iperf3 binds it a moment later
        }
        Process server = new ProcessBuilder(exe.getPath(), "-s", "-1", "-B", "127.0.0.1", "-p", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            int t = Math.max(1, (int) Math.round(seconds));
            for (int attempt = 0; attempt < 20; attempt++) { // the server may not listen yet
                Process client = new ProcessBuilder(exe.getPath(), "-c", "127.0.0.1", "-p", Integer.toString(port),
                        "-t", Integer.toString(t), "-J").redirectErrorStream(true).start();
                String json = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                client.waitFor(t + 30L, TimeUnit.SECONDS);
                Double bps = parseReceivedBitsPerSecond(json);
                if (bps != null) {
                    return new Result("iperf3 -c 127.0.0.1 -t " + t, bps / 8 / 1e9);
                }
                Thread.sleep(100);
            }
            throw new IOException("iperf3 on port " + port + " gave no result");
        } finally {
            server.destroy();
            server.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** The receiver's bits per second from iperf3's {@code -J} output ({@code end.sum_received}), or null. */
    static Double parseReceivedBitsPerSecond(String json) {
        Matcher m = RECEIVED.matcher(json);
        return m.find() ? Double.valueOf(m.group(1)) : null;
    }

    static Result java(double seconds) throws IOException, InterruptedException {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress("127.0.0.1", 0));
            long[] received = new long[1];
            long windowNanos = (long) (seconds * 1e9);
            Thread reader = new Thread(() -> received[0] = drain(listener), "ceiling-stream-reader");
            reader.start();
            long start;
            try (SocketChannel out = SocketChannel.open(listener.getLocalAddress())) {
                ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK);
                start = System.nanoTime();
                long end = start + windowNanos;
                while (System.nanoTime() - end < 0) { // bounded by the clock
                    chunk.clear();
                    while (chunk.hasRemaining()) {
                        out.write(chunk);
                    }
                }
            }
            reader.join();
            long elapsed = System.nanoTime() - start;
            return new Result("Java loopback stream, 128 KiB writes (iperf3 not installed)",
                    received[0] / (elapsed / 1e9) / 1e9);
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
