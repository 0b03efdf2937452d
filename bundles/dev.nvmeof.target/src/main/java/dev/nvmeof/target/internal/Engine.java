package dev.nvmeof.target.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.nvmeof.protocol.DiscoveryLogEntry;
import dev.nvmeof.protocol.DiscoveryLogEntryFlyweight;
import dev.nvmeof.protocol.LoopChoice;
import dev.nvmeof.protocol.NanoClock;
import dev.nvmeof.protocol.log.Log;
import dev.nvmeof.target.ListenerSecurity;
import dev.nvmeof.target.NamespaceConfig;
import dev.nvmeof.target.NvmeTarget;
import dev.nvmeof.target.SubsystemConfig;
import dev.nvmeof.target.TargetOptions;

/** The running target: event loops, listeners and the subsystem registry behind {@link NvmeTarget}. */
public final class Engine {
    private static final System.Logger LOG = Log.get("dev.nvmeof.target");
    private static final int WORKERS = 2;

    final TargetOptions options;
    private final EventLoop[] loops;
    private final AtomicInteger nextLoop = new AtomicInteger();
    private final Map<String, Subsystem> subsystems = new ConcurrentHashMap<>();
    private final Subsystem discovery = Subsystem.discovery();
    private final List<ServerSocketChannel> listeners = new CopyOnWriteArrayList<>();
    private final Map<ServerSocketChannel, ListenerSecurity> security = new ConcurrentHashMap<>();
    private final AtomicLong discoveryGeneration = new AtomicLong(1);
    /** Open connections in total and per remote address, against the caps of {@link TargetOptions}. */
    private final AtomicInteger openConnections = new AtomicInteger();
    private final Map<InetAddress, Integer> connectionsPerAddress = new ConcurrentHashMap<>();
    private final RateLimitedLog refusals = new RateLimitedLog(this, System.Logger.Level.WARNING);
    private final RateLimitedLog acceptFailures = new RateLimitedLog(this, System.Logger.Level.WARNING);
    private final RateLimitedLog handlerFailures = new RateLimitedLog(this, System.Logger.Level.ERROR);
    /** TLS handshakes refused (a wrong key, no TLS at all): a host may try as often as it likes. */
    private final RateLimitedLog tlsRefusals = new RateLimitedLog(this, System.Logger.Level.INFO);
    /** Where work a host sizes runs (zeroing, deallocation, forcing files): never on an event loop. */
    private final ExecutorService workers;
    /** A test seam: called on the loop right before a command executes. */
    volatile CommandSeam seam;
    private volatile boolean closed;

    private Engine(TargetOptions options) throws IOException {
        this.options = options;
        AtomicInteger workerIndex = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(WORKERS, r -> {
            Thread t = new Thread(r, "nvmeof-target-worker-" + workerIndex.getAndIncrement());
            t.setDaemon(true);
            return t;
        });
        this.loops = new EventLoop[options.eventLoops()];
        for (int i = 0; i < loops.length; i++) {
            loops[i] = new EventLoop(this, i);
        }
    }

    public static Engine start(TargetOptions options) throws IOException {
        Engine engine = new Engine(options);
        for (EventLoop loop : engine.loops) {
            loop.start();
        }
        return engine;
    }

    NanoClock clock() {
        return options.clock();
    }

    void log(System.Logger.Level level, String message) {
        LOG.log(level, message);
    }

    /** {@code cause} may be null. */
    void log(System.Logger.Level level, String message, Throwable cause) {
        LOG.log(level, message, cause);
    }

    /** A command handler threw: the command completes with Internal Error; logged once per interval. */
    void handlerFailed(CommandSlot slot, Throwable e) {
        handlerFailures.record("command handler failed on opcode 0x" + Integer.toHexString(slot.sqe.opcode())
                + " (CID " + slot.cid + "); completed with Internal Error: " + e, e);
    }

    /** Runs a slice of background work on a worker; dropped once the target is closed. */
    void background(Runnable work) {
        try {
            workers.execute(work);
        } catch (RejectedExecutionException e) {
            // closing: the connections close too, nobody waits for the completion
        }
    }

    /** Accepting failed (out of file descriptors, say): logged once per interval, the loop carries on. */
    void acceptFailed(IOException e) {
        if (closed) {
            return; // the listener was closed under the accept
        }
        acceptFailures.record("accepting a connection failed: " + e, null);
    }

    /** A TLS handshake this target refused or that failed, logged at most once per interval. */
    void tlsRefused(String message) {
        tlsRefusals.record(message, null);
    }

    /** How many connections were refused at accept by the connection caps. */
    public long refusedConnections() {
        return refusals.count();
    }

    public InetSocketAddress listen(InetSocketAddress address) throws IOException {
        return listen(address, ListenerSecurity.none());
    }

    public InetSocketAddress listen(InetSocketAddress address, ListenerSecurity listenerSecurity) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        security.put(server, listenerSecurity);
        try {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(address, 1024);
            server.configureBlocking(false);
            CompletableFuture<Void> registered = new CompletableFuture<>();
            loops[0].execute(() -> {
                try {
                    loops[0].listen(server);
                    registered.complete(null);
                } catch (IOException e) {
                    registered.completeExceptionally(e);
                }
            });
            registered.join();
        } catch (IOException | RuntimeException e) {
            security.remove(server);
            server.close();
            throw e instanceof IOException ? (IOException) e : new IOException("cannot listen on " + address, e);
        }
        listeners.add(server);
        discoveryChanged();
        InetSocketAddress bound = (InetSocketAddress) server.getLocalAddress();
        log(System.Logger.Level.INFO, "listening on " + bound + (listenerSecurity.tls() == ListenerSecurity.Tls.NONE
                ? "" : " (TLS 1.3 " + listenerSecurity.tls().name().toLowerCase(java.util.Locale.ROOT) + ")"));
        return bound;
    }

    public List<InetSocketAddress> listeners() {
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (ServerSocketChannel server : listeners) {
            try {
                addresses.add((InetSocketAddress) server.getLocalAddress());
            } catch (IOException e) {
                // a listener closing concurrently is simply not listed
            }
        }
        return addresses;
    }

    /** The security of the listener {@code server}: how its connections start. */
    ListenerSecurity securityOf(ServerSocketChannel server) {
        return security.getOrDefault(server, ListenerSecurity.none());
    }

    void assign(SocketChannel channel, ListenerSecurity listenerSecurity) {
        if (closed) {
            EventLoop.closeQuietly(channel);
            return;
        }
        InetAddress remote;
        try {
            remote = ((InetSocketAddress) channel.getRemoteAddress()).getAddress();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        } catch (IOException e) {
            EventLoop.closeQuietly(channel);
            return;
        }
        String refusal = admit(remote);
        if (refusal != null) {
            refusals.record("refused a connection from " + remote.getHostAddress() + ": " + refusal, null);
            EventLoop.closeQuietly(channel);
            return;
        }
        EventLoop loop = leastIoLoaded();
        loop.addIoLoad();
        loop.execute(() -> loop.register(channel, remote, listenerSecurity));
    }

    /** Each loop's connections that may carry I/O ({@link EventLoop#ioLoad()}), in loop order. */
    int[] ioLoads() {
        return Arrays.stream(loops).mapToInt(EventLoop::ioLoad).toArray();
    }

    /**
     * The loop for a new connection ({@link LoopChoice}): a connection counts as I/O from its accept until its Connect
     * names the admin queue, which comes before its host opens I/O queues.
     */
    private EventLoop leastIoLoaded() {
        return loops[LoopChoice.fewestIoQueues(nextLoop.getAndIncrement(), loops.length, i -> loops[i].ioLoad())];
    }

    /** Counts a new connection against the caps; null when admitted, else why not (nothing counted). */
    private String admit(InetAddress remote) {
        if (openConnections.incrementAndGet() > options.maxConnections()) {
            openConnections.decrementAndGet();
            return "maxConnections (" + options.maxConnections() + ") reached";
        }
        int fromAddress = connectionsPerAddress.merge(remote, 1, Integer::sum);
        if (fromAddress > options.maxConnectionsPerAddress()) {
            released(remote);
            return "maxConnectionsPerAddress (" + options.maxConnectionsPerAddress() + ") reached for this address";
        }
        return null;
    }

    /** A connection admitted by {@link #admit} has closed. */
    void released(InetAddress remote) {
        connectionsPerAddress.computeIfPresent(remote, (address, n) -> n == 1 ? null : n - 1);
        openConnections.decrementAndGet();
    }

    public void addSubsystem(SubsystemConfig config) throws IOException {
        if (subsystems.containsKey(config.nqn())) {
            throw new IllegalArgumentException("subsystem " + config.nqn() + " exists");
        }
        Subsystem subsystem = Subsystem.open(config);
        if (subsystems.putIfAbsent(config.nqn(), subsystem) != null) {
            subsystem.shutdown();
            throw new IllegalArgumentException("subsystem " + config.nqn() + " exists");
        }
        log(System.Logger.Level.INFO, "serving subsystem " + config.nqn() + " with " + config.namespaces().size()
                + " namespace(s)");
        discoveryChanged();
    }

    public void removeSubsystem(String nqn) {
        Subsystem subsystem = subsystems.remove(nqn);
        if (subsystem != null) {
            subsystem.shutdown();
            discoveryChanged();
        }
    }

    public void addNamespace(String nqn, NamespaceConfig config) throws IOException {
        Subsystem subsystem = requireSubsystem(nqn);
        Namespace ns = Namespace.open(config);
        if (!subsystem.addNamespace(ns)) {
            ns.close();
            throw new IllegalArgumentException("namespace " + config.nsid() + " exists in " + nqn);
        }
        namespaceChanged(subsystem, config.nsid());
    }

    public void removeNamespace(String nqn, int nsid) {
        Subsystem subsystem = requireSubsystem(nqn);
        Namespace ns = subsystem.removeNamespace(nsid);
        if (ns != null) {
            namespaceChanged(subsystem, nsid);
            ns.close();
        }
    }

    private Subsystem requireSubsystem(String nqn) {
        Subsystem subsystem = subsystems.get(nqn);
        if (subsystem == null) {
            throw new IllegalArgumentException("no subsystem " + nqn);
        }
        return subsystem;
    }

    private void namespaceChanged(Subsystem subsystem, int nsid) {
        for (TargetController controller : subsystem.controllers()) {
            controller.admin.loop.execute(() -> controller.namespaceChanged(nsid));
        }
    }

    private void discoveryChanged() {
        discoveryGeneration.incrementAndGet();
        for (TargetController controller : discovery.controllers()) {
            controller.admin.loop.execute(controller::discoveryLogChanged);
        }
    }

    public Set<String> subsystemNqns() {
        return new TreeSet<>(subsystems.keySet());
    }

    Subsystem subsystem(String nqn) {
        return NvmeTarget.DISCOVERY_NQN.equals(nqn) ? discovery : subsystems.get(nqn);
    }

    long discoveryGeneration() {
        return discoveryGeneration.get();
    }

    /** Forces a namespace to its file; tells the durability observer when that did anything. */
    void force(String subsystemNqn, Namespace ns) throws IOException {
        if (ns.flush()) {
            options.durability().forced(subsystemNqn, ns.nsid());
        }
    }

    /** The discovery log for a host: every subsystem it may use on every listener, then the discovery subsystem. */
    List<DiscoveryLogEntry> discoveryEntries(String hostNqn) {
        List<DiscoveryLogEntry> entries = new ArrayList<>();
        List<InetSocketAddress> ports = new ArrayList<>();
        List<ListenerSecurity> portSecurity = new ArrayList<>();
        for (ServerSocketChannel server : listeners) {
            try {
                ports.add((InetSocketAddress) server.getLocalAddress());
                portSecurity.add(securityOf(server));
            } catch (IOException e) {
                // a listener closing concurrently is simply not listed
            }
        }
        for (Subsystem subsystem : new TreeSet<>(subsystems.keySet()).stream().map(subsystems::get)
                .filter(s -> s != null && s.allows(hostNqn)).toList()) {
            for (int i = 0; i < ports.size(); i++) {
                entries.add(entry(ports.get(i), i + 1, DiscoveryLogEntryFlyweight.SUBTYPE_NVM, subsystem.nqn,
                        portSecurity.get(i)));
            }
        }
        for (int i = 0; i < ports.size(); i++) {
            entries.add(entry(ports.get(i), i + 1, DiscoveryLogEntryFlyweight.SUBTYPE_CURRENT_DISCOVERY,
                    NvmeTarget.DISCOVERY_NQN, portSecurity.get(i)));
        }
        return entries;
    }

    private static DiscoveryLogEntry entry(InetSocketAddress port, int portId, int subtype, String nqn,
            ListenerSecurity listenerSecurity) {
        boolean v6 = port.getAddress() instanceof java.net.Inet6Address;
        DiscoveryLogEntry base = DiscoveryLogEntry.tcp(v6 ? DiscoveryLogEntryFlyweight.ADRFAM_IPV6
                : DiscoveryLogEntryFlyweight.ADRFAM_IPV4, subtype, portId, Connection.QUEUE_ENTRIES,
                port.getAddress().getHostAddress(), Integer.toString(port.getPort()), nqn);
        // TREQ: the listener's secure channel requirement (TLS); SQ flow control may be disabled (bit 2), as Linux
        // nvmet offers. SECTYPE: TLS 1.3 on a TLS listener.
        return new DiscoveryLogEntry(base.trtype(), base.adrfam(), base.subtype(),
                listenerSecurity.treqSecureChannel() | DiscoveryLogEntryFlyweight.TREQ_SQ_FLOW_CONTROL_DISABLE,
                base.portid(), base.cntlid(), base.asqsz(), base.eflags(), base.trsvcid(), base.subnqn(),
                base.traddr(), listenerSecurity.sectype());
    }

    public int connectionCount() {
        int n = 0;
        for (EventLoop loop : loops) {
            n += loop.connectionCount();
        }
        return n;
    }

    public List<InetSocketAddress> connectionPeers() {
        List<InetSocketAddress> all = new ArrayList<>();
        for (EventLoop loop : loops) {
            all.addAll(loop.peers());
        }
        return all;
    }

    public int controllerCount() {
        int n = discovery.controllers().size();
        for (Subsystem subsystem : subsystems.values()) {
            n += subsystem.controllers().size();
        }
        return n;
    }

    public CompletableFuture<Void> checkDeadlines() {
        CompletableFuture<?>[] done = new CompletableFuture<?>[loops.length];
        for (int i = 0; i < loops.length; i++) {
            EventLoop loop = loops[i];
            CompletableFuture<Void> f = new CompletableFuture<>();
            loop.execute(() -> {
                loop.checkDeadlines();
                f.complete(null);
            });
            done[i] = f;
        }
        return CompletableFuture.allOf(done);
    }

    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (ServerSocketChannel server : listeners) {
            EventLoop.closeQuietly(server);
        }
        listeners.clear();
        security.clear();
        for (EventLoop loop : loops) {
            loop.shutdown();
        }
        // No interrupt: it would close a file namespace's channel under a worker. Slices are short, and queued
        // ones find their connection closed and return.
        workers.shutdown();
        try {
            workers.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Subsystem subsystem : subsystems.values()) {
            subsystem.shutdown();
        }
        subsystems.clear();
    }
}
