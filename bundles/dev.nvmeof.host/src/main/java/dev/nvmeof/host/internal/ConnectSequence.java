package dev.nvmeof.host.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.NvmeException;
import dev.nvmeof.api.NvmeStatusException;
import dev.nvmeof.api.NvmeTimeoutException;
import dev.nvmeof.api.NvmeTransportException;
import dev.nvmeof.api.QueueCounts;
import dev.nvmeof.protocol.AdminCommands;
import dev.nvmeof.protocol.AsyncEvent;
import dev.nvmeof.protocol.Capabilities;
import dev.nvmeof.protocol.ConnectDataFlyweight;
import dev.nvmeof.protocol.ConnectResponse;
import dev.nvmeof.protocol.ControllerConfiguration;
import dev.nvmeof.protocol.ControllerProperty;
import dev.nvmeof.protocol.ControllerStatus;
import dev.nvmeof.protocol.FabricsCommands;
import dev.nvmeof.protocol.IdentifyCns;
import dev.nvmeof.protocol.IdentifyController;
import dev.nvmeof.protocol.IdentifyControllerFlyweight;
import dev.nvmeof.protocol.IdentifyNamespaceFlyweight;
import dev.nvmeof.protocol.NamespaceListFlyweight;
import dev.nvmeof.protocol.DataDirection;
import dev.nvmeof.spi.transport.QueueParameters;
import dev.nvmeof.spi.transport.TransportAssociation;
import dev.nvmeof.spi.transport.TransportLimits;
import dev.nvmeof.spi.transport.TransportQueue;

/**
 * One connect attempt on an association, as the Linux host does it ({@code nvme_tcp_setup_ctrl}:
 * {@code nvme_tcp_configure_admin_queue} with {@code nvmf_connect_admin_queue}, {@code nvme_enable_ctrl},
 * {@code nvme_init_ctrl_finish}; then {@code nvme_tcp_configure_io_queues} with {@code nvme_set_queue_count} and
 * {@code nvmf_connect_io_queue}; then the namespace scan):
 *
 * <ol>
 *   <li>admin queue: 32 entries, 8 KiB in-capsule, ICResp within {@link HostSettings#icRespTimeout()};</li>
 *   <li>Fabrics Connect (QID 0, KATO from the options, CNTLID FFFFh, host NQN and ID in 1024 bytes of data), then
 *       DH-HMAC-CHAP when the response's AUTHREQ asks for it or the host verifies the controller
 *       ({@link QueueAuthentication}); each I/O queue's Connect likewise;</li>
 *   <li>Property Get CAP (MQES, TO) and VS; Property Set CC (EN, IOSQES 6, IOCQES 4, MPS 0);</li>
 *   <li>Property Get CSTS until RDY, within CAP.TO on the injected clock;</li>
 *   <li>Identify Controller (MDTS, IOCCSZ, MAXCMD; SGLS must say SGLs are supported);</li>
 *   <li>Set Features Number of Queues asking {@code min(nr_io_queues + nr_write_queues + nr_poll_queues,
 *       limits.maxIoQueues)}; {@code min(asked, granted)} I/O queues split into default/read/poll ({@link IoQueues}),
 *       each {@code min(queue_size, MQES + 1, MAXCMD)} entries, each with its Connect; poll queues polled when the
 *       transport can poll;</li>
 *   <li>Identify Active Namespace List and Identify Namespace for each (first connect only).</li>
 * </ol>
 *
 * Every command is under the admin timeout, enforced by the admin queue's {@link RequestTimer}: a missed deadline
 * fails the attempt with an {@link NvmeTimeoutException} naming the step. The waiting thread checks the deadlines
 * itself every {@link HostSettings#waitTick()}, so an attempt on the controller's own work thread cannot wait for
 * itself. On failure everything created is torn down; closing the association is the caller's.
 */
final class ConnectSequence {
    static final int ADMIN_QUEUE_SIZE = 32;
    static final int ADMIN_IN_CAPSULE = 8192;
    /** Reserved admin tags: Connect, Keep Alive, the Asynchronous Event Request. */
    static final int ADMIN_RESERVED = 3;
    static final int CONNECT_TAG_INDEX = 0;
    static final int KEEP_ALIVE_TAG_INDEX = 1;
    static final int ASYNC_EVENT_TAG_INDEX = 2;
    /** Identify Controller SGLS bits 1:0, SGL Support: 00b means none. */
    static final int SGLS_SUPPORT_MASK = 0x3;
    /** Reserved I/O tag: Connect. */
    static final int IO_RESERVED = 1;
    /** How long a wait on a poll queue lasts between two polls. */
    static final long POLL_WAIT_NANOS = 50_000;

    /** What a successful attempt built; {@code io} in QID order, split as {@code counts} says ({@link IoQueues}). */
    record Connected(TransportAssociation association, HostQueue admin, HostQueue[] io, QueueCounts counts,
            int cntlid, Capabilities capabilities, int version, IdentifyController identify, int maxTransferSize,
            List<NamespaceInfo> namespaces) {
    }

    /** A namespace as Identify Namespace describes it. */
    record NamespaceInfo(int nsid, long blocks, int blockSize) {
    }

    private final ConnectOptions options;
    private final HostSettings settings;
    private final HostQueue.Listener listener;
    private final BooleanSupplier abandoned;
    /** Written by the connecting thread, read by the work loop's timeout checks too. */
    private final List<HostQueue> queues = new CopyOnWriteArrayList<>();
    private volatile AdminCommand current;
    private volatile NvmeTransportException queueFailure;
    /** T_ID of the next DH-HMAC-CHAP transaction, one per authenticated queue, as Linux's ctrl->transaction. */
    private int nextTransactionId;

    /**
     * @param options   with the host identity filled in
     * @param listener  told when one of the created queues fails after the attempt succeeded
     * @param abandoned true when the attempt must stop now ({@code ctrl_loss_tmo} passed)
     */
    ConnectSequence(ConnectOptions options, HostSettings settings, HostQueue.Listener listener,
            BooleanSupplier abandoned) {
        this.options = options;
        this.settings = settings;
        this.listener = listener;
        this.abandoned = abandoned;
    }

    /** Runs the attempt on {@code association}. */
    Connected run(TransportAssociation association, boolean scanNamespaces) throws NvmeException {
        try {
            return connect(association, scanNamespaces);
        } catch (NvmeException | RuntimeException e) {
            for (HostQueue queue : queues) {
                for (PendingRequest pending : queue.teardown()) {
                    pending.fail(IoCommands.HOST_ABORTED);
                }
            }
            throw e;
        }
    }

    private Connected connect(TransportAssociation association, boolean scanNamespaces) throws NvmeException {
        TransportLimits limits = association.limits();
        HostQueue admin = createQueue(association, 0, ADMIN_QUEUE_SIZE, ADMIN_RESERVED, settings.adminTimeout(),
                ADMIN_IN_CAPSULE, false);
        int cntlid = ConnectResponse.cntlid((int) connectQueue(admin, 0xFFFF, ADMIN_QUEUE_SIZE,
                options.keepAliveTmo() * 1000));

        Capabilities cap = Capabilities.of(await(admin, new AdminCommand(NvmeTimeoutException.PROPERTY,
                (sqe, cid) -> FabricsCommands.propertyGet(sqe, cid, ControllerProperty.CAP))));
        int version = (int) await(admin, new AdminCommand(NvmeTimeoutException.PROPERTY,
                (sqe, cid) -> FabricsCommands.propertyGet(sqe, cid, ControllerProperty.VS)));
        int cc = ControllerConfiguration.NVM_DEFAULTS.withEnable(true).toInt();
        await(admin, new AdminCommand(NvmeTimeoutException.PROPERTY,
                (sqe, cid) -> FabricsCommands.propertySet(sqe, cid, ControllerProperty.CC, cc)));
        waitReady(admin, cap);

        ByteBuffer identifyData = dataBuffer(AdminCommands.IDENTIFY_DATA_LENGTH);
        await(admin, new AdminCommand(NvmeTimeoutException.IDENTIFY,
                (sqe, cid) -> AdminCommands.identify(sqe, cid, IdentifyCns.CONTROLLER, 0), identifyData,
                DataDirection.CONTROLLER_TO_HOST));
        IdentifyControllerFlyweight identifyView = new IdentifyControllerFlyweight().wrap(identifyData, 0);
        IdentifyController identify = identifyView.toRecord();
        if ((identify.sgls() & SGLS_SUPPORT_MASK) == 0) {
            // Fabrics carry data only through SGLs (Linux nvme_init_ctrl_finish: "Mandatory sgls are not supported!").
            throw NvmeTransportException.of("the controller does not support SGLs (SGLS 0x"
                    + Integer.toHexString(identify.sgls()) + "), which NVMe over Fabrics requires", null, false, null);
        }
        long mdtsBytes = identifyView.maxDataTransferBytes((int) cap.minPageSize());
        int maxTransfer = (int) Math.min(limits.maxTransferSize(), mdtsBytes == 0 ? Integer.MAX_VALUE : mdtsBytes);

        HostQueue[] io = new HostQueue[0];
        QueueCounts counts = QueueCounts.NONE;
        if (options.nrIoQueues() > 0) {
            int asked = IoQueues.asked(options, limits.maxIoQueues());
            int dw0 = (int) await(admin, new AdminCommand(NvmeTimeoutException.SET_FEATURES,
                    (sqe, cid) -> AdminCommands.setNumberOfQueues(sqe, cid, asked, asked)));
            int granted = Math.min(AdminCommands.grantedSubmissionQueues(dw0),
                    AdminCommands.grantedCompletionQueues(dw0));
            counts = IoQueues.split(options.nrIoQueues(), options.nrWriteQueues(), options.nrPollQueues(),
                    Math.min(asked, granted));
            int size = ioQueueSize(options.queueSize(), cap, identify.maxcmd());
            int inCapsule = Math.max(0, identify.ioccsz() * 16 - 64);
            int firstPoll = counts.defaultQueues() + counts.readQueues() + 1;
            io = new HostQueue[counts.total()];
            for (int qid = 1; qid <= io.length; qid++) {
                // A transport that cannot poll serves its poll queues from its own threads (see BlockDevice.poll).
                boolean polled = qid >= firstPoll && limits.polling();
                io[qid - 1] = createQueue(association, qid, size, IO_RESERVED, settings.ioTimeout(), inCapsule,
                        polled);
                connectQueue(io[qid - 1], cntlid, size, 0);
            }
        }

        enableAsyncEvents(admin, identify);
        List<NamespaceInfo> namespaces = scanNamespaces ? scan(admin) : List.of();
        return new Connected(association, admin, io, counts, cntlid, cap, version, identify, maxTransfer,
                namespaces);
    }

    /** The I/O queue size: what was asked, clamped to MQES + 1 and MAXCMD (0 = no limit), at least 2. */
    static int ioQueueSize(int asked, Capabilities cap, int maxcmd) {
        int size = Math.min(asked, cap.maxQueueEntries());
        if (maxcmd > 0) {
            size = Math.min(size, maxcmd);
        }
        return Math.max(2, size);
    }

    private HostQueue createQueue(TransportAssociation association, int qid, int size, int reserved,
            Duration timeout, int inCapsule, boolean polled) throws NvmeException {
        HostQueue queue = new HostQueue(qid, size, reserved, timeout, settings.clock(), this::queueFailed);
        queues.add(queue);
        TransportQueue transportQueue = association.createQueue(new QueueParameters(qid, size, inCapsule,
                options.hdrDigest(), options.dataDigest(), polled, settings.icRespTimeout()), queue);
        queue.attach(transportQueue, polled);
        return queue;
    }

    /** Fabrics Connect on the queue's reserved tag; returns the response's DW0. */
    private long connectQueue(HostQueue queue, int cntlid, int size, int katoMillis) throws NvmeException {
        ByteBuffer data = dataBuffer(ConnectDataFlyweight.LENGTH);
        new ConnectDataFlyweight().wrap(data, 0).set(options.hostid(), cntlid, options.nqn(), options.hostnqn());
        int cattr = options.disableSqflow() ? FabricsCommands.CATTR_DISABLE_SQ_FLOW_CONTROL : 0;
        AdminCommand connect = new AdminCommand(NvmeTimeoutException.CONNECT,
                (sqe, cid) -> FabricsCommands.connect(sqe, cid, queue.qid(), size - 1, katoMillis, cattr), data,
                DataDirection.HOST_TO_CONTROLLER);
        long dw0 = await(queue, connect, true);
        if (QueueAuthentication.wanted(options, ConnectResponse.isAuthenticationRequired((int) dw0))) {
            // On the Connect's reserved tag, one command at a time, as Linux uses a reserved tag for it.
            QueueAuthentication.authenticate(options, queue.qid(), nextTransactionId++ & 0xFFFF,
                    command -> await(queue, command, true));
        }
        return dw0;
    }

    /**
     * Set Features Asynchronous Event Configuration with the notices the core handles, when Identify OAES says the
     * controller has them (Linux {@code nvme_enable_aen}). A controller that refuses is still usable: it only does not
     * tell us about namespace changes.
     */
    private void enableAsyncEvents(HostQueue admin, IdentifyController identify) throws NvmeException {
        int config = identify.oaes() & AsyncEvent.CONFIG_NAMESPACE_ATTRIBUTE_NOTICES;
        if (config == 0) {
            return;
        }
        try {
            await(admin, new AdminCommand(NvmeTimeoutException.SET_FEATURES,
                    (sqe, cid) -> AdminCommands.setAsyncEventConfig(sqe, cid, config)));
        } catch (NvmeStatusException e) {
            // not fatal, as in Linux ("Failed to configure AEN")
        }
    }

    /** Polls CSTS until RDY, failing on CFS or once CAP.TO has passed (a timeout naming CSTS.RDY). */
    private void waitReady(HostQueue admin, Capabilities cap) throws NvmeException {
        long timeoutMillis = Math.max(cap.readyTimeoutMillis(), Capabilities.TIMEOUT_UNIT_MILLIS);
        Duration timeout = Duration.ofMillis(timeoutMillis);
        long deadline = settings.clock().nanoTime() + timeout.toNanos();
        for (;;) {
            int csts = (int) readStatus(admin);
            if (ControllerStatus.isFatal(csts)) {
                throw NvmeTransportException.of("controller fatal status (CSTS.CFS) while enabling", null, true,
                        null);
            }
            if (ControllerStatus.isReady(csts)) {
                return;
            }
            if (Deadlines.reached(deadline, settings.clock().nanoTime())) {
                throw NvmeTimeoutException.of(NvmeTimeoutException.CSTS_RDY, timeout, "CAP.TO " + cap.timeout());
            }
            settings.pause().accept(settings.pollInterval().toNanos());
        }
    }

    private long readStatus(HostQueue admin) throws NvmeException {
        return await(admin, new AdminCommand(NvmeTimeoutException.PROPERTY,
                (sqe, cid) -> FabricsCommands.propertyGet(sqe, cid, ControllerProperty.CSTS)));
    }

    /** The namespace of {@code nsid} as Identify Namespace data describes it, or null if inactive or unusable. */
    static NamespaceInfo namespaceInfo(int nsid, ByteBuffer identifyNamespace) {
        IdentifyNamespaceFlyweight view = new IdentifyNamespaceFlyweight().wrap(identifyNamespace, 0);
        return view.nsze() > 0 && view.blockSize() >= 512 ? new NamespaceInfo(nsid, view.nsze(), view.blockSize())
                : null;
    }

    private List<NamespaceInfo> scan(HostQueue admin) throws NvmeException {
        ByteBuffer list = dataBuffer(NamespaceListFlyweight.LENGTH);
        await(admin, new AdminCommand(NvmeTimeoutException.IDENTIFY,
                (sqe, cid) -> AdminCommands.identify(sqe, cid, IdentifyCns.ACTIVE_NAMESPACE_LIST, 0), list,
                DataDirection.CONTROLLER_TO_HOST));
        int[] nsids = new NamespaceListFlyweight().wrap(list, 0).toArray();
        List<NamespaceInfo> namespaces = new ArrayList<>();
        ByteBuffer data = dataBuffer(IdentifyNamespaceFlyweight.LENGTH);
        IdentifyNamespaceFlyweight view = new IdentifyNamespaceFlyweight();
        for (int nsid : nsids) {
            await(admin, new AdminCommand(NvmeTimeoutException.IDENTIFY,
                    (sqe, cid) -> AdminCommands.identify(sqe, cid, IdentifyCns.NAMESPACE, nsid), data,
                    DataDirection.CONTROLLER_TO_HOST));
            view.wrap(data, 0);
            if (view.nsze() > 0 && view.blockSize() >= 512) { // an inactive or unusable namespace is skipped
                namespaces.add(new NamespaceInfo(nsid, view.nsze(), view.blockSize()));
            }
        }
        return namespaces;
    }

    private long await(HostQueue queue, AdminCommand command) throws NvmeException {
        return await(queue, command, false);
    }

    /**
     * Sends the command and waits for it; meanwhile checks the attempt's deadlines every tick, so it never waits
     * longer than the admin timeout on the injected clock (plus one tick), or past the point of abandonment.
     */
    private long await(HostQueue queue, AdminCommand command, boolean reserved) throws NvmeException {
        NvmeTransportException failure = queueFailure;
        if (failure != null) {
            throw failure;
        }
        current = command;
        boolean sent = reserved ? queue.submitReserved(CONNECT_TAG_INDEX, command) : queue.submit(command);
        if (!sent) {
            throw NvmeTransportException.connectionLost(command.step() + ": queue " + queue.qid() + " closed", null);
        }
        // A poll queue's completions, Connect's too, arrive only when polled: the waiter polls (blk_execute_rq).
        boolean polled = queue.polled();
        long tick = polled ? Math.min(POLL_WAIT_NANOS, settings.waitTick().toNanos()) : settings.waitTick().toNanos();
        for (;;) {
            if (polled) {
                queue.poll();
            }
            try {
                return command.result().get(tick, TimeUnit.NANOSECONDS);
            } catch (ExecutionException | InterruptedException e) {
                throw command.failure(e);
            } catch (TimeoutException e) {
                if (abandoned.getAsBoolean()) {
                    throw NvmeTimeoutException.of(command.step(), settings.adminTimeout(), "attempt abandoned");
                }
                checkTimeouts(settings.clock().nanoTime());
            }
        }
    }

    /** Checks the deadlines of every queue of the attempt (also called by the controller's work loop). */
    void checkTimeouts(long now) {
        for (HostQueue queue : queues) {
            queue.checkTimeouts(now);
        }
    }

    private void queueFailed(HostQueue queue, NvmeTransportException cause) {
        if (queueFailure == null) {
            queueFailure = cause;
            AdminCommand command = current;
            if (command != null) {
                command.result().completeExceptionally(cause);
            }
        }
        listener.queueFailed(queue, cause);
    }

    private static ByteBuffer dataBuffer(int length) {
        return ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    }
}
