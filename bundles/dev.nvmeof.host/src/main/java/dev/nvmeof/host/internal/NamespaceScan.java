package dev.nvmeof.host.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import dev.nvmeof.api.NvmeTransportException;
import dev.nvmeof.protocol.AdminCommands;
import dev.nvmeof.protocol.ChangedNamespaceListFlyweight;
import dev.nvmeof.protocol.IdentifyCns;
import dev.nvmeof.protocol.IdentifyNamespaceFlyweight;
import dev.nvmeof.protocol.LogPageId;
import dev.nvmeof.protocol.NamespaceListFlyweight;
import dev.nvmeof.protocol.DataDirection;

/**
 * The rescan after a Namespace Attribute Changed notice or a reconnect (Linux {@code nvme_scan_work}): Get Log Page
 * Changed Namespace List with RAE cleared (which clears the list and unmasks the notice), Identify Active Namespace
 * List, and Identify Namespace for each NSID not known yet or named in the changed list (every one when the list
 * overflowed, or when the rescan follows a reconnect and no notice named them).
 *
 * <p>Asynchronous: each command is sent from the completion of the one before, so the controller's work loop never
 * blocks on it and keeps checking command timeouts meanwhile (a timeout on the LIVE admin queue starts recovery,
 * whose teardown fails the scan with Host Aborted). The result is the complete namespace list, by NSID.
 */
final class NamespaceScan {
    /** NSID FFFFFFFFh: every namespace, as Linux reads the Changed Namespace List. */
    static final int NSID_ALL = 0xFFFF_FFFF;

    private final HostQueue admin;
    private final Map<Integer, ConnectSequence.NamespaceInfo> known;
    private final boolean identifyAll;

    /**
     * @param known       the namespaces the controller lists now, by NSID
     * @param identifyAll identify every active namespace again, not only new and changed ones (after a reconnect)
     */
    NamespaceScan(HostQueue admin, Map<Integer, ConnectSequence.NamespaceInfo> known, boolean identifyAll) {
        this.admin = admin;
        this.known = known;
        this.identifyAll = identifyAll;
    }

    CompletableFuture<List<ConnectSequence.NamespaceInfo>> start() {
        ByteBuffer log = buffer(ChangedNamespaceListFlyweight.LENGTH);
        return send(new AdminCommand("Get Log Page", (sqe, cid) -> AdminCommands.getLogPage(sqe, cid,
                LogPageId.CHANGED_NAMESPACE_LIST.code(), NSID_ALL, ChangedNamespaceListFlyweight.LENGTH, 0, false),
                log, DataDirection.CONTROLLER_TO_HOST))
                .thenCompose(ignored -> {
                    ChangedNamespaceListFlyweight changed = new ChangedNamespaceListFlyweight().wrap(log, 0);
                    int[] nsids = changed.overflowed() ? null : changed.toArray();
                    return activeList().thenCompose(active -> identify(active, nsids));
                }).toCompletableFuture();
    }

    private CompletionStage<int[]> activeList() {
        ByteBuffer list = buffer(NamespaceListFlyweight.LENGTH);
        return send(new AdminCommand("Identify", (sqe, cid) -> AdminCommands.identify(sqe, cid,
                IdentifyCns.ACTIVE_NAMESPACE_LIST, 0), list, DataDirection.CONTROLLER_TO_HOST))
                .thenApply(ignored -> new NamespaceListFlyweight().wrap(list, 0).toArray());
    }

    /** Identifies, one after the other, the active NSIDs that need it; keeps what is known of the others. */
    private CompletionStage<List<ConnectSequence.NamespaceInfo>> identify(int[] active, int[] changed) {
        List<ConnectSequence.NamespaceInfo> result = new ArrayList<>();
        CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
        for (int nsid : active) {
            ConnectSequence.NamespaceInfo old = known.get(nsid);
            boolean named = changed == null || Arrays.stream(changed).anyMatch(n -> n == nsid);
            if (old != null && !named && !identifyAll) {
                chain = chain.thenRun(() -> result.add(old));
                continue;
            }
            ByteBuffer data = buffer(IdentifyNamespaceFlyweight.LENGTH);
            chain = chain.thenCompose(ignored -> send(new AdminCommand("Identify", (sqe, cid) ->
                    AdminCommands.identify(sqe, cid, IdentifyCns.NAMESPACE, nsid), data,
                    DataDirection.CONTROLLER_TO_HOST)))
                    .thenAccept(ignored -> {
                        ConnectSequence.NamespaceInfo info = ConnectSequence.namespaceInfo(nsid, data);
                        if (info != null) {
                            result.add(info);
                        }
                    });
        }
        return chain.thenApply(ignored -> List.copyOf(result));
    }

    private CompletionStage<Long> send(AdminCommand command) {
        if (!admin.submit(command)) {
            return CompletableFuture.failedFuture(
                    NvmeTransportException.connectionLost(command.step() + ": admin queue closed", null));
        }
        return command.result();
    }

    private static ByteBuffer buffer(int length) {
        return ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    }
}
