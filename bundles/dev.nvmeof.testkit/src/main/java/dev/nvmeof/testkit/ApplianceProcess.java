package dev.nvmeof.testkit;


import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A packaged appliance jar running as a real process, for the appliances' integration tests: stdout and stderr are
 * read line by line on their own threads, so every wait here is bounded (a future's timeout,
 * {@link Process#waitFor(long, TimeUnit)}). Failures are {@link AssertionError}s carrying what the process said.
 */
public final class ApplianceProcess implements AutoCloseable {
    public static final Duration READY_TIMEOUT = Duration.ofSeconds(15);
    public static final Duration EXIT_TIMEOUT = Duration.ofSeconds(10);

    public final Process process;
    public final List<String> stdout = new CopyOnWriteArrayList<>();
    public final List<String> stderr = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final CompletableFuture<Void> stdoutDone;
    private final CompletableFuture<Void> stderrDone;

    private ApplianceProcess(Process process) {
        this.process = process;
        this.stdoutDone = pump(process.getInputStream(), "stdout", line -> {
            printed(stdout, line);
            if (line.equals("ready")) {
                ready.complete(null);
            }
        });
        this.stderrDone = pump(process.getErrorStream(), "stderr", line -> printed(stderr, line));
        stdoutDone.whenComplete((v, e) -> ready.completeExceptionally(
                new IllegalStateException("stdout ended before 'ready'")));
    }

    /** Starts {@code java -jar jar args...} with this JVM's java; {@link #awaitReady} waits for a line "ready". */
    public static ApplianceProcess start(Path jar, String... args) throws IOException {
        return start(List.of(), jar, args);
    }

    /** As {@link #start(Path, String...)} with options for the JVM ({@code -XX:MaxDirectMemorySize=64m}, say). */
    public static ApplianceProcess start(List<String> jvmOptions, Path jar, String... args) throws IOException {
        return start(null, jvmOptions, jar, args);
    }

    /**
     * As {@link #start(List, Path, String...)} in {@code directory} (an appliance's folder; null: this process's).
     * The appliance's stdin is {@link #process}{@code .getOutputStream()}: see {@link #send} and {@link #endInput}.
     */
    public static ApplianceProcess start(Path directory, List<String> jvmOptions, Path jar, String... args)
            throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError("the appliance jar is built first (package phase): " + jar);
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        return new ApplianceProcess(builder.start());
    }

    /** A loopback port nothing listens on right now. */
    public static int freePort() throws IOException {
        return freePorts(1)[0];
    }

    /**
     * {@code count} distinct loopback ports nothing listens on right now: each is held open until all are chosen,
     * since the kernel may hand out a port again as soon as it is closed (two calls of {@link #freePort()} once
     * returned the same one).
     */
    public static int[] freePorts(int count) throws IOException {
        List<ServerSocket> held = new ArrayList<>(count);
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                held.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : held) {
                socket.close();
            }
        }
    }

    private static CompletableFuture<Void> pump(InputStream stream, String name, Consumer<String> sink) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    sink.accept(line);
                }
                done.complete(null);
            } catch (IOException | RuntimeException e) {
                done.completeExceptionally(e);
            }
        }, "appliance-" + name);
        thread.setDaemon(true);
        thread.start();
        return done;
    }

    /** Waits for the {@code ready} line; fails with what the process said if it exits or hangs instead. */
    public void awaitReady() throws InterruptedException {
        try {
            ready.get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("no 'ready' within " + READY_TIMEOUT + " (" + e + "); stdout " + stdout
                    + ", stderr " + stderr);
        }
    }

    /**
     * SIGTERM, then the exit status. Through {@link ProcessHandle#destroy()}: it sends the same signal as
     * {@link Process#destroy()} on Linux, but leaves the pipes open, so what the appliance writes while it stops is
     * still read ({@code Process.destroy()} closes them).
     */
    public int terminate() throws InterruptedException {
        process.toHandle().destroy();
        return awaitExit();
    }

    /** The exit status, within {@link #EXIT_TIMEOUT}; both streams are read to their end before it returns. */
    public int awaitExit() throws InterruptedException {
        return awaitExit(EXIT_TIMEOUT);
    }

    /** The exit status, within {@code timeout}; both streams are read to their end before it returns. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("still running after " + timeout + "; stdout " + stdout + ", stderr "
                    + stderr);
        }
        try {
            CompletableFuture.allOf(stdoutDone, stderrDone).get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new UncheckedIOException(new IOException("output of the appliance not fully read", e));
        }
        return process.exitValue();
    }

    private void printed(List<String> stream, String line) {
        synchronized (this) {
            stream.add(line);
            notifyAll();
        }
    }

    /** Writes {@code lines} to the appliance's stdin, each ended by a newline. */
    public void send(String... lines) throws IOException {
        for (String line : lines) {
            process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        }
        process.getOutputStream().flush();
    }

    /** Closes the appliance's stdin (the end of its script). */
    public void endInput() throws IOException {
        process.getOutputStream().close();
    }

    /**
     * Waits until a line of {@code stream} ({@link #stdout} or {@link #stderr}) from index {@code from} on matches
     * {@code line}; returns its index. Fails with what the process printed after {@code timeout}.
     */
    public int awaitLine(List<String> stream, int from, Predicate<String> line, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            for (int i = from;; i++) {
                while (i >= stream.size()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new AssertionError("no such line within " + timeout + "; stdout:\n"
                                + String.join("\n", stdout) + "\nstderr:\n" + String.join("\n", stderr));
                    }
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                }
                if (line.test(stream.get(i))) {
                    return i;
                }
            }
        }
    }

    /** Fails, showing everything the process printed, unless some stdout line matches {@code line}. */
    public void assertPrinted(Predicate<String> line) {
        if (stdout.stream().noneMatch(line)) {
            throw new AssertionError("expected line missing; stdout:\n" + String.join("\n", stdout) + "\nstderr:\n"
                    + String.join("\n", stderr));
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
