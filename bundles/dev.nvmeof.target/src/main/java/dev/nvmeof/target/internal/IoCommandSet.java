package dev.nvmeof.target.internal;

import java.io.IOException;
import java.nio.ByteBuffer;

import dev.nvmeof.protocol.DsmRangeFlyweight;
import dev.nvmeof.protocol.GenericStatus;
import dev.nvmeof.protocol.NvmCommands;
import dev.nvmeof.protocol.NvmOpcode;
import dev.nvmeof.protocol.SglDescriptor;
import dev.nvmeof.protocol.SubmissionQueueEntryFlyweight;

/**
 * NVM commands on I/O queues: Read, Write (in-capsule or through R2T), Flush, Write Zeroes and Dataset Management
 * (deallocate). Flush and FUA writes make the data durable before the completion is sent.
 */
final class IoCommandSet {
    private static final int ALL_NAMESPACES = 0xFFFFFFFF;

    private final Engine engine;
    private final Connection connection;
    private final DsmRangeFlyweight range = new DsmRangeFlyweight();

    IoCommandSet(Engine engine, Connection connection) {
        this.engine = engine;
        this.connection = connection;
    }

    void execute(CommandSlot slot, ByteBuffer inData) {
        SubmissionQueueEntryFlyweight sqe = slot.sqe;
        NvmOpcode opcode = NvmOpcode.of(sqe.opcode());
        if (opcode == NvmOpcode.FLUSH) {
            flush(slot, sqe.nsid());
            return;
        }
        if (opcode != NvmOpcode.READ && opcode != NvmOpcode.WRITE && opcode != NvmOpcode.WRITE_ZEROES
                && opcode != NvmOpcode.DATASET_MANAGEMENT) {
            slot.fail(GenericStatus.INVALID_OPCODE, true);
            return;
        }
        Namespace ns = connection.controller.subsystem.namespace(sqe.nsid());
        if (ns == null) {
            slot.fail(GenericStatus.INVALID_NAMESPACE, true);
            return;
        }
        if (opcode == NvmOpcode.DATASET_MANAGEMENT) {
            int length = NvmCommands.ranges(sqe) * DsmRangeFlyweight.LENGTH;
            // Linux sends the whole 4 KiB range buffer (256 ranges) whatever NR says; like nvmet, take any
            // transfer that holds the NR ranges and ignore the rest.
            long offered = SglDescriptor.length(slot.sqeBuffer, sqe.dptrIndex());
            if (offered > length && offered <= Connection.MAX_TRANSFER) {
                length = (int) offered;
            }
            slot.namespace = ns;
            if (acceptData(slot, inData, length)) {
                deallocate(slot, ns, inData);
            }
            return;
        }
        long slba = NvmCommands.startingLba(sqe);
        int blocks = NvmCommands.blocks(sqe);
        if (slba < 0 || slba + blocks > ns.blocks() || slba + blocks < 0) {
            slot.fail(GenericStatus.LBA_OUT_OF_RANGE, true);
            return;
        }
        long offset = slba * ns.blockSize();
        long length = (long) blocks * ns.blockSize();
        if (opcode == NvmOpcode.WRITE_ZEROES) {
            zero(slot, ns, offset, length);
            return;
        }
        if (length > Connection.MAX_TRANSFER) {
            slot.fail(GenericStatus.INVALID_FIELD, true);
            return;
        }
        if (opcode == NvmOpcode.READ) {
            if (!SglDescriptor.isTransportDataBlock(slot.sqeBuffer, sqe.dptrIndex())
                    || SglDescriptor.length(slot.sqeBuffer, sqe.dptrIndex()) != length) {
                slot.fail(GenericStatus.DATA_SGL_LENGTH_INVALID, true);
                return;
            }
            TargetController controller = connection.controller;
            controller.hostReads.incrementAndGet();
            controller.dataUnitsRead.addAndGet((length + 511) / 512);
            slot.sendNamespace(ns, offset, (int) length);
            return;
        }
        slot.namespace = ns;
        slot.namespaceOffset = offset;
        slot.fua = NvmCommands.isFua(sqe);
        if (acceptData(slot, inData, (int) length)) {
            write(slot, inData);
        }
    }

    /** The data an R2T asked for is in {@code data}. */
    void continueWithHostData(CommandSlot slot, ByteBuffer data) {
        if (slot.sqe.opcode() == NvmOpcode.DATASET_MANAGEMENT.code()) {
            deallocate(slot, slot.namespace, data);
        } else {
            write(slot, data);
        }
    }

    /**
     * Checks the data pointer for host-to-controller data: in-capsule data must be all there at offset 0; a
     * transport data block of the right length asks for an R2T.
     *
     * @return true when {@code inData} holds the data now
     */
    private static boolean acceptData(CommandSlot slot, ByteBuffer inData, int length) {
        ByteBuffer sqe = slot.sqeBuffer;
        int dptr = slot.sqe.dptrIndex();
        if (SglDescriptor.length(sqe, dptr) != length) {
            slot.fail(GenericStatus.DATA_SGL_LENGTH_INVALID, true);
            return false;
        }
        if (SglDescriptor.isInCapsule(sqe, dptr)) {
            if (SglDescriptor.address(sqe, dptr) != 0) {
                slot.fail(GenericStatus.SGL_OFFSET_INVALID, true);
                return false;
            }
            if (inData == null || inData.remaining() != length) {
                slot.fail(GenericStatus.DATA_SGL_LENGTH_INVALID, true);
                return false;
            }
            return true;
        }
        if (!SglDescriptor.isTransportDataBlock(sqe, dptr) || inData != null) {
            slot.fail(GenericStatus.SGL_DESCRIPTOR_TYPE_INVALID, true);
            return false;
        }
        slot.needHostData(length);
        return false;
    }

    private void write(CommandSlot slot, ByteBuffer data) {
        Namespace ns = slot.namespace;
        int length = data.remaining();
        try {
            ns.write(slot.namespaceOffset, data, data.position(), length);
            if (slot.fua) {
                forced(ns);
            }
        } catch (IOException e) {
            ioFailed(slot, e);
            return;
        }
        TargetController controller = connection.controller;
        controller.hostWrites.incrementAndGet();
        controller.dataUnitsWritten.addAndGet((length + 511) / 512);
        slot.respond(0);
    }

    private void zero(CommandSlot slot, Namespace ns, long offset, long length) {
        try {
            ns.zero(offset, length);
            if (NvmCommands.isFua(slot.sqe)) {
                forced(ns);
            }
            slot.respond(0);
        } catch (IOException e) {
            ioFailed(slot, e);
        }
    }

    private void deallocate(CommandSlot slot, Namespace ns, ByteBuffer ranges) {
        boolean deallocate = (slot.sqe.cdw11() & NvmCommands.ATTRIBUTE_DEALLOCATE) != 0;
        int count = NvmCommands.ranges(slot.sqe);
        // Check every range before touching any, so a bad one leaves the namespace as it was.
        for (int i = 0; i < count; i++) {
            range.wrap(ranges, ranges.position() + i * DsmRangeFlyweight.LENGTH);
            long slba = range.startingLba();
            long blocks = range.blocks();
            if (slba < 0 || slba + blocks > ns.blocks()) {
                slot.fail(GenericStatus.LBA_OUT_OF_RANGE, true);
                return;
            }
        }
        if (deallocate) {
            try {
                for (int i = 0; i < count; i++) {
                    range.wrap(ranges, ranges.position() + i * DsmRangeFlyweight.LENGTH);
                    ns.zero(range.startingLba() * ns.blockSize(), range.blocks() * ns.blockSize());
                }
            } catch (IOException e) {
                ioFailed(slot, e);
                return;
            }
        }
        slot.respond(0);
    }

    private void flush(CommandSlot slot, int nsid) {
        Subsystem subsystem = connection.controller.subsystem;
        try {
            if (nsid == ALL_NAMESPACES) {
                for (Namespace ns : subsystem.namespaces()) {
                    forced(ns);
                }
            } else {
                Namespace ns = subsystem.namespace(nsid);
                if (ns == null) {
                    slot.fail(GenericStatus.INVALID_NAMESPACE, true);
                    return;
                }
                forced(ns);
            }
            slot.respond(0);
        } catch (IOException e) {
            ioFailed(slot, e);
        }
    }

    private void forced(Namespace ns) throws IOException {
        if (ns.flush()) {
            engine.options.durability().forced(connection.controller.subsystem.nqn, ns.nsid());
        }
    }

    private void ioFailed(CommandSlot slot, IOException e) {
        engine.log(System.Logger.Level.WARNING, "namespace I/O failed: " + e);
        slot.fail(GenericStatus.INTERNAL_ERROR, false);
    }
}
