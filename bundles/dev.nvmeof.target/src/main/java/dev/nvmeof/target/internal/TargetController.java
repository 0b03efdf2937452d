package dev.nvmeof.target.internal;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.nvmeof.protocol.AsyncEvent;
import dev.nvmeof.protocol.AsyncEventType;
import dev.nvmeof.protocol.LogPageId;

/**
 * One controller: created by an admin-queue Connect, owner of its I/O queues, keep-alive and asynchronous events.
 * Register state (CC, CSTS), events and AERs belong to the admin queue's event loop; what other loops touch
 * (activity, readiness, queue table, counters) is thread-safe.
 */
final class TargetController {
    /** How many AERs may be outstanding (Identify Controller AERL is this minus one). */
    static final int AER_LIMIT = 4;
    private static final int CHANGED_LIST_MAX = 1024;

    final Engine engine;
    final Subsystem subsystem;
    final int cntlid;
    final String hostNqn;
    final UUID hostId;
    final Connection admin;
    private final Map<Integer, Connection> ioQueues = new ConcurrentHashMap<>();

    private volatile long lastActivityNanos;
    private volatile long katoNanos;
    private volatile boolean ready;
    private volatile boolean dead;
    private volatile boolean shutDown;
    private volatile int grantedIoQueues;

    // Admin-loop state.
    int cc;
    int csts;
    int asyncEventConfig;
    private final ArrayDeque<CommandSlot> heldAers = new ArrayDeque<>();
    private final ArrayDeque<Integer> pendingEvents = new ArrayDeque<>();
    private final TreeSet<Integer> changedNamespaces = new TreeSet<>();
    private boolean changedListOverflow;
    private boolean namespaceNoticeMasked;
    private boolean discoveryNoticeMasked;

    /** 512-byte units moved; the SMART log reports them in thousands, rounded up (NVMe Base 2.0, Figure 207). */
    final AtomicLong sectorsRead = new AtomicLong();
    final AtomicLong sectorsWritten = new AtomicLong();
    final AtomicLong hostReads = new AtomicLong();
    final AtomicLong hostWrites = new AtomicLong();

    TargetController(Engine engine, Subsystem subsystem, int cntlid, String hostNqn, UUID hostId, long katoMillis,
            Connection admin) {
        this.engine = engine;
        this.subsystem = subsystem;
        this.cntlid = cntlid;
        this.hostNqn = hostNqn;
        this.hostId = hostId;
        this.admin = admin;
        this.grantedIoQueues = subsystem.maxIoQueues();
        this.asyncEventConfig = subsystem.discovery ? AsyncEvent.CONFIG_DISCOVERY_LOG_PAGE_CHANGE_NOTICES
                : AsyncEvent.CONFIG_NAMESPACE_ATTRIBUTE_NOTICES;
        keepAliveTimeout(katoMillis);
        touch(engine.clock().nanoTime());
    }

    void touch(long now) {
        lastActivityNanos = now;
    }

    void keepAliveTimeout(long millis) {
        katoNanos = TimeUnit.MILLISECONDS.toNanos(millis);
    }

    long keepAliveTimeoutMillis() {
        return TimeUnit.NANOSECONDS.toMillis(katoNanos);
    }

    /** Keep Alive Timeout: torn down when KATO has passed with no command on any of its queues. */
    boolean checkKeepAlive(long now) {
        long kato = katoNanos;
        if (kato > 0 && !dead && now - lastActivityNanos - kato > 0) {
            teardown("keep-alive timeout (" + TimeUnit.NANOSECONDS.toMillis(kato) + " ms without a command)");
            return true;
        }
        return false;
    }

    boolean isReady() {
        return ready;
    }

    void ready(boolean value) {
        ready = value;
    }

    boolean isDead() {
        return dead;
    }

    /** Whether commands of its queues may run: enabled (CC.EN, CSTS.RDY), not shut down, not torn down. */
    boolean acceptsIo() {
        return ready && !dead && !shutDown;
    }

    /** Enabled and alive, but CC.SHN was set: its queues stay open, its I/O is refused. */
    boolean isShutDownOnly() {
        return ready && !dead && shutDown;
    }

    /** CC.SHN was set: no more I/O until the controller is disabled and enabled again. */
    void shutDown(boolean value) {
        shutDown = value;
    }

    int grantedIoQueues() {
        return grantedIoQueues;
    }

    int grantIoQueues(int requested) {
        grantedIoQueues = Math.max(1, Math.min(requested, subsystem.maxIoQueues()));
        return grantedIoQueues;
    }

    boolean attachIoQueue(int qid, Connection connection) {
        return !dead && ioQueues.putIfAbsent(qid, connection) == null;
    }

    void detachIoQueue(int qid, Connection connection) {
        ioQueues.remove(qid, connection);
    }

    int ioQueueCount() {
        return ioQueues.size();
    }

    /** Closes the I/O queues (controller reset with CC.EN = 0). */
    void closeIoQueues() {
        ioQueues.values().forEach(Connection::closeFromAnyThread);
    }

    /** Ends the controller: every queue closes and the subsystem forgets it. Safe from any thread, idempotent. */
    void teardown(String reason) {
        if (dead) {
            return;
        }
        dead = true;
        ready = false;
        subsystem.removeController(this);
        engine.log(System.Logger.Level.INFO, "controller " + cntlid + " of " + LogText.printable(subsystem.nqn)
                + " for " + LogText.printable(hostNqn) + " torn down: " + reason);
        closeIoQueues();
        admin.closeFromAnyThread();
    }

    // ---- asynchronous events (admin loop) ----

    /**
     * Holds an AER; false when the limit is reached. When an event is already waiting, the AER takes it at once and
     * completes through the normal command path (its outcome becomes RESPOND), not through {@link
     * Connection#completeHeld}: completing it here as well would send two CQEs and free its slot twice.
     */
    boolean holdAer(CommandSlot slot) {
        if (!pendingEvents.isEmpty()) {
            slot.respond(0);
            slot.dw0 = pendingEvents.poll();
            return true;
        }
        if (heldAers.size() >= AER_LIMIT) {
            return false;
        }
        heldAers.add(slot);
        return true;
    }

    void namespaceChanged(int nsid) {
        if (changedNamespaces.size() < CHANGED_LIST_MAX) {
            changedNamespaces.add(nsid);
        } else {
            changedListOverflow = true;
        }
        if ((asyncEventConfig & AsyncEvent.CONFIG_NAMESPACE_ATTRIBUTE_NOTICES) != 0 && !namespaceNoticeMasked) {
            namespaceNoticeMasked = true;
            pendingEvents.add(AsyncEvent.dw0(AsyncEventType.NOTICE, AsyncEvent.NOTICE_NAMESPACE_ATTRIBUTE_CHANGED,
                    LogPageId.CHANGED_NAMESPACE_LIST.code()));
            deliverEvents();
        }
    }

    void discoveryLogChanged() {
        if ((asyncEventConfig & AsyncEvent.CONFIG_DISCOVERY_LOG_PAGE_CHANGE_NOTICES) != 0 && !discoveryNoticeMasked) {
            discoveryNoticeMasked = true;
            pendingEvents.add(AsyncEvent.dw0(AsyncEventType.NOTICE, AsyncEvent.NOTICE_DISCOVERY_LOG_PAGE_CHANGE,
                    LogPageId.DISCOVERY.code()));
            deliverEvents();
        }
    }

    /** The changed namespace list as read by Get Log Page 04h; reading it without RAE clears it and unmasks. */
    int[] takeChangedNamespaces(boolean retain) {
        int[] list = changedListOverflow ? new int[] {0xFFFFFFFF}
                : changedNamespaces.stream().mapToInt(Integer::intValue).toArray();
        if (!retain) {
            changedNamespaces.clear();
            changedListOverflow = false;
            namespaceNoticeMasked = false;
        }
        return list;
    }

    void discoveryLogRead(boolean retain) {
        if (!retain) {
            discoveryNoticeMasked = false;
        }
    }

    private void deliverEvents() {
        while (!heldAers.isEmpty() && !pendingEvents.isEmpty()) {
            CommandSlot slot = heldAers.poll();
            slot.respond(0);
            slot.dw0 = pendingEvents.poll();
            admin.completeHeld(slot);
        }
    }
}
