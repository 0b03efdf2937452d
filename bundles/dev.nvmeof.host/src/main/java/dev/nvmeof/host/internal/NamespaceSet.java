package dev.nvmeof.host.internal;

import dev.nvmeof.protocol.log.Log;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.nvmeof.api.ControllerState;
import dev.nvmeof.api.NvmeNamespace;

/**
 * A controller's namespaces and how they follow the target: installed by the first connect, rescanned
 * ({@link NamespaceScan}) when an Asynchronous Event says they changed ({@link AsyncEvents}) and after every
 * reconnect (a notice is lost with its association), each one added or removed announced to the
 * {@link HostListener}, and all withdrawn when the controller is DEAD.
 *
 * <p><b>Threads.</b> Rescans are asked for from any thread and started and applied by the work loop, which owns the
 * running scan. Changes of the list and their announcements are serialised by one lock, so listeners hear of one
 * controller's namespaces one at a time, in order.
 */
final class NamespaceSet {
    private static final System.Logger LOG = Log.get("dev.nvmeof.host");

    private final HostController controller;
    private final IoPath path;
    /** Serialises changes of {@link #namespaces} with their announcements. */
    private final Object lock = new Object();
    private volatile List<NvmeNamespace> namespaces = List.of();
    /** A notice or a reconnect asked for a rescan; the work loop starts it. */
    private volatile boolean rescanRequested;
    private volatile boolean identifyAll;
    private boolean everLive;
    /** The rescan running, owned by the work loop. */
    private CompletableFuture<List<ConnectSequence.NamespaceInfo>> scan;

    /** @param path where the namespaces' block devices send their requests */
    NamespaceSet(HostController controller, IoPath path) {
        this.controller = controller;
        this.path = path;
    }

    List<NvmeNamespace> list() {
        return namespaces;
    }

    /** The namespaces the first connect found, made before the controller goes LIVE; {@link #install} them after. */
    List<NvmeNamespace> create(List<ConnectSequence.NamespaceInfo> infos) {
        List<NvmeNamespace> found = new ArrayList<>();
        for (ConnectSequence.NamespaceInfo info : infos) {
            found.add(namespace(info));
        }
        return found;
    }

    /** Installs and announces the first connect's namespaces (none if the controller was deleted meanwhile). */
    void install(List<NvmeNamespace> found) {
        synchronized (lock) {
            namespaces = List.copyOf(found);
            if (!controller.state().isTerminal()) { // else withdrawAll() has run: nothing to announce
                for (NvmeNamespace namespace : found) {
                    controller.hostListener().namespaceAdded(controller, namespace);
                }
            }
        }
    }

    /**
     * A new association is about to go LIVE: after a reconnect every namespace is identified again, since they may
     * have changed while we were away and their notice is lost with the old association.
     */
    void associated() {
        if (everLive) {
            identifyAll = true;
            rescanRequested = true;
        }
        everLive = true;
    }

    /** A notice said the namespaces changed (a transport thread); the work loop rescans. */
    void rescanRequested() {
        rescanRequested = true;
    }

    /** The work loop's part: start a requested rescan on a LIVE controller, apply a finished one. */
    int doWork(ConnectSequence.Connected c) {
        int work = 0;
        CompletableFuture<List<ConnectSequence.NamespaceInfo>> running = scan;
        if (running != null && running.isDone()) {
            scan = null;
            work++;
            if (!running.isCompletedExceptionally()) {
                apply(running.join());
            } else if (controller.state() == ControllerState.LIVE) {
                LOG.log(System.Logger.Level.WARNING, "{0}: namespace rescan failed", controller.name());
            }
        }
        if (scan == null && rescanRequested && c != null && controller.state() == ControllerState.LIVE) {
            rescanRequested = false;
            Map<Integer, ConnectSequence.NamespaceInfo> known = new LinkedHashMap<>();
            for (NvmeNamespace namespace : namespaces) {
                known.put(namespace.nsid(), info(namespace));
            }
            boolean all = identifyAll;
            identifyAll = false;
            CompletableFuture<List<ConnectSequence.NamespaceInfo>> started =
                    new NamespaceScan(c.admin(), known, all).start();
            started.whenComplete((value, error) -> controller.wake());
            scan = started;
            work++;
        }
        return work;
    }

    /** DEAD: every namespace is withdrawn. */
    void withdrawAll() {
        synchronized (lock) {
            for (NvmeNamespace namespace : namespaces) {
                controller.hostListener().namespaceRemoved(controller, namespace);
            }
        }
    }

    private HostNamespace namespace(ConnectSequence.NamespaceInfo info) {
        return new HostNamespace(controller.name() + "n" + info.nsid(), info.nsid(), info.blocks(), info.blockSize(),
                path);
    }

    private static ConnectSequence.NamespaceInfo info(NvmeNamespace namespace) {
        return new ConnectSequence.NamespaceInfo(namespace.nsid(), namespace.blocks(), namespace.blockSize());
    }

    /** Installs the scanned list: gone or changed namespaces are removed, new or changed ones added. */
    private void apply(List<ConnectSequence.NamespaceInfo> scanned) {
        synchronized (lock) {
            if (controller.state().isTerminal()) {
                return;
            }
            Map<Integer, ConnectSequence.NamespaceInfo> found = new LinkedHashMap<>();
            for (ConnectSequence.NamespaceInfo info : scanned) {
                found.put(info.nsid(), info);
            }
            List<NvmeNamespace> kept = new ArrayList<>();
            List<NvmeNamespace> removed = new ArrayList<>();
            for (NvmeNamespace namespace : namespaces) {
                if (info(namespace).equals(found.get(namespace.nsid()))) {
                    kept.add(namespace);
                    found.remove(namespace.nsid());
                } else {
                    removed.add(namespace); // gone, or changed size: withdrawn, then announced again
                }
            }
            List<NvmeNamespace> added = new ArrayList<>();
            for (ConnectSequence.NamespaceInfo info : found.values()) {
                added.add(namespace(info));
            }
            if (removed.isEmpty() && added.isEmpty()) {
                return;
            }
            List<NvmeNamespace> now = new ArrayList<>(kept);
            now.addAll(added);
            now.sort(Comparator.comparingInt(NvmeNamespace::nsid));
            namespaces = List.copyOf(now);
            HostListener listener = controller.hostListener();
            for (NvmeNamespace namespace : removed) {
                LOG.log(System.Logger.Level.DEBUG, "{0}: namespace {1} removed", controller.name(), namespace);
                listener.namespaceRemoved(controller, namespace);
            }
            for (NvmeNamespace namespace : added) {
                LOG.log(System.Logger.Level.DEBUG, "{0}: namespace {1} added", controller.name(), namespace);
                listener.namespaceAdded(controller, namespace);
            }
        }
    }
}
