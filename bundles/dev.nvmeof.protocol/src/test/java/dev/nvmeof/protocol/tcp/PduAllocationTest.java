package dev.nvmeof.protocol.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.junit.jupiter.api.Test;

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

    private static void encodeOne(PduEncoder encoder, ByteBuffer out, ByteBuffer data, ByteBuffer sqe) {
        out.clear();
        encoder.capsuleCmd(out, sqe, 0, 0);
        encoder.c2hData(out, 1, 0, 4096, true, false);
        encoder.dataDigest(out, data);
        encoder.h2cData(out, 1, 2, 0, 4096, true);
    }
}
