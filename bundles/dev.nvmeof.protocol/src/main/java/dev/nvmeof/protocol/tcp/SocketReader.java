package dev.nvmeof.protocol.tcp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ScatteringByteChannel;

/**
 * The reader side of a {@link HostQueueEngine}'s connection: reading the socket into the decoder. PDUs arrive in
 * batches through the transport's receive buffer. While a large data PDU has {@link #DIRECT_DATA} bytes or more to
 * come, one scattering read puts them straight into the caller's buffer (one copy, the kernel's, instead of two) and
 * what follows into the receive buffer; after a large payload the receive buffer takes only {@link #STREAMING_READ}
 * bytes per read, so that the next payload also goes straight to its caller. Reader thread only; allocates nothing
 * while callers reuse their buffers.
 */
final class SocketReader {
    /** A data PDU's payload with at least this much still to come is read straight into the caller's buffer. */
    static final int DIRECT_DATA = 16 * 1024;
    /** What the receive buffer takes at a time while large payloads stream. */
    static final int STREAMING_READ = 8 * 1024;

    private final HostQueueEngine<?> engine;
    private final PduDecoder decoder;
    private final BufferViews views;
    private final ByteBuffer[] scatter = new ByteBuffer[2];

    SocketReader(HostQueueEngine<?> engine, PduDecoder decoder, int depth) {
        this.engine = engine;
        this.decoder = decoder;
        this.views = new BufferViews(depth);
    }

    /** See {@link HostQueueEngine#read}. */
    long read(ScatteringByteChannel channel, ByteBuffer in, int maxReads) throws IOException {
        long total = 0;
        for (int i = 0; i < maxReads && !engine.closed(); i++) {
            in.clear();
            if (decoder.lastDataLength() >= DIRECT_DATA) {
                in.limit(Math.min(in.capacity(), STREAMING_READ));
            }
            int pending = engine.open() ? decoder.dataPending() : 0;
            long n;
            int direct = 0;
            if (pending >= DIRECT_DATA) {
                ByteBuffer view = views.of(decoder.dataDestination());
                int at = decoder.dataDestinationIndex();
                view.clear().position(at).limit(at + pending);
                scatter[0] = view;
                scatter[1] = in;
                n = channel.read(scatter, 0, 2);
                scatter[0] = null;
                if (n > 0) {
                    direct = (int) Math.min(n, pending);
                    decoder.dataPlaced(view, direct);
                }
            } else {
                n = channel.read(in);
            }
            if (n < 0) {
                return -1;
            }
            total += n;
            boolean full = !in.hasRemaining();
            if (n > direct) {
                in.flip();
                engine.receive(in);
            }
            engine.sendHeld();
            if (!full) {
                return total;
            }
        }
        return total;
    }
}
