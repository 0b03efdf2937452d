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
 * (deallocate). Flush and FUA writes make the data durable before the completion is sent. Every LBA range from the
 * wire is checked without overflow before it is used; work whose size the host chooses (zeroing, deallocating,
 * forcing a file) runs in the background ({@link BackgroundCommand}), never on the event loop.
 */
final class IoCommandSet {
    private static final int ALL_NAMESPACES = 0xFFFFFFFF;
    /** NR is 0-based in 8 bits. */
    private static final int MAX_DSM_RANGES = NvmCommands.NR_MASK + 1;

    private final Connection connection;
    private final DsmRangeFlyweight range = new DsmRangeFlyweight();

    IoCommandSet(Connection connection) {
        this.connection = connection;
    }

    void execute(CommandSlot slot, ByteBuffer inData) {
        SubmissionQueueEntryFlyweight sqe = slot.sqe;
        if (refusedAsGone(slot)) {
            return;
        }
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
            if (offered > length && offered <= MAX_DSM_RANGES * DsmRangeFlyweight.LENGTH) {
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
        if (!inRange(ns, slba, blocks)) {
            slot.fail(GenericStatus.LBA_OUT_OF_RANGE, true);
            return;
        }
        long offset = slba * ns.blockSize();
        long length = (long) blocks * ns.blockSize();
        if (opcode == NvmOpcode.WRITE_ZEROES) {
            slot.namespace = ns;
            slot.addRange(offset, length, 1);
            connection.runInBackground(slot, BackgroundCommand.zeroRanges(connection, slot, false,
                    NvmCommands.isFua(sqe)));
            return;
        }
        if (length > connection.engine.options.maxTransferSize()) {
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
            controller.sectorsRead.addAndGet((length + 511) / 512);
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

    /**
     * A command of a controller that was disabled, torn down or shut down while it waited (it may have been read on
     * another loop than the one that saw CC.EN = 0) must not run. When its queue is closing (disabled, torn down) it
     * gets no completion at all: the host sees the connection go and reissues it on a new one, so nothing fails for
     * the caller. A shut-down controller keeps its queues: Command Sequence Error, as nvmet answers.
     *
     * @return true when the command was refused
     */
    private boolean refusedAsGone(CommandSlot slot) {
        if (connection.acceptsIo()) {
            return false;
        }
        if (connection.controller.isShutDownOnly()) {
            slot.fail(GenericStatus.COMMAND_SEQUENCE_ERROR, true);
        } else {
            slot.outcome = CommandSlot.Outcome.HELD; // dropped: its connection is being closed
        }
        return true;
    }

    /** {@code blocks} blocks from {@code slba} lie inside the namespace; no sum that could overflow. */
    static boolean inRange(Namespace ns, long slba, long blocks) {
        return slba >= 0 && blocks >= 0 && blocks <= ns.blocks() && slba <= ns.blocks() - blocks;
    }

    /** The data an R2T asked for is in {@code data}. */
    void continueWithHostData(CommandSlot slot, ByteBuffer data) {
        if (refusedAsGone(slot)) {
            return; // the controller went while the data came
        } else if (slot.sqe.opcode() == NvmOpcode.DATASET_MANAGEMENT.code()) {
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

    /**
     * A part of a write that arrives in several R2Ts: written where it belongs at once (a failed write may leave
     * any data, as NVMe allows); the last part completes the command like {@link #write}.
     */
    void writePart(CommandSlot slot, ByteBuffer data, int offset) {
        if (refusedAsGone(slot)) {
            return;
        }
        if (offset + data.remaining() < slot.dataLength) {
            written(slot, data, slot.namespaceOffset + offset); // still NEED_HOST_DATA: the next R2T follows
            return;
        }
        completeWrite(slot, data, slot.namespaceOffset + offset, slot.dataLength);
    }

    private void write(CommandSlot slot, ByteBuffer data) {
        completeWrite(slot, data, slot.namespaceOffset, data.remaining());
    }

    /** Writes {@code data} at byte {@code at}; false (the command failed) when the namespace could not. */
    private boolean written(CommandSlot slot, ByteBuffer data, long at) {
        try {
            slot.namespace.write(at, data, data.position(), data.remaining());
            return true;
        } catch (IOException e) {
            ioFailed(slot, e);
            return false;
        }
    }

    /** The last (or only) data of a write of {@code commandBytes}: written, counted, completed (after a FUA force). */
    private void completeWrite(CommandSlot slot, ByteBuffer data, long at, long commandBytes) {
        if (!written(slot, data, at)) {
            return;
        }
        Namespace ns = slot.namespace;
        TargetController controller = connection.controller;
        controller.hostWrites.incrementAndGet();
        controller.sectorsWritten.addAndGet((commandBytes + 511) / 512);
        slot.respond(0);
        if (slot.fua && ns.forcesToStorage()) {
            connection.runInBackground(slot, () -> {
                connection.force(ns);
                return true;
            });
        }
    }

    private void deallocate(CommandSlot slot, Namespace ns, ByteBuffer ranges) {
        boolean deallocate = (slot.sqe.cdw11() & NvmCommands.ATTRIBUTE_DEALLOCATE) != 0;
        int count = NvmCommands.ranges(slot.sqe);
        // Check every range before touching any, so a bad one leaves the namespace as it was.
        for (int i = 0; i < count; i++) {
            range.wrap(ranges, ranges.position() + i * DsmRangeFlyweight.LENGTH);
            if (!inRange(ns, range.startingLba(), range.blocks())) {
                slot.fail(GenericStatus.LBA_OUT_OF_RANGE, true);
                return;
            }
        }
        slot.respond(0);
        if (!deallocate || !ns.deallocatedReadsZeroes()) {
            return; // integral read/write hints, or deallocation as a hint: nothing to change
        }
        for (int i = 0; i < count; i++) {
            range.wrap(ranges, ranges.position() + i * DsmRangeFlyweight.LENGTH);
            slot.addRange(range.startingLba() * ns.blockSize(), range.blocks() * ns.blockSize(), MAX_DSM_RANGES);
        }
        connection.runInBackground(slot, BackgroundCommand.zeroRanges(connection, slot, true, false));
    }

    private void flush(CommandSlot slot, int nsid) {
        Subsystem subsystem = connection.controller.subsystem;
        Namespace only = nsid == ALL_NAMESPACES ? null : subsystem.namespace(nsid);
        if (nsid != ALL_NAMESPACES && only == null) {
            slot.fail(GenericStatus.INVALID_NAMESPACE, true);
            return;
        }
        slot.respond(0);
        boolean anything = only != null ? only.forcesToStorage() : subsystem.forcesToStorage();
        if (!anything) {
            return; // memory only: nothing is volatile in front of it
        }
        connection.runInBackground(slot, () -> {
            if (only != null) {
                connection.force(only);
            } else {
                for (Namespace ns : subsystem.namespaces()) {
                    connection.force(ns);
                }
            }
            return true;
        });
    }

    private void ioFailed(CommandSlot slot, IOException e) {
        connection.engine.log(System.Logger.Level.WARNING, "namespace I/O failed: " + e);
        slot.fail(GenericStatus.INTERNAL_ERROR, false);
    }
}
