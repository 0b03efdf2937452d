package dev.nvmeof.target.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

import dev.nvmeof.protocol.AdminCommands;
import dev.nvmeof.protocol.AdminOpcode;
import dev.nvmeof.protocol.ChangedNamespaceListFlyweight;
import dev.nvmeof.protocol.CommandSpecificStatus;
import dev.nvmeof.protocol.DiscoveryLogEntry;
import dev.nvmeof.protocol.DiscoveryLogPageFlyweight;
import dev.nvmeof.protocol.FabricsCommands;
import dev.nvmeof.protocol.FeatureId;
import dev.nvmeof.protocol.GenericStatus;
import dev.nvmeof.protocol.LogPageId;
import dev.nvmeof.protocol.NvmeStatus;
import dev.nvmeof.protocol.SglDescriptor;
import dev.nvmeof.protocol.SmartLogFlyweight;
import dev.nvmeof.protocol.SubmissionQueueEntryFlyweight;

/**
 * Admin commands: controller properties (CAP, VS, CC, CSTS), Identify, Get Log Page, Set/Get Features, Keep Alive and
 * Asynchronous Event Requests. Runs on the admin queue's event loop.
 */
final class AdminCommandSet {
    /** CAP: MQES 127, CQR, TO 15 (7.5 s), CSS NVM; MPSMIN = MPSMAX = 4 KiB. */
    static final long CAP = (Connection.QUEUE_ENTRIES - 1) | 1L << 16 | 15L << 24 | 1L << 37;
    static final int VS = 0x00010300;
    private static final int PROPERTY_CAP = 0x00;
    private static final int PROPERTY_VS = 0x08;
    private static final int PROPERTY_CC = 0x14;
    private static final int PROPERTY_CSTS = 0x1C;
    private static final int CSTS_RDY = 0x1;
    private static final int CSTS_CFS = 0x2;
    private static final int SHST_MASK = 0x3 << 2;
    private static final int SHST_OCCURRING = 1 << 2;
    private static final int SHST_COMPLETE = 2 << 2;
    private static final int ERROR_LOG_ENTRY = 64;

    private final Engine engine;
    private final Connection connection;
    private final Identify identify;

    AdminCommandSet(Engine engine, Connection connection) {
        this.engine = engine;
        this.connection = connection;
        this.identify = new Identify();
    }

    void execute(CommandSlot slot, ByteBuffer inData) {
        TargetController controller = connection.controller;
        if (!controller.isReady()) {
            slot.fail(GenericStatus.COMMAND_SEQUENCE_ERROR, true);
            return;
        }
        AdminOpcode opcode = AdminOpcode.of(slot.sqe.opcode());
        switch (opcode) {
            case IDENTIFY:
                identify(slot, controller);
                break;
            case GET_LOG_PAGE:
                getLogPage(slot, controller);
                break;
            case SET_FEATURES:
                setFeatures(slot, controller);
                break;
            case GET_FEATURES:
                getFeatures(slot, controller);
                break;
            case KEEP_ALIVE:
                slot.respond(0);
                break;
            case ASYNC_EVENT_REQUEST:
                slot.outcome = CommandSlot.Outcome.HELD;
                if (!controller.holdAer(slot)) {
                    slot.fail(NvmeStatus.commandSpecific(CommandSpecificStatus.ASYNC_EVENT_REQUEST_LIMIT_EXCEEDED,
                            true));
                }
                break;
            case ABORT:
                slot.respond(0);
                slot.dw0 = 1; // the command was not aborted
                break;
            default:
                slot.fail(GenericStatus.INVALID_OPCODE, true);
                break;
        }
    }

    // ---- properties ----

    void propertyGet(CommandSlot slot) {
        TargetController controller = connection.controller;
        long value;
        switch (FabricsCommands.propertyOffset(slot.sqe)) {
            case PROPERTY_CAP:
                value = CAP;
                break;
            case PROPERTY_VS:
                value = VS;
                break;
            case PROPERTY_CC:
                value = controller.cc & 0xFFFFFFFFL;
                break;
            case PROPERTY_CSTS:
                value = controller.csts & 0xFFFFFFFFL;
                break;
            default:
                slot.fail(GenericStatus.INVALID_FIELD, true);
                return;
        }
        slot.respond(0);
        slot.dw0 = (int) value;
        slot.dw1 = (int) (value >>> 32);
    }

    void propertySet(CommandSlot slot) {
        if (FabricsCommands.propertyOffset(slot.sqe) != PROPERTY_CC || FabricsCommands.isPropertySize8(slot.sqe)) {
            slot.fail(GenericStatus.INVALID_FIELD, true);
            return;
        }
        writeCc(connection.controller, (int) FabricsCommands.propertyValue(slot.sqe));
        slot.respond(0);
    }

    /** CC writes as the Linux target checks them: enabling needs IOSQES 6, IOCQES 4, 4 KiB pages, NVM, RR. */
    private void writeCc(TargetController controller, int cc) {
        int old = controller.cc;
        controller.cc = cc;
        boolean enable = (cc & 1) != 0;
        boolean wasEnabled = (old & 1) != 0;
        if (enable && !wasEnabled) {
            boolean valid = ((cc >>> 16) & 0xF) == 6 && ((cc >>> 20) & 0xF) == 4 && ((cc >>> 7) & 0xF) == 0
                    && ((cc >>> 4) & 0x7) == 0 && ((cc >>> 11) & 0x7) == 0;
            if (valid) {
                controller.csts |= CSTS_RDY;
                controller.ready(true);
            } else {
                controller.csts |= CSTS_CFS;
            }
        } else if (!enable && wasEnabled) {
            controller.ready(false);
            controller.shutDown(false);
            controller.csts &= ~(CSTS_RDY | CSTS_CFS);
            controller.closeIoQueues();
        }
        int shn = (cc >>> 14) & 0x3;
        if (shn != 0 && ((old >>> 14) & 0x3) == 0) {
            // Shutdown: no further I/O; the namespaces are forced on a worker (a file's fsync must not stall the
            // loop) while CSTS.SHST says "occurring", as the host expects to poll for "complete".
            controller.shutDown(true);
            if (!controller.subsystem.forcesToStorage()) {
                controller.csts = (controller.csts & ~SHST_MASK) | SHST_COMPLETE; // nothing to force
                return;
            }
            controller.csts = (controller.csts & ~SHST_MASK) | SHST_OCCURRING;
            engine.background(() -> {
                flushAll(controller.subsystem);
                controller.admin.loop.execute(() -> {
                    if ((controller.csts & SHST_MASK) == SHST_OCCURRING) {
                        controller.csts = (controller.csts & ~SHST_MASK) | SHST_COMPLETE;
                    }
                });
            });
        } else if (shn == 0) {
            controller.csts &= ~SHST_MASK;
        }
    }

    private void flushAll(Subsystem subsystem) {
        for (Namespace ns : subsystem.namespaces()) {
            try {
                engine.force(subsystem.nqn, ns);
            } catch (IOException | RuntimeException e) {
                engine.log(System.Logger.Level.WARNING, "flush at shutdown failed: " + e);
            }
        }
    }

    // ---- Identify and log pages ----

    private void identify(CommandSlot slot, TargetController controller) {
        int length = transferLength(slot);
        if (length < 0) {
            return;
        }
        int cns = AdminCommands.identifyCns(slot.sqe);
        int nsid = slot.sqe.nsid();
        ByteBuffer data = connection.scratch.zeroed(Identify.LENGTH);
        NvmeStatus status = identify.write(cns, nsid, controller, data);
        if (!status.isSuccess()) {
            slot.fail(status);
            return;
        }
        slot.sendScratch(0, Math.min(length, Identify.LENGTH));
    }

    private void getLogPage(CommandSlot slot, TargetController controller) {
        int length = transferLength(slot);
        if (length < 0) {
            return;
        }
        SubmissionQueueEntryFlyweight sqe = slot.sqe;
        long requested = AdminCommands.logPageNumBytes(sqe);
        long offset = AdminCommands.logPageOffset(sqe);
        boolean retain = AdminCommands.isRetainAsyncEvent(sqe);
        if (requested > length || offset < 0 || offset % 4 != 0 || offset > Connection.ADMIN_MAX_TRANSFER) {
            slot.fail(GenericStatus.INVALID_FIELD, true);
            return;
        }
        int want = (int) Math.min(requested, length);
        int lid = AdminCommands.logPageId(sqe);
        int pageLength;
        ByteBuffer page;
        if (lid == LogPageId.DISCOVERY.code() && controller.subsystem.discovery) {
            List<DiscoveryLogEntry> entries = engine.discoveryEntries(controller.hostNqn);
            pageLength = (int) DiscoveryLogPageFlyweight.requiredLength(entries.size());
            page = connection.scratch.zeroed(Math.max(pageLength, (int) offset + want));
            new DiscoveryLogPageFlyweight().wrap(page, 0).write(engine.discoveryGeneration(), entries);
            controller.discoveryLogRead(retain);
        } else if (lid == LogPageId.ERROR.code()) {
            pageLength = ERROR_LOG_ENTRY;
            page = connection.scratch.zeroed(Math.max(pageLength, (int) offset + want));
        } else if (lid == LogPageId.SMART.code() && !controller.subsystem.discovery) {
            pageLength = 512;
            page = connection.scratch.zeroed(Math.max(pageLength, (int) offset + want));
            new SmartLogFlyweight().wrap(page, 0)
                    .counter(SmartLogFlyweight.DATA_UNITS_READ_OFFSET, (controller.sectorsRead.get() + 999) / 1000, 0)
                    .counter(SmartLogFlyweight.DATA_UNITS_WRITTEN_OFFSET, (controller.sectorsWritten.get() + 999) / 1000, 0)
                    .counter(SmartLogFlyweight.HOST_READ_COMMANDS_OFFSET, controller.hostReads.get(), 0)
                    .counter(SmartLogFlyweight.HOST_WRITE_COMMANDS_OFFSET, controller.hostWrites.get(), 0)
                    .counter(SmartLogFlyweight.POWER_CYCLES_OFFSET, 1, 0);
            page.put(SmartLogFlyweight.AVAILABLE_SPARE_OFFSET, (byte) 100);
            page.putShort(SmartLogFlyweight.COMPOSITE_TEMPERATURE_OFFSET, (short) 300); // Kelvin
        } else if (lid == LogPageId.CHANGED_NAMESPACE_LIST.code() && !controller.subsystem.discovery) {
            pageLength = ChangedNamespaceListFlyweight.LENGTH;
            page = connection.scratch.zeroed(Math.max(pageLength, (int) offset + want));
            new ChangedNamespaceListFlyweight().wrap(page, 0).write(controller.takeChangedNamespaces(retain));
        } else {
            slot.fail(GenericStatus.INVALID_FIELD, true);
            return;
        }
        if (offset > pageLength) {
            slot.fail(GenericStatus.INVALID_FIELD, true);
            return;
        }
        slot.sendScratch((int) offset, want);
    }

    /** The length the command's transport SGL offers for returned data, or -1 after failing the command. */
    private static int transferLength(CommandSlot slot) {
        int dptr = slot.sqe.dptrIndex();
        long length = SglDescriptor.length(slot.sqeBuffer, dptr);
        if (!SglDescriptor.isTransportDataBlock(slot.sqeBuffer, dptr) || length == 0
                || length > Connection.ADMIN_MAX_TRANSFER) {
            slot.fail(GenericStatus.DATA_SGL_LENGTH_INVALID, true);
            return -1;
        }
        return (int) length;
    }

    // ---- features ----

    private void setFeatures(CommandSlot slot, TargetController controller) {
        SubmissionQueueEntryFlyweight sqe = slot.sqe;
        if (AdminCommands.isFeatureSave(sqe)) {
            slot.fail(NvmeStatus.commandSpecific(CommandSpecificStatus.FEATURE_NOT_SAVEABLE, true));
            return;
        }
        int value = sqe.cdw11();
        FeatureId feature = FeatureId.of(AdminCommands.featureId(sqe));
        switch (feature) {
            case NUMBER_OF_QUEUES:
                int submission = value & 0xFFFF;
                int completion = value >>> 16;
                if (submission == 0xFFFF || completion == 0xFFFF || controller.subsystem.discovery) {
                    slot.fail(GenericStatus.INVALID_FIELD, true);
                    return;
                }
                int granted = controller.grantIoQueues(Math.min(submission, completion) + 1);
                slot.respond(0);
                slot.dw0 = AdminCommands.numberOfQueuesValue(granted, granted);
                break;
            case KEEP_ALIVE_TIMER:
                controller.keepAliveTimeout(Integer.toUnsignedLong(value));
                slot.respond(0);
                break;
            case ASYNC_EVENT_CONFIG:
                controller.asyncEventConfig = value;
                slot.respond(0);
                break;
            default:
                slot.fail(GenericStatus.INVALID_FIELD, true);
                break;
        }
    }

    private void getFeatures(CommandSlot slot, TargetController controller) {
        FeatureId feature = FeatureId.of(AdminCommands.featureId(slot.sqe));
        switch (feature) {
            case NUMBER_OF_QUEUES:
                slot.respond(0);
                slot.dw0 = AdminCommands.numberOfQueuesValue(controller.grantedIoQueues(),
                        controller.grantedIoQueues());
                break;
            case KEEP_ALIVE_TIMER:
                slot.respond(0);
                slot.dw0 = (int) controller.keepAliveTimeoutMillis();
                break;
            case ASYNC_EVENT_CONFIG:
                slot.respond(0);
                slot.dw0 = controller.asyncEventConfig;
                break;
            default:
                slot.fail(GenericStatus.INVALID_FIELD, true);
                break;
        }
    }
}
