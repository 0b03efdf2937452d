package dev.nvmeof.target.internal;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

import dev.nvmeof.target.NamespaceConfig;
import dev.nvmeof.target.NvmeTarget;
import dev.nvmeof.target.SubsystemAuthentication;
import dev.nvmeof.target.SubsystemConfig;
import dev.nvmeof.target.TargetOptions;

/** A subsystem: the discovery subsystem, or an NVM subsystem with namespaces. Thread-safe. */
final class Subsystem {
    private static final int MAX_CNTLID = TargetOptions.MAX_CNTLID;

    final String nqn;
    final SubsystemConfig config;
    final boolean discovery;
    private final Map<Integer, Namespace> namespaces = new ConcurrentSkipListMap<>();
    private final Map<Integer, TargetController> controllers = new ConcurrentHashMap<>();
    /** Controller IDs are drawn at random, so a host cannot guess another's from its own. */
    private final SecureRandom random = new SecureRandom();

    private Subsystem(String nqn, SubsystemConfig config, boolean discovery) {
        this.nqn = nqn;
        this.config = config;
        this.discovery = discovery;
    }

    static Subsystem discovery() {
        return new Subsystem(NvmeTarget.DISCOVERY_NQN, null, true);
    }

    static Subsystem open(SubsystemConfig config) throws IOException {
        Subsystem subsystem = new Subsystem(config.nqn(), config, false);
        try {
            for (NamespaceConfig ns : config.namespaces()) {
                subsystem.namespaces.put(ns.nsid(), Namespace.open(ns));
            }
        } catch (IOException | RuntimeException e) {
            subsystem.namespaces.values().forEach(Namespace::close);
            throw e;
        }
        return subsystem;
    }

    boolean allows(String hostNqn) {
        return discovery || config.allows(hostNqn);
    }

    /** DH-HMAC-CHAP of this subsystem; none for discovery. */
    SubsystemAuthentication authentication() {
        return discovery ? SubsystemAuthentication.NONE : config.authentication();
    }

    int maxIoQueues() {
        return discovery ? 0 : config.maxIoQueues();
    }

    String serial() {
        return discovery ? "discovery" : config.serial();
    }

    String model() {
        return discovery ? SubsystemConfig.DEFAULT_MODEL : config.model();
    }

    Namespace namespace(int nsid) {
        return namespaces.get(nsid);
    }

    Collection<Namespace> namespaces() {
        return namespaces.values();
    }

    /** Whether any namespace has data in a volatile cache in front of storage (a file): Flush has work to do. */
    boolean forcesToStorage() {
        return namespaces.values().stream().anyMatch(Namespace::forcesToStorage);
    }

    /** Adds a namespace; false if the NSID is taken. */
    boolean addNamespace(Namespace ns) {
        return namespaces.putIfAbsent(ns.nsid(), ns) == null;
    }

    Namespace removeNamespace(int nsid) {
        return namespaces.remove(nsid);
    }

    /**
     * A new controller with a random unused ID in 1..0xFFEF; null when the subsystem already has {@code
     * maxControllers} of them.
     */
    synchronized TargetController createController(Engine engine, String hostNqn, UUID hostId, long katoMillis,
            Connection admin) {
        if (controllers.size() >= engine.options.maxControllers()) {
            return null;
        }
        // At most maxControllers (<= MAX_CNTLID) IDs are taken, so a free one exists; a few draws find it.
        int cntlid = 1 + random.nextInt(MAX_CNTLID);
        while (controllers.containsKey(cntlid)) {
            cntlid = 1 + random.nextInt(MAX_CNTLID);
        }
        TargetController controller = new TargetController(engine, this, cntlid, hostNqn, hostId, katoMillis, admin);
        controllers.put(cntlid, controller);
        return controller;
    }

    TargetController controller(int cntlid) {
        return controllers.get(cntlid);
    }

    Collection<TargetController> controllers() {
        return controllers.values();
    }

    void removeController(TargetController controller) {
        controllers.remove(controller.cntlid, controller);
    }

    /** Tears down every controller and closes the namespaces. */
    void shutdown() {
        controllers.values().forEach(c -> c.teardown("subsystem removed"));
        namespaces.values().forEach(Namespace::close);
    }
}
