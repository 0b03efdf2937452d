package dev.nvmeof.appliance.target;

import java.io.IOException;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import dev.nvmeof.protocol.log.Log;
import dev.nvmeof.protocol.tls.TlsPskKeyring;
import dev.nvmeof.target.ListenerSecurity;
import dev.nvmeof.target.NamespaceConfig;
import dev.nvmeof.target.NvmeTarget;
import dev.nvmeof.target.SubsystemAuthentication;
import dev.nvmeof.target.TargetOptions;

/**
 * The target appliance: runs an {@link NvmeTarget} on its own until SIGTERM or SIGINT.
 *
 * <p>stdout carries only the report of what is served (one line per listener, the subsystem, one line per
 * namespace, then {@code ready}); its own errors go to stderr. Log records go to {@value TargetLogging#FILE} under the
 * working directory, one line each, and only warnings and errors to stderr unless {@code -v}/{@code -vv}
 * ({@link TargetLogging}).
 *
 * <p>Exit status:
 * <ul>
 * <li>0: stopped cleanly on SIGTERM/SIGINT (the shutdown hook closed the target, forced the file namespaces to disk,
 * then halted the JVM with 0 instead of the signal's 143/130), or {@code --help};</li>
 * <li>1: the target could not start (an address in use, a namespace file that cannot be created, a keyring that
 * cannot be read or is open to others, ...), or its shutdown failed or took longer than {@link #SHUTDOWN_DEADLINE};</li>
 * <li>2: a bad argument or configuration value (one line on stderr naming it).</li>
 * </ul>
 */
public final class TargetMain {
    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;
    /** The hook's bound on closing the target, well inside the 10 s a service manager usually waits. */
    static final Duration SHUTDOWN_DEADLINE = Duration.ofSeconds(8);
    private static final String NAME = "nvmeof-target";
    private static final System.Logger LOG = Log.get("dev.nvmeof.appliance.target");

    private final ApplianceConfig config;
    /** The running target; whoever takes it out (the hook, or a failed start) closes it. */
    private final AtomicReference<NvmeTarget> target = new AtomicReference<>();
    /** The TLS listeners' keys, zeroed by whoever closes the target, after it (the listeners use it until then). */
    private volatile TlsPskKeyring tlsKeyring;

    private TargetMain(ApplianceConfig config) {
        this.config = config;
    }

    public static void main(String[] args) throws InterruptedException {
        ApplianceConfig config;
        try {
            config = ApplianceConfig.parse(args);
        } catch (ApplianceConfig.UsageException e) {
            System.err.println(NAME + ": " + e.getMessage() + " (see --help)");
            System.exit(EXIT_USAGE);
            return;
        }
        if (config.help()) {
            System.out.println(ApplianceConfig.USAGE);
            System.exit(EXIT_OK);
            return;
        }
        try {
            TargetLogging.configure(Path.of(""), config.verbosity());
        } catch (IOException | RuntimeException e) {
            System.err.println(NAME + ": cannot write " + TargetLogging.FILE + ": " + e);
            System.exit(EXIT_FAILED);
            return;
        }
        TargetMain app = new TargetMain(config);
        Runtime.getRuntime().addShutdownHook(new Thread(app::shutdown, NAME + "-shutdown"));
        int status = app.start();
        if (status != EXIT_OK) {
            System.exit(status);
            return;
        }
        // The event loops are daemon threads: park here until the shutdown hook ends the process.
        new CountDownLatch(1).await();
    }

    /** Starts the target and reports; EXIT_OK once ready, else the target is closed again and the status returned. */
    private int start() {
        SubsystemAuthentication authentication;
        try {
            // Both read before the target exists, so a bad keyring leaves nothing to close but the other keyring.
            tlsKeyring = config.security().readTlsKeyring();
            authentication = config.security().readAuthentication();
        } catch (SecurityOptions.KeyringException e) {
            closeKeyring();
            System.err.println(NAME + ": " + e.getMessage());
            return EXIT_FAILED;
        }
        NvmeTarget t;
        try {
            t = NvmeTarget.start(config.caps().applyTo(TargetOptions.defaults().withEventLoops(config.eventLoops())));
        } catch (IOException | RuntimeException e) {
            closeKeyring();
            System.err.println(NAME + ": cannot start the target: " + e);
            return EXIT_FAILED;
        }
        target.set(t);
        try {
            t.addSubsystem(config.subsystem().withAuthentication(authentication));
        } catch (IOException | RuntimeException e) {
            return failStart(t, "cannot create subsystem " + config.nqn() + ": " + e);
        }
        List<String> report = new ArrayList<>();
        for (ApplianceConfig.Listener listener : config.listeners()) {
            InetSocketAddress address = listener.address();
            ListenerSecurity security = listener.tls() == ListenerSecurity.Tls.NONE ? ListenerSecurity.none()
                    : new ListenerSecurity(listener.tls(), tlsKeyring);
            try {
                report.add("listening on " + format(t.listen(address, security)) + describe(listener.tls()));
            } catch (IOException | RuntimeException e) {
                String reason = e instanceof BindException ? e.getMessage() : e.toString();
                return failStart(t, "cannot listen on " + format(address) + ": " + reason);
            }
        }
        report.add("subsystem " + config.nqn() + ": "
                + (config.allowedHosts().isEmpty() ? "any host" : "hosts " + String.join(", ", config.allowedHosts()))
                + describe(authentication) + ", up to " + config.maxIoQueues() + " I/O queues per controller");
        report.add("limits: " + config.caps().maxConnections() + " connections, "
                + config.caps().maxConnectionsPerAddress() + " per host address, "
                + config.caps().maxControllers() + " controllers per subsystem, "
                + ApplianceConfig.human(config.caps().maxTransferSize()) + " per command");
        for (NamespaceConfig ns : config.namespaces()) {
            report.add("subsystem " + config.nqn() + ": namespace " + ns.nsid() + ", "
                    + ApplianceConfig.human(ns.sizeBytes()) + (ns.isFile() ? " file " + ns.file() : " RAM") + ", "
                    + ns.blockSize() + "-byte blocks");
        }
        LOG.log(System.Logger.Level.INFO, "serving " + config.nqn() + ": " + String.join("; ", report));
        report.add("ready");
        report.forEach(System.out::println);
        System.out.flush();
        return EXIT_OK;
    }

    /** " (TLS required)" after a TLS listener's address; nothing after a plain one's (scripts parse that line). */
    private static String describe(ListenerSecurity.Tls tls) {
        return switch (tls) {
            case NONE -> "";
            case REQUIRED -> " (TLS required)";
            case ALLOWED -> " (TLS allowed)";
        };
    }

    /** How many hosts authenticate, and whether others are refused (a count: no NQN list, never a secret). */
    private static String describe(SubsystemAuthentication authentication) {
        if (authentication.hosts().isEmpty() && !authentication.required()) {
            return "";
        }
        int n = authentication.hosts().size();
        return ", DH-HMAC-CHAP for " + n + (n == 1 ? " host" : " hosts")
                + (authentication.required() ? " (required: no other host may connect)" : "") + " with "
                + names(authentication.hashes()) + " and " + names(authentication.groups());
    }

    private static String names(List<?> algorithms) {
        return algorithms.stream().map(Object::toString).collect(Collectors.joining("/"));
    }

    private void closeKeyring() {
        TlsPskKeyring keyring = tlsKeyring;
        if (keyring != null) {
            keyring.close();
        }
    }

    private int failStart(NvmeTarget t, String message) {
        if (target.compareAndSet(t, null)) {
            t.close();
            closeKeyring();
        }
        System.err.println(NAME + ": " + message);
        return EXIT_FAILED;
    }

    /**
     * The shutdown hook (SIGTERM, SIGINT): closes the target (listeners, connections, event loops, namespaces, file
     * namespaces forced to disk first), within {@link #SHUTDOWN_DEADLINE}, and halts with 0 (1 if that failed).
     * Does nothing when no target is running, so a failed start keeps its own exit status.
     */
    private void shutdown() {
        NvmeTarget t = target.getAndSet(null);
        if (t == null) {
            return;
        }
        System.err.println(NAME + ": stopping");
        CompletableFuture<Void> closed = new CompletableFuture<>();
        Thread closer = new Thread(() -> {
            try {
                t.close(); // forces file namespaces to disk before closing them
                closeKeyring(); // no listener uses the keys any more
                closed.complete(null);
            } catch (Throwable e) {
                closed.completeExceptionally(e);
            }
        }, NAME + "-close");
        closer.setDaemon(true);
        closer.start();
        int status;
        try {
            closed.get(SHUTDOWN_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            System.err.println(NAME + ": stopped");
            status = EXIT_OK;
        } catch (TimeoutException e) {
            System.err.println(NAME + ": shutdown did not complete within " + SHUTDOWN_DEADLINE.toSeconds() + " s");
            status = EXIT_FAILED;
        } catch (ExecutionException e) {
            System.err.println(NAME + ": shutdown failed: " + e.getCause());
            status = EXIT_FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = EXIT_FAILED;
        }
        System.out.flush();
        System.err.flush();
        // Without this the JVM would exit with 128 + the signal number (143 for SIGTERM) even after a clean stop.
        Runtime.getRuntime().halt(status);
    }

    static String format(InetSocketAddress address) {
        String host = address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
        return (address.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
