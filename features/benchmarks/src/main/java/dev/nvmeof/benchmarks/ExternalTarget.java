package dev.nvmeof.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Our NVMe/TCP target as a separate process: the target appliance ({@code features/target}, the shaded
 * {@code nvmeof-target.jar}, main class {@code dev.nvmeof.appliance.target.TargetMain}) on {@code 127.0.0.1}, port 0
 * (a free port the kernel picks, reported on the appliance's stdout), one RAM namespace, one event loop. Running it
 * out of process keeps its allocations out of the benchmark JVM, whose allocation JMH's GC profiler counts over all
 * threads.
 *
 * <p>The jar is {@code -Dnvmeof.target.jar=PATH} when given, else {@code ../../target/target/nvmeof-target.jar}
 * beside the jar this class was loaded from (the reactor layout: {@code features/benchmarks/target/benchmarks.jar}
 * and {@code features/target/target/nvmeof-target.jar}), else {@code features/target/target/nvmeof-target.jar}
 * under the working directory. {@link #close()} stops it with SIGTERM (the appliance's clean stop), then kills it if
 * it has not exited after 10 s. Whoever starts it closes it, at the latest from a shutdown hook (the benchmark's
 * does, after disconnecting its host); it has no hook of its own so that it cannot stop before the host disconnected.
 */
public final class ExternalTarget implements AutoCloseable {
    static final String JAR_PROPERTY = "nvmeof.target.jar";
    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)( \\(TLS required\\))?");
    private static final long START_SECONDS = 60;

    private final Process process;
    private final InetSocketAddress address;

    private ExternalTarget(Process process, InetSocketAddress address) {
        this.process = process;
        this.address = address;
    }

    /** Starts the appliance serving {@code nqn} with one RAM namespace of {@code namespaceBytes}; waits for ready. */
    public static ExternalTarget start(String nqn, long namespaceBytes, int blockSize) throws IOException,
            InterruptedException {
        return start(nqn, namespaceBytes, blockSize, List.of("--listen", "127.0.0.1:0"));
    }

    /** {@link #start} on a TLS-only listener whose PSKs are in {@code keyring} (mode 600). */
    public static ExternalTarget startTls(String nqn, long namespaceBytes, int blockSize, Path keyring)
            throws IOException, InterruptedException {
        return start(nqn, namespaceBytes, blockSize,
                List.of("--tls-listen", "127.0.0.1:0", "--tls-keyring", keyring.toString()));
    }

    private static ExternalTarget start(String nqn, long namespaceBytes, int blockSize, List<String> listener)
            throws IOException, InterruptedException {
        Path jar = locateJar();
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(
                List.of(java, "-Xms64m", "-Xmx256m", "-XX:+UseSerialGC", "-jar", jar.toString()));
        command.addAll(listener); // loopback only, a free port: never 4420
        command.addAll(List.of("--nqn", nqn,
                "--ram-namespace", Long.toString(namespaceBytes),
                "--block-size", Integer.toString(blockSize),
                "--event-loops", "1",
                "--max-io-queues", "4"));
        // Its folder (log/target.log) is bin/target's, beside the jar in the build output.
        Path home = Files.createDirectories(jar.toAbsolutePath().getParent().resolve("target-home"));
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        Process process = builder.start();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        List<String> report = new ArrayList<>();
        // Reads the report up to "ready", then keeps draining stdout until the process ends (a bounded life: the
        // process is stopped by close() or the shutdown hook). Allocates nothing while the target stays quiet.
        Thread reader = new Thread(() -> {
            Integer found = null;
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (!port.isDone()) {
                        synchronized (report) {
                            report.add(line);
                        }
                        Matcher m = LISTENING.matcher(line);
                        if (m.matches()) {
                            found = Integer.valueOf(m.group(1));
                        } else if (line.equals("ready")) {
                            if (found == null) {
                                port.completeExceptionally(new IOException("the target reported no listener"));
                            } else {
                                port.complete(found);
                            }
                        }
                    }
                }
                port.completeExceptionally(new IOException("the target exited before it was ready"));
            } catch (IOException e) {
                port.completeExceptionally(e);
            }
        }, "nvmeof-target-stdout");
        reader.setDaemon(true);
        reader.start();
        try {
            int p = port.get(START_SECONDS, TimeUnit.SECONDS);
            return new ExternalTarget(process, new InetSocketAddress("127.0.0.1", p));
        } catch (Exception e) {
            stop(process);
            String said;
            synchronized (report) {
                said = String.join(" | ", report);
            }
            Throwable cause = e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
            throw new IOException("target " + command + " did not start"
                    + (e instanceof TimeoutException ? " within " + START_SECONDS + " s" : "") + " (stdout: " + said
                    + ")", cause);
        }
    }

    public InetSocketAddress address() {
        return address;
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        stop(process);
    }

    private static void stop(Process process) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy(); // SIGTERM: the appliance closes the target and exits 0
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static Path locateJar() throws IOException {
        String given = System.getProperty(JAR_PROPERTY);
        if (given != null) {
            Path p = Paths.get(given);
            if (!Files.isRegularFile(p)) {
                throw new IOException("-D" + JAR_PROPERTY + "=" + given + ": no such file");
            }
            return p;
        }
        List<Path> tried = new ArrayList<>();
        try {
            Path self = Paths.get(ExternalTarget.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(self) && self.getParent() != null) {
                tried.add(self.getParent().resolve("../../target/target/nvmeof-target.jar").normalize());
            }
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            // no code source: fall back to the working directory
        }
        tried.add(Paths.get("features/target/target/nvmeof-target.jar").toAbsolutePath());
        for (Path p : tried) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new IOException("the target appliance jar is not at " + tried + "; build features/target "
                + "(mvn -o install) or give -D" + JAR_PROPERTY + "=PATH");
    }
}
