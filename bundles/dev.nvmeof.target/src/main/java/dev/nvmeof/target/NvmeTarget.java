package dev.nvmeof.target;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import dev.nvmeof.target.internal.Engine;

/**
 * A running NVMe/TCP target. Thread-safe: listeners, subsystems and namespaces can be added and removed at any time;
 * connected hosts learn of namespace changes through Asynchronous Event Requests.
 *
 * <pre>
 * try (NvmeTarget target = NvmeTarget.start(TargetOptions.defaults())) {
 *     target.addSubsystem(SubsystemConfig.of("testnqn", NamespaceConfig.ram(1, 256 &lt;&lt; 20, 512)));
 *     target.listen(new InetSocketAddress("127.0.0.1", 4420));
 *     ...
 * }
 * </pre>
 */
public final class NvmeTarget implements AutoCloseable {
    /** The well-known NQN of the discovery subsystem every listener serves. */
    public static final String DISCOVERY_NQN = "nqn.2014-08.org.nvmexpress.discovery";
    public static final int DEFAULT_PORT = 4420;
    public static final int DISCOVERY_PORT = 8009;

    private final Engine engine;

    private NvmeTarget(Engine engine) {
        this.engine = engine;
    }

    /** Starts the event loops; the target serves nothing until it listens and has subsystems. */
    public static NvmeTarget start(TargetOptions options) throws IOException {
        return new NvmeTarget(Engine.start(options));
    }

    /**
     * Listens on an address (port 0 picks a free one); every listener serves the discovery subsystem and every NVM
     * subsystem, and is a port (PORTID) in the discovery log.
     *
     * @return the address actually bound
     */
    public InetSocketAddress listen(InetSocketAddress address) throws IOException {
        return engine.listen(address);
    }

    /**
     * Listens with TLS ({@link ListenerSecurity}): required, or allowed beside plain NVMe/TCP; the discovery log
     * shows it in TREQ and SECTYPE.
     *
     * @return the address actually bound
     */
    public InetSocketAddress listen(InetSocketAddress address, ListenerSecurity security) throws IOException {
        return engine.listen(address, security);
    }

    public List<InetSocketAddress> listeners() {
        return engine.listeners();
    }

    /** Adds a subsystem and creates its namespaces (a file namespace's file is created or extended). */
    public void addSubsystem(SubsystemConfig config) throws IOException {
        engine.addSubsystem(config);
    }

    /** Removes a subsystem: its controllers are torn down and its namespaces closed. */
    public void removeSubsystem(String nqn) {
        engine.removeSubsystem(nqn);
    }

    /** Adds a namespace to a subsystem; connected controllers get a Namespace Attribute Changed event. */
    public void addNamespace(String nqn, NamespaceConfig namespace) throws IOException {
        engine.addNamespace(nqn, namespace);
    }

    /** Removes a namespace; connected controllers get a Namespace Attribute Changed event. */
    public void removeNamespace(String nqn, int nsid) {
        engine.removeNamespace(nqn, nsid);
    }

    public Set<String> subsystems() {
        return engine.subsystemNqns();
    }

    /** Open TCP connections, in any state. */
    public int connectionCount() {
        return engine.connectionCount();
    }

    /** The host address and port of every open TCP connection: where each connection came from. */
    public List<InetSocketAddress> connectionSources() {
        return engine.connectionPeers();
    }

    /** Connections closed at accept because a cap was reached ({@code maxConnections}, per address). */
    public long refusedConnections() {
        return engine.refusedConnections();
    }

    /** Live controllers over all subsystems (discovery controllers included). */
    public int controllerCount() {
        return engine.controllerCount();
    }

    /**
     * Runs the deadline checks (handshake timeout, keep-alive timeout) on every event loop now, against the options'
     * clock; they also run on their own a few times a second. Completes when every loop has run them.
     */
    public CompletableFuture<Void> checkDeadlines() {
        return engine.checkDeadlines();
    }

    /** Closes every listener and connection, stops the loops, forces file namespaces to disk and closes them. */
    @Override
    public void close() {
        engine.close();
    }
}
