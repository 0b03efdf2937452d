package dev.nvmeof.spi.transport;

import dev.nvmeof.protocol.DataDirection;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.osgi.annotation.versioning.ProviderType;

import dev.nvmeof.protocol.SubmissionQueueEntryFlyweight;

/**
 * One command in flight: the core fills the SQE and names the data buffer, the transport moves the data and sets
 * the completion. Owned by the core and reused for every command of its tag, so the submit path allocates nothing.
 * Not thread-safe: at any time either the core or the transport holds it.
 */
@ProviderType
public final class TransportRequest {
    private final ByteBuffer sqeBuffer = ByteBuffer.allocate(SubmissionQueueEntryFlyweight.LENGTH)
            .order(ByteOrder.LITTLE_ENDIAN);
    private final SubmissionQueueEntryFlyweight sqe = new SubmissionQueueEntryFlyweight().wrap(sqeBuffer, 0);
    private ByteBuffer data;
    private DataDirection direction = DataDirection.NONE;
    private int status;
    private int dw0;
    private int dw1;
    private Object attachment;

    /** The 64-byte SQE, little-endian; CID = the core's tag. */
    public ByteBuffer sqeBuffer() {
        return sqeBuffer;
    }

    public SubmissionQueueEntryFlyweight sqe() {
        return sqe;
    }

    /** Names the data: {@code buffer} from its position to its limit (left unchanged by the transport). */
    public TransportRequest data(ByteBuffer buffer, DataDirection dataDirection) {
        if ((buffer == null) != (dataDirection == DataDirection.NONE)) {
            throw new IllegalArgumentException("a buffer goes with a direction, and no buffer with NONE");
        }
        this.data = buffer;
        this.direction = dataDirection;
        return this;
    }

    /** The data buffer, or null. Its position..limit is the command's data. */
    public ByteBuffer data() {
        return data;
    }

    public DataDirection direction() {
        return direction;
    }

    public int dataLength() {
        return data == null ? 0 : data.remaining();
    }

    /**
     * Set by the transport before {@link QueueCallbacks#completed}: the CQE's status word (without phase), DW0 and
     * DW1.
     */
    public void complete(int statusWord, int resultDw0, int resultDw1) {
        this.status = statusWord & 0xFFFE;
        this.dw0 = resultDw0;
        this.dw1 = resultDw1;
    }

    /** The status word (bits 15:1); 0 is success. */
    public int status() {
        return status;
    }

    public int dw0() {
        return dw0;
    }

    public int dw1() {
        return dw1;
    }

    /** The core's own object for this request (its tag, its caller's request). */
    public Object attachment() {
        return attachment;
    }

    public TransportRequest attachment(Object value) {
        this.attachment = value;
        return this;
    }

    /** Ready for the next command: no data, no completion. The SQE is the caller's to rewrite. */
    public TransportRequest reset() {
        data = null;
        direction = DataDirection.NONE;
        status = 0;
        dw0 = 0;
        dw1 = 0;
        return this;
    }
}
