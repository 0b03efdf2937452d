package dev.nvmeof.protocol.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

/**
 * A mixed stream of every PDU type, with digests and padding, decoded whole and then split at every byte boundary,
 * one byte at a time and in random chunks: the callbacks and the data written must always be the same.
 */
class PduDecoderSplitTest {

    private static final byte[] WRITE_DATA = StreamBuilder.pattern(3000, 7);
    private static final byte[] READ_DATA = StreamBuilder.pattern(6000, 3);

    /** Host to controller: ICReq, then with both digests and CPDA 3 (16-byte alignment) every H2C PDU type. */
    private static byte[] controllerBoundStream() {
        return new StreamBuilder().icReq(0, true, true).negotiated(true, true, 3)
                .capsuleCmd(0x06, 1, new byte[0])
                .capsuleCmd(0x01, 2, WRITE_DATA)
                .h2cData(3, 7, 0, StreamBuilder.pattern(1000, 1), false)
                .h2cData(3, 7, 1000, StreamBuilder.pattern(24, 2), true)
                .termReq(true, FatalErrorStatus.HEADER_DIGEST_ERROR, 0, StreamBuilder.pattern(28, 5))
                .bytes();
    }

    /** Controller to host: ICResp, then with both digests and HPDA 2 (12-byte alignment) every C2H PDU type. */
    private static byte[] hostBoundStream() {
        return new StreamBuilder().icResp(3, true, true, 8192).negotiated(true, true, 2)
                .capsuleResp(1, 0)
                .r2t(3, 7, 0, 1024)
                .c2hData(4, 0, java.util.Arrays.copyOfRange(READ_DATA, 0, 4096), false, false)
                .c2hData(4, 4096, java.util.Arrays.copyOfRange(READ_DATA, 4096, 6000), true, false)
                .capsuleResp(4, 0)
                .c2hData(5, 0, StreamBuilder.pattern(512, 9), true, true)
                .termReq(false, FatalErrorStatus.PDU_SEQUENCE_ERROR, 0, new byte[0])
                .bytes();
    }

    private static RecordingHandler controllerHandler() {
        RecordingHandler handler = new RecordingHandler();
        handler.negotiate = new int[] {1, 1, 3};
        handler.decoder = PduDecoder.forController(handler);
        handler.buffer(0x20000 + 7, 1024);
        return handler;
    }

    private static RecordingHandler hostHandler() {
        RecordingHandler handler = new RecordingHandler();
        handler.negotiate = new int[] {1, 1, 2};
        handler.decoder = PduDecoder.forHost(handler);
        handler.buffer(4, 6000);
        handler.buffer(5, 512);
        return handler;
    }

    @Test
    void shouldDeliverTheSameCallbacksAtEverySplitOfAControllerBoundStream() throws FatalPduException {
        checkEverySplit(controllerBoundStream(), PduDecoderSplitTest::controllerHandler, 6);
    }

    @Test
    void shouldDeliverTheSameCallbacksAtEverySplitOfAHostBoundStream() throws FatalPduException {
        checkEverySplit(hostBoundStream(), PduDecoderSplitTest::hostHandler, 8);
    }

    @Test
    void shouldWriteDataStraightIntoTheCommandsBuffers() throws FatalPduException {
        RecordingHandler host = hostHandler();
        host.decoder.decode(wrap(hostBoundStream()));
        assertArrayEquals(READ_DATA, host.buffers.get(4).array());
        assertArrayEquals(StreamBuilder.pattern(512, 9), host.buffers.get(5).array());

        RecordingHandler controller = controllerHandler();
        controller.decoder.decode(wrap(controllerBoundStream()));
        assertArrayEquals(WRITE_DATA, controller.buffers.get(0x10000 + 2).array());
        byte[] h2c = controller.buffers.get(0x20000 + 7).array();
        assertArrayEquals(StreamBuilder.pattern(1000, 1), java.util.Arrays.copyOfRange(h2c, 0, 1000));
        assertArrayEquals(StreamBuilder.pattern(24, 2), java.util.Arrays.copyOfRange(h2c, 1000, 1024));
        assertEquals(List.of("ICReq pfv=0 hpda=0 dgst=3 maxr2t=0", "CapsuleCmd opcode=6 cid=1 data=0",
                "CapsuleCmd opcode=1 cid=2 data=3000", "CapsuleCmd end cid=2 ok=true",
                "H2CData cccid=3 ttag=7 datao=0 datal=1000 flags=3", "H2CData end ttag=7 ok=true",
                "H2CData cccid=3 ttag=7 datao=1000 datal=24 flags=7", "H2CData end ttag=7 ok=true",
                "TermReq type=2 fes=HEADER_DIGEST_ERROR fei=0 quoted=" + Hex.of(StreamBuilder.pattern(28, 5))),
                controller.events);
    }

    @Test
    void shouldDiscardInCapsuleDataWhenTheHandlerGivesNoBuffer() throws FatalPduException {
        RecordingHandler controller = controllerHandler();
        controller.discardInCapsule = true;
        controller.decoder.decode(wrap(controllerBoundStream()));
        assertTrue(controller.events.contains("CapsuleCmd end cid=2 ok=true"));
        assertEquals(PduDecoder.State.TERMINATED, controller.decoder.state());
    }

    private static void checkEverySplit(byte[] stream, Supplier<RecordingHandler> fresh, int expectedPdus)
            throws FatalPduException {
        RecordingHandler whole = fresh.get();
        int pdus = whole.decoder.decode(wrap(stream));
        assertEquals(expectedPdus, pdus);

        for (int split = 0; split <= stream.length; split++) {
            RecordingHandler handler = fresh.get();
            feed(handler, stream, List.of(split, stream.length - split));
            assertSameOutcome(whole, handler, "split at " + split);
        }

        RecordingHandler byteAtATime = fresh.get();
        List<Integer> ones = new ArrayList<>();
        for (int i = 0; i < stream.length; i++) {
            ones.add(1);
        }
        feed(byteAtATime, stream, ones);
        assertSameOutcome(whole, byteAtATime, "one byte at a time");

        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            RecordingHandler handler = fresh.get();
            List<Integer> chunks = new ArrayList<>();
            for (int left = stream.length; left > 0;) {
                int n = Math.min(left, random.nextInt(200));
                chunks.add(n);
                left -= n;
            }
            feed(handler, stream, chunks);
            assertSameOutcome(whole, handler, "random chunks round " + round);
        }
    }

    private static void feed(RecordingHandler handler, byte[] stream, List<Integer> chunks) throws FatalPduException {
        int at = 0;
        for (int n : chunks) {
            // Each chunk in its own buffer at a non-zero offset, as a socket read would leave it.
            ByteBuffer chunk = ByteBuffer.allocate(n + 5).order(ByteOrder.LITTLE_ENDIAN);
            chunk.position(5);
            chunk.put(stream, at, n).flip().position(5);
            handler.decoder.decode(chunk);
            assertEquals(chunk.limit(), chunk.position(), "the decoder consumes every byte it is given");
            assertTrue(handler.decoder.retainedBytes() <= PduDecoder.MAX_RETAINED_BYTES);
            at += n;
        }
    }

    private static void assertSameOutcome(RecordingHandler expected, RecordingHandler actual, String how) {
        assertEquals(expected.events, actual.events, how);
        for (var entry : expected.buffers.entrySet()) {
            assertArrayEquals(entry.getValue().array(), actual.buffers.get(entry.getKey()).array(), how);
        }
        assertEquals(expected.decoder.state(), actual.decoder.state(), how);
    }

    private static ByteBuffer wrap(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }
}
