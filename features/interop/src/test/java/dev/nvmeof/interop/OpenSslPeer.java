package dev.nvmeof.interop;

import dev.nvmeof.protocol.tls.DerivedTlsPsk;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's {@code openssl} 3.0 as an independent TLS 1.3 peer with an external PSK: {@code s_server} or
 * {@code s_client} given the identity and the TLS PSK (hex) our derivation makes. What the process prints is
 * collected by a reader thread; a test waits for what it needs through futures that the reader completes (bounded,
 * never polling), and {@link #close()} ends the process by its own PID.
 */
final class OpenSslPeer implements AutoCloseable {
    /** What openssl 3.0 can check: its {@code -psk} makes a SHA-256 PSK session only (see the test classes). */
    static final String CIPHER_SUITE = "TLS_AES_128_GCM_SHA256";
    private static final Pattern ACCEPT = Pattern.compile("ACCEPT 127\\.0\\.0\\.1:(\\d+)\n");

    /** A condition on everything printed so far: the value once met, else null. */
    private record Waiter<T>(Function<byte[], T> condition, CompletableFuture<T> result) {
        boolean offer(byte[] output) {
            T value = condition.apply(output);
            return value != null && result.complete(value);
        }
    }

    private final Process process;
    private final List<String> command;
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private final List<Waiter<?>> waiters = new CopyOnWriteArrayList<>();
    private volatile boolean stdoutEnded;

    private OpenSslPeer(List<String> command) throws IOException {
        this.command = command;
        this.process = new ProcessBuilder(command).start();
        drain(process.getInputStream(), stdout, "openssl-stdout");
        drain(process.getErrorStream(), stderr, "openssl-stderr");
    }

    /**
     * {@code openssl} on the PATH ({@code .ci/run} installs it).
     *
     * @throws GuestUnavailableException when it is missing: {@link InteropExtension} fails the test under CI
     */
    static Path executable() {
        return LoopbackCapture.tool("openssl").orElseThrow(() -> new GuestUnavailableException(
                "openssl is not on the PATH: apt-get install openssl"));
    }

    /**
     * {@code s_server} for one connection on an ephemeral port of 127.0.0.1 the kernel picks ({@link #port()} reads
     * it from the {@code ACCEPT} line), expecting {@code psk}'s identity, with no certificate. Not quiet: after the
     * handshake it prints the session (the cipher suite among it), then the application data it received, raw.
     * Its stdin stays open, as an EOF there would end it ({@code DONE}).
     */
    static OpenSslPeer server(DerivedTlsPsk psk) throws IOException {
        return new OpenSslPeer(List.of(executable().toString(), "s_server", "-tls1_3", "-nocert",
                "-psk_identity", psk.identity().text(), "-psk", HexFormat.of().formatHex(psk.keyBytes()),
                "-ciphersuites", CIPHER_SUITE, "-accept", "127.0.0.1:0", "-naccept", "1"));
    }

    /**
     * {@code s_client} to 127.0.0.1:{@code port} offering {@code identity} with the TLS PSK {@code key}; quiet, so
     * stdout carries only the application data the server sent, and what is written to its stdin goes to the
     * server.
     */
    static OpenSslPeer client(int port, String identity, byte[] key) throws IOException {
        return new OpenSslPeer(List.of(executable().toString(), "s_client", "-tls1_3", "-psk_identity", identity,
                "-psk", HexFormat.of().formatHex(key), "-ciphersuites", CIPHER_SUITE, "-connect",
                "127.0.0.1:" + port, "-quiet"));
    }

    /** The port s_server listens on, once it has said so. */
    int port(Duration timeout) throws InterruptedException {
        return awaitStdout(output -> {
            Matcher m = ACCEPT.matcher(new String(output, StandardCharsets.ISO_8859_1));
            return m.find() ? Integer.valueOf(m.group(1)) : null;
        }, timeout, "s_server's ACCEPT line");
    }

    /** The first value {@code condition} gives for stdout so far, waiting for more output up to {@code timeout}. */
    <T> T awaitStdout(Function<byte[], T> condition, Duration timeout, String what) throws InterruptedException {
        Waiter<T> waiter = new Waiter<>(condition, new CompletableFuture<>());
        waiters.add(waiter); // registered first, then offered what is there: no output slips in between
        try {
            if (!waiter.offer(stdout()) && stdoutEnded) { // the reader may have finished before we registered
                waiter.result().completeExceptionally(new IOException("openssl's stdout ended"));
            }
            return waiter.result().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("openssl printed no " + what + " within " + timeout + describe(), e);
        } catch (ExecutionException e) {
            throw new AssertionError("openssl ended before it printed " + what + describe(), e.getCause());
        } finally {
            waiters.remove(waiter);
        }
    }

    /** Writes {@code bytes} to the process's stdin (s_client sends them over TLS), keeping stdin open. */
    void write(byte[] bytes) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write(bytes);
        in.flush();
    }

    /** Waits (bounded) for the process to end by itself and returns its exit status. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("openssl still runs after " + timeout + describe());
        }
        return process.exitValue();
    }

    byte[] stdout() {
        synchronized (stdout) {
            return stdout.toByteArray();
        }
    }

    String stderr() {
        synchronized (stderr) {
            return stderr.toString(StandardCharsets.UTF_8);
        }
    }

    /** The command and what it printed (stdout as text with control bytes escaped), for failure messages. */
    String describe() {
        StringBuilder text = new StringBuilder();
        for (byte b : stdout()) {
            text.append(b == '\n' || (b >= 0x20 && b < 0x7f) ? String.valueOf((char) b) : String.format("\\x%02x", b));
        }
        return "\n  command: " + String.join(" ", redacted()) + "\n  stdout: " + text + "\n  stderr: " + stderr();
    }

    /** The command with the PSK's hex replaced: a failure message must not carry a key. */
    private List<String> redacted() {
        List<String> shown = new ArrayList<>(command);
        int psk = shown.indexOf("-psk");
        if (psk >= 0 && psk + 1 < shown.size()) {
            shown.set(psk + 1, "<hex>");
        }
        return shown;
    }

    /** Ends the process (SIGTERM to its PID, then SIGKILL if it lingers), bounded. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private void drain(InputStream from, ByteArrayOutputStream into, String name) {
        Thread reader = new Thread(() -> {
            byte[] chunk = new byte[8192];
            try (from) {
                for (int n; (n = from.read(chunk)) >= 0;) {
                    byte[] all;
                    synchronized (into) {
                        into.write(chunk, 0, n);
                        all = into.toByteArray();
                    }
                    if (into == stdout) {
                        waiters.forEach(w -> w.offer(all));
                    }
                }
            } catch (IOException e) {
                // the process ended; its exit status tells the test the rest
            }
            if (into == stdout) {
                stdoutEnded = true; // set before the last offers: a waiter registered later sees it
                byte[] all = stdout();
                waiters.forEach(w -> {
                    if (!w.offer(all)) {
                        w.result().completeExceptionally(new IOException("openssl's stdout ended"));
                    }
                });
            }
        }, name);
        reader.setDaemon(true);
        reader.start();
    }
}
