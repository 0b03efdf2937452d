package dev.nvmeof.host.internal;

import java.nio.ByteBuffer;

import dev.nvmeof.api.IoRequest;
import dev.nvmeof.protocol.DsmRangeFlyweight;
import dev.nvmeof.protocol.GenericStatus;
import dev.nvmeof.protocol.NvmCommands;
import dev.nvmeof.protocol.NvmeStatus;
import dev.nvmeof.protocol.SubmissionQueueEntryFlyweight;
import dev.nvmeof.protocol.DataDirection;
import dev.nvmeof.spi.transport.TransportRequest;

/**
 * Turns a block operation into an NVM command in a {@link TransportRequest} (NVM Command Set 1.0), and the status
 * words the host completes requests with itself. Nothing here allocates: the caller's buffer is named as it is
 * (the transport leaves its position and limit alone) and a Discard's one range is written into a scratch buffer
 * the tag owns.
 */
final class IoCommands {
    /** The controller would refuse it: not a whole number of blocks, or nothing to do (DNR). */
    static final int INVALID_FIELD = NvmeStatus.generic(GenericStatus.INVALID_FIELD, true).toStatusWord(false);
    /** Past the end of the namespace (DNR). */
    static final int LBA_OUT_OF_RANGE = NvmeStatus.generic(GenericStatus.LBA_OUT_OF_RANGE, true)
            .toStatusWord(false);
    /** No path left: {@code fast_io_fail_tmo} or {@code ctrl_loss_tmo} expired, or the controller is gone (0x370). */
    static final int HOST_PATH_ERROR = NvmeStatus.HOST_PATH_ERROR.toStatusWord(false);
    /** Cancelled by the host: timed out while not LIVE, or in flight when the controller was deleted (0x371). */
    static final int HOST_ABORTED = NvmeStatus.HOST_ABORTED.toStatusWord(false);

    private IoCommands() {
    }

    /**
     * Writes one NVM command.
     *
     * @param blocks for Read and Write ignored (the buffer's remaining bytes over the block size say it)
     * @param dsm    a 16-byte scratch buffer for a Discard's range, owned by the tag
     */
    static void prepare(TransportRequest request, int cid, IoRequest.Operation operation, int nsid, int blockSize,
            long lba, long blocks, ByteBuffer buffer, boolean fua, boolean deallocate, ByteBuffer dsm) {
        SubmissionQueueEntryFlyweight sqe = request.sqe();
        switch (operation) {
            case READ -> {
                NvmCommands.read(sqe, cid, nsid, lba, buffer.remaining() / blockSize, fua);
                sqe.sglTransportDataBlock(buffer.remaining());
                request.data(buffer, DataDirection.CONTROLLER_TO_HOST);
            }
            case WRITE -> {
                NvmCommands.write(sqe, cid, nsid, lba, buffer.remaining() / blockSize, fua);
                sqe.sglTransportDataBlock(buffer.remaining());
                request.data(buffer, DataDirection.HOST_TO_CONTROLLER);
            }
            case FLUSH -> {
                NvmCommands.flush(sqe, cid, nsid);
                request.data(null, DataDirection.NONE);
            }
            case WRITE_ZEROES -> {
                NvmCommands.writeZeroes(sqe, cid, nsid, lba, (int) blocks, deallocate);
                request.data(null, DataDirection.NONE);
            }
            case DISCARD -> {
                dsm.clear().limit(DsmRangeFlyweight.LENGTH);
                dsm.putInt(DsmRangeFlyweight.CONTEXT_ATTRIBUTES_OFFSET, 0)
                        .putInt(DsmRangeFlyweight.NLB_OFFSET, (int) blocks)
                        .putLong(DsmRangeFlyweight.SLBA_OFFSET, lba);
                NvmCommands.datasetManagement(sqe, cid, nsid, 1, true);
                sqe.sglTransportDataBlock(DsmRangeFlyweight.LENGTH);
                request.data(dsm, DataDirection.HOST_TO_CONTROLLER);
            }
            default -> throw new IllegalArgumentException("operation " + operation);
        }
    }
}
