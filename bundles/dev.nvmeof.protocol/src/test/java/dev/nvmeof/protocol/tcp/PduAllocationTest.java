package dev.nvmeof.protocol.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.junit.jupiter.api.Test;

import dev.nvmeof.protocol.DataDirection;
import dev.nvmeof.protocol.NvmCommands;
import dev.nvmeof.protocol.SubmissionQueueEntryFlyweight;

/**
 * The hot path allocates nothing: encoding and decoding data PDUs with digests, measured as the bytes this thread
 * allocates over many PDUs (HotSpot's per-thread allocation counter; no timing involved).
 */
class PduAllocationTest {

    private static final int ROUNDS = 20_000;

    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private long allocatedBytes() {
        return threads.getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    private static final class Host implements HostPduHandler {
        final ByteBuffer destination = ByteBuffer.allocateDirect(4096).order(ByteOrder.LITTLE_ENDIAN);
        PduDecoder decoder;
        int good;

        @Override
        public void onIcResp(IcRespPdu pdu) {
            decoder.negotiated(true, true, 0);
        }

        @Override
        public void onTermReq(TermReqPdu pdu) {
        }

        @Override
        public void onCapsuleResp(CapsuleRespPdu pdu) {
            good++;
        }

        @Override
        public void onR2t(R2tPdu pdu) {
        }

        @Override
        public ByteBuffer onC2hData(C2hDataPdu pdu) {
            return destination;
        }

        @Override
        public void onC2hDataEnd(C2hDataPdu pdu, boolean dataDigestOk) {
            if (dataDigestOk) {
                good++;
            }
        }
    }

    @Test
    void shouldNotAllocateWhenDecodingDataPdusWithDigests() throws FatalPduException {
        Host host = new Host();
        host.decoder = PduDecoder.forHost(host);
        host.decoder.decode(ByteBuffer.wrap(new StreamBuilder().icResp(0, true, true, 8192).bytes()));
        byte[] read = new StreamBuilder().negotiated(true, true, 0)
                .c2hData(1, 0, StreamBuilder.pattern(4096, 1), true, false).capsuleResp(1, 0).bytes();
        ByteBuffer wire = ByteBuffer.allocateDirect(read.length).order(ByteOrder.LITTLE_ENDIAN);
        wire.put(read).flip();

        for (int i = 0; i < ROUNDS; i++) { // warm-up: let the JIT settle
            wire.rewind();
            host.decoder.decode(wire);
        }
        long before = allocatedBytes();
        for (int i = 0; i < ROUNDS; i++) {
            wire.rewind();
            host.decoder.decode(wire);
        }
        long allocated = allocatedBytes() - before;
        assertEquals(4 * ROUNDS, host.good);
        assertTrue(allocated < ROUNDS, "decoding allocated " + allocated + " bytes over " + ROUNDS + " reads");
    }

    @Test
    void shouldNotAllocateWhenEncodingDataPdusWithDigests() {
        PduEncoder encoder = new PduEncoder();
        encoder.negotiated(true, true, 0);
        ByteBuffer out = ByteBuffer.allocateDirect(256).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer data = ByteBuffer.allocateDirect(4096);
        ByteBuffer sqe = ByteBuffer.allocateDirect(64).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < ROUNDS; i++) {
            encodeOne(encoder, out, data, sqe);
        }
        long before = allocatedBytes();
        for (int i = 0; i < ROUNDS; i++) {
            encodeOne(encoder, out, data, sqe);
        }
        long allocated = allocatedBytes() - before;
        assertTrue(allocated < ROUNDS, "encoding allocated " + allocated + " bytes over " + ROUNDS + " writes");
    }

    @Test
    void shouldNotAllocateWhenCallersRotateTheirBuffersOverTheEnginesTags() throws Exception {
        int depth = 32;
        int[] completed = new int[1];
        HostQueueEngine<Object> engine = new HostQueueEngine<>(1, depth, false, false, 8192,
                new HostQueueEngine.Events<>() {
                    @Override
                    public void established(int maxH2cData) {
                    }

                    @Override
                    public void completed(Object owner, int cid, int status, int dw0, int dw1) {
                        completed[0]++;
                    }

                    @Override
                    public void failed(QueueFailure failure) {
                        throw new AssertionError(failure.getMessage());
                    }

                    @Override
                    public void writeInterest(boolean wanted) {
                    }
                });
        engine.start(new DiscardChannel());
        PduEncoder controller = new PduEncoder();
        ByteBuffer icResp = ByteBuffer.allocate(128).order(ByteOrder.LITTLE_ENDIAN);
        controller.icResp(icResp, 0, false, false, 131072);
        engine.receive(icResp.flip());

        ByteBuffer[] buffers = new ByteBuffer[depth]; // the caller's, one per request of its own, as nvme perf has
        ByteBuffer[] sqes = new ByteBuffer[depth];
        ByteBuffer[] responses = new ByteBuffer[depth];
        for (int i = 0; i < depth; i++) {
            buffers[i] = ByteBuffer.allocateDirect(4096);
            sqes[i] = ByteBuffer.allocateDirect(64).order(ByteOrder.LITTLE_ENDIAN);
            NvmCommands.write(new SubmissionQueueEntryFlyweight().wrap(sqes[i], 0), i, 1, 0, 8, false);
            ByteBuffer cqe = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            cqe.putShort(12, (short) i);
            responses[i] = ByteBuffer.allocateDirect(64).order(ByteOrder.LITTLE_ENDIAN);
            controller.capsuleResp(responses[i], cqe, 0);
            responses[i].flip();
        }
        for (int round = 0; round < 2_000; round++) { // warm-up
            rotate(engine, buffers, sqes, responses, round);
        }
        int before = completed[0];
        int rounds = 2_000;
        long allocated = Long.MAX_VALUE;
        for (int window = 0; window < 3; window++) {
            // The least of three windows: a one-off of the JIT (a deoptimization materialising objects it had
            // scalar-replaced) lands in one window; an allocation per write would be in all of them.
            long allocatedBefore = allocatedBytes();
            for (int round = 0; round < rounds; round++) {
                rotate(engine, buffers, sqes, responses, round);
            }
            allocated = Math.min(allocated, allocatedBytes() - allocatedBefore);
        }
        assertEquals(3 * rounds * depth, completed[0] - before);
        assertTrue(allocated < rounds, "allocated " + allocated + " bytes over " + rounds * depth + " writes");
    }

    /** One batch of writes: tag t carries buffer (t + round) mod depth, so buffers and tags pair anew each round. */
    private static void rotate(HostQueueEngine<Object> engine, ByteBuffer[] buffers, ByteBuffer[] sqes,
            ByteBuffer[] responses, int round) {
        int depth = buffers.length;
        for (int tag = 0; tag < depth; tag++) {
            ByteBuffer data = buffers[(tag + round * 7) % depth];
            engine.submit(null, sqes[tag], 0, DataDirection.HOST_TO_CONTROLLER, data, 4096,
                    tag == depth - 1);
        }
        for (int tag = 0; tag < depth; tag++) {
            engine.receive(responses[tag].rewind());
        }
    }

    /** Takes every byte and keeps none. */
    private static final class DiscardChannel implements java.nio.channels.GatheringByteChannel {
        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) {
            long n = 0;
            for (int i = offset; i < offset + length; i++) {
                n += srcs[i].remaining();
                srcs[i].position(srcs[i].limit());
            }
            return n;
        }

        @Override
        public long write(ByteBuffer[] srcs) {
            return write(srcs, 0, srcs.length);
        }

        @Override
        public int write(ByteBuffer src) {
            int n = src.remaining();
            src.position(src.limit());
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    private static void encodeOne(PduEncoder encoder, ByteBuffer out, ByteBuffer data, ByteBuffer sqe) {
        out.clear();
        encoder.capsuleCmd(out, sqe, 0, 0);
        encoder.c2hData(out, 1, 0, 4096, true, false);
        encoder.dataDigest(out, data);
        encoder.h2cData(out, 1, 2, 0, 4096, true);
    }
}
