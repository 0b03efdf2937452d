package dev.nvmeof.target.internal;

import java.nio.ByteBuffer;
import java.util.UUID;

import dev.nvmeof.protocol.CommandSpecificStatus;
import dev.nvmeof.protocol.ConnectDataFlyweight;
import dev.nvmeof.protocol.ConnectResponse;
import dev.nvmeof.protocol.FabricsCommandType;
import dev.nvmeof.protocol.FabricsCommands;
import dev.nvmeof.protocol.GenericStatus;
import dev.nvmeof.protocol.NvmeStatus;
import dev.nvmeof.protocol.SglDescriptor;
import dev.nvmeof.protocol.SubmissionQueueEntryFlyweight;

/**
 * Runs one command of a connection: Fabrics commands here (Connect above all), admin and NVM commands in their
 * command sets. Sets the slot's outcome; never throws for anything the host sent.
 */
final class CommandExecutor {
    static final int FABRICS_OPCODE = 0x7F;
    /** Byte offsets named in Connect Invalid Parameters (IPO): in the SQE, and in the Connect data. */
    private static final int SQE_QID_OFFSET = 42;
    private static final int SQE_SQSIZE_OFFSET = 44;
    private static final int DATA_HOSTID_OFFSET = ConnectDataFlyweight.HOSTID_OFFSET;
    private static final int DATA_CNTLID_OFFSET = ConnectDataFlyweight.CNTLID_OFFSET;
    private static final int DATA_SUBNQN_OFFSET = ConnectDataFlyweight.SUBNQN_OFFSET;
    private static final int DATA_HOSTNQN_OFFSET = ConnectDataFlyweight.HOSTNQN_OFFSET;

    private final Engine engine;
    private final Connection connection;
    private final AdminCommandSet admin;
    private final IoCommandSet io;
    private final ConnectDataFlyweight connectData = new ConnectDataFlyweight();

    CommandExecutor(Engine engine, Connection connection) {
        this.engine = engine;
        this.connection = connection;
        this.admin = new AdminCommandSet(engine, connection);
        this.io = new IoCommandSet(connection);
    }

    void execute(CommandSlot slot, ByteBuffer inData) {
        SubmissionQueueEntryFlyweight sqe = slot.sqe;
        if (sqe.opcode() == FABRICS_OPCODE) {
            fabrics(slot, inData);
            return;
        }
        if (connection.phase != Connection.Phase.LIVE) {
            slot.fail(GenericStatus.COMMAND_SEQUENCE_ERROR, true);
            return;
        }
        if (!connection.isAuthenticated()) {
            QueueAuthentication.refuse(slot);
            return;
        }
        if (connection.qid == 0) {
            admin.execute(slot, inData);
        } else {
            io.execute(slot, inData);
        }
    }

    /** The host data an R2T asked for has arrived in {@code data}. */
    void continueWithHostData(CommandSlot slot, ByteBuffer data) {
        if (slot.sqe.opcode() == FABRICS_OPCODE) {
            fabrics(slot, data);
        } else if (connection.qid == 0) {
            slot.fail(GenericStatus.INVALID_FIELD, true);
        } else {
            io.continueWithHostData(slot, data);
        }
    }

    /**
     * One R2T's part of a larger write's data, at {@code offset} of the command's data. Only an I/O Write is larger
     * than one R2T; its outcome stays NEED_HOST_DATA until the last part, unless it failed.
     */
    void continueWithHostDataPart(CommandSlot slot, ByteBuffer data, int offset) {
        if (slot.sqe.opcode() == FABRICS_OPCODE || connection.qid == 0) {
            slot.fail(GenericStatus.INVALID_FIELD, true);
        } else {
            io.writePart(slot, data, offset);
        }
    }

    private void fabrics(CommandSlot slot, ByteBuffer inData) {
        SubmissionQueueEntryFlyweight sqe = slot.sqe;
        FabricsCommandType type = FabricsCommandType.of(sqe.fctype());
        if (type == FabricsCommandType.CONNECT) {
            if (connection.phase != Connection.Phase.AWAIT_CONNECT) {
                slot.fail(GenericStatus.COMMAND_SEQUENCE_ERROR, true);
            } else {
                connect(slot, inData);
            }
            return;
        }
        if (connection.phase != Connection.Phase.LIVE) {
            slot.fail(GenericStatus.COMMAND_SEQUENCE_ERROR, true);
            return;
        }
        if (type == FabricsCommandType.AUTHENTICATION_SEND || type == FabricsCommandType.AUTHENTICATION_RECEIVE) {
            authenticate(slot, type, inData);
            return;
        }
        if (!connection.isAuthenticated() && type != FabricsCommandType.DISCONNECT) {
            // Stricter than nvmet, which lets Property Get/Set through: nothing but authentication before it.
            QueueAuthentication.refuse(slot);
            return;
        }
        if (type == FabricsCommandType.PROPERTY_GET && connection.qid == 0) {
            admin.propertyGet(slot);
        } else if (type == FabricsCommandType.PROPERTY_SET && connection.qid == 0) {
            admin.propertySet(slot);
        } else if (type == FabricsCommandType.DISCONNECT && connection.qid != 0) {
            slot.respond(0);
            connection.closeAfterResponse();
        } else {
            slot.fail(GenericStatus.INVALID_OPCODE, true);
        }
    }

    private void authenticate(CommandSlot slot, FabricsCommandType type, ByteBuffer data) {
        QueueAuthentication authentication = connection.authentication;
        if (authentication == null) {
            // No secrets for this host here: there is no transaction to run.
            slot.fail(GenericStatus.COMMAND_SEQUENCE_ERROR, true);
        } else if (type == FabricsCommandType.AUTHENTICATION_SEND) {
            authentication.send(slot, data);
        } else {
            authentication.receive(slot, connection.scratch);
        }
    }

    /** Starts authentication on the queue when the host has secrets; true when the Connect response asks for it. */
    private boolean requireAuthentication(Subsystem subsystem, String hostNqn, int qid) {
        return subsystem.authentication().policy(hostNqn).map(policy -> {
            connection.authentication = new QueueAuthentication(engine, policy, hostNqn, subsystem.nqn, qid);
            return true;
        }).orElse(false);
    }

    private void connect(CommandSlot slot, ByteBuffer data) {
        SubmissionQueueEntryFlyweight sqe = slot.sqe;
        int dptr = sqe.dptrIndex();
        if (FabricsCommands.recfmt(sqe) != 0) {
            slot.fail(NvmeStatus.commandSpecific(CommandSpecificStatus.CONNECT_INCOMPATIBLE_FORMAT, true));
            return;
        }
        if (data == null) {
            if (SglDescriptor.isTransportDataBlock(slot.sqeBuffer, dptr)
                    && SglDescriptor.length(slot.sqeBuffer, dptr) == ConnectDataFlyweight.LENGTH) {
                slot.needHostData(ConnectDataFlyweight.LENGTH);
            } else {
                slot.fail(GenericStatus.DATA_SGL_LENGTH_INVALID, true);
            }
            return;
        }
        if (data.remaining() < ConnectDataFlyweight.LENGTH) {
            slot.fail(GenericStatus.DATA_SGL_LENGTH_INVALID, true);
            return;
        }
        connectData.wrap(data, data.position());
        String subsystemNqn = connectData.subsystemNqn();
        String hostNqn = connectData.hostNqn();
        UUID hostId = connectData.hostId();
        int cntlid = connectData.cntlid();
        int qid = FabricsCommands.qid(sqe);
        int sqsize = FabricsCommands.sqsize(sqe);
        boolean disableSqFlowControl = (FabricsCommands.cattr(sqe) & 0x04) != 0;

        Subsystem subsystem = engine.subsystem(subsystemNqn);
        if (subsystem == null) {
            invalidParameter(slot, true, DATA_SUBNQN_OFFSET);
            return;
        }
        if (!subsystem.allows(hostNqn)) {
            slot.fail(NvmeStatus.commandSpecific(CommandSpecificStatus.CONNECT_INVALID_HOST, true));
            slot.dw0 = ConnectResponse.invalidParametersDw0(true, DATA_HOSTNQN_OFFSET);
            return;
        }
        if (!connection.tls.admits(hostNqn, subsystemNqn)) {
            // The TLS PSK was for another host or subsystem: a key admits only the pair its identity names.
            slot.fail(NvmeStatus.commandSpecific(CommandSpecificStatus.CONNECT_INVALID_HOST, true));
            slot.dw0 = ConnectResponse.invalidParametersDw0(true, DATA_HOSTNQN_OFFSET);
            engine.log(System.Logger.Level.WARNING, "refused a Connect of " + LogText.printable(hostNqn) + " to "
                    + LogText.printable(subsystemNqn) + " over TLS with the PSK identity "
                    + LogText.printable(connection.tls.identity()));
            return;
        }
        if (sqsize == 0 || sqsize >= Connection.QUEUE_ENTRIES) {
            invalidParameter(slot, false, SQE_SQSIZE_OFFSET);
            return;
        }
        if (qid == 0) {
            if (cntlid != ConnectDataFlyweight.CNTLID_DYNAMIC) {
                invalidParameter(slot, true, DATA_CNTLID_OFFSET);
                return;
            }
            TargetController controller = subsystem.createController(engine, hostNqn, hostId,
                    FabricsCommands.kato(sqe), connection);
            if (controller == null) {
                // maxControllers reached (nvmet answers a full controller ID space the same way)
                slot.fail(NvmeStatus.commandSpecific(CommandSpecificStatus.CONNECT_CONTROLLER_BUSY, true));
                engine.log(System.Logger.Level.WARNING, "refused a controller of " + LogText.printable(subsystemNqn)
                        + " for " + LogText.printable(hostNqn) + ": maxControllers ("
                        + engine.options.maxControllers() + ") reached");
                return;
            }
            connection.connected(controller, 0, sqsize, disableSqFlowControl);
            slot.respond(0);
            slot.dw0 = ConnectResponse.successDw0(controller.cntlid, requireAuthentication(subsystem, hostNqn, 0));
            engine.log(System.Logger.Level.INFO, "controller " + controller.cntlid + " of "
                    + LogText.printable(subsystemNqn) + " for " + LogText.printable(hostNqn));
            return;
        }
        TargetController controller = subsystem.controller(cntlid);
        if (subsystem.discovery || controller == null || controller.isDead() || !controller.hostNqn.equals(hostNqn)) {
            invalidParameter(slot, true, DATA_CNTLID_OFFSET);
            return;
        }
        if (!controller.hostId.equals(hostId)) {
            // An I/O queue belongs to the host that created the controller: the same Host NQN and Host ID.
            invalidParameter(slot, true, DATA_HOSTID_OFFSET);
            return;
        }
        if (!controller.isReady()) {
            slot.fail(GenericStatus.COMMAND_SEQUENCE_ERROR, true);
            return;
        }
        if (qid > controller.grantedIoQueues() || !controller.attachIoQueue(qid, connection)) {
            invalidParameter(slot, false, SQE_QID_OFFSET);
            return;
        }
        connection.connected(controller, qid, sqsize, disableSqFlowControl);
        controller.touch(engine.clock().nanoTime());
        slot.respond(0);
        slot.dw0 = ConnectResponse.successDw0(controller.cntlid, requireAuthentication(subsystem, hostNqn, qid));
    }

    /** Connect Invalid Parameters, naming the field: IATTR says SQE or Connect data, IPO its byte offset. */
    private static void invalidParameter(CommandSlot slot, boolean inConnectData, int offset) {
        slot.fail(NvmeStatus.commandSpecific(CommandSpecificStatus.CONNECT_INVALID_PARAMETERS, true));
        slot.dw0 = ConnectResponse.invalidParametersDw0(inConnectData, offset);
    }
}
