package dev.nvmeof.protocol.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.GatheringByteChannel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

import dev.nvmeof.protocol.CommandIds;
import dev.nvmeof.protocol.DataDirection;
import dev.nvmeof.protocol.NvmCommands;
import dev.nvmeof.protocol.SubmissionQueueEntryFlyweight;

/**
 * The host queue engine alone, without sockets or threads: a channel that takes only a few bytes per write (partial
 * writes, back-pressure), a controller played by the test with the project's encoder, and what the engine wrote
 * decoded again by a controller-side decoder.
 */
class HostQueueEngineTest {
    private static final int DEPTH = 8;

    private final TrickleChannel channel = new TrickleChannel();
    private final Recorder events = new Recorder();
    private final ControllerSide controller = new ControllerSide();
    private final PduEncoder controllerEncoder = new PduEncoder();
    private final HostQueueEngine<String> engine = new HostQueueEngine<>(1, DEPTH, true, true, 1024, events);

    private void open(int maxH2cData) {
        engine.start(channel);
        ByteBuffer icResp = ByteBuffer.allocate(128).order(ByteOrder.LITTLE_ENDIAN);
        controllerEncoder.icResp(icResp, 0, true, true, maxH2cData);
        controllerEncoder.negotiated(true, true, 0);
        engine.receive(icResp.flip());
        controller.drain(channel);
    }

    private ByteBuffer sqe(int cid, boolean write, int blocks) {
        ByteBuffer sqe = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        SubmissionQueueEntryFlyweight f = new SubmissionQueueEntryFlyweight().wrap(sqe, 0);
        if (write) {
            NvmCommands.write(f, cid, 1, 0, blocks, false);
        } else {
            NvmCommands.read(f, cid, 1, 0, blocks, false);
        }
        return sqe;
    }

    private void send(ByteBuffer pdu) {
        engine.receive(pdu.flip());
    }

    private ByteBuffer capsuleResp(int cid, int status) {
        ByteBuffer cqe = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        cqe.putShort(12, (short) cid).putShort(14, (short) (status << 1));
        ByteBuffer pdu = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        controllerEncoder.capsuleResp(pdu, cqe, 0);
        return pdu;
    }

    private ByteBuffer r2t(int cid, int offset, int length) {
        ByteBuffer pdu = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        controllerEncoder.r2t(pdu, cid, 3, offset, length);
        return pdu;
    }

    private static byte[] pattern(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    @Test
    void shouldWriteACapsuleWithItsInCapsuleDataWholeThroughAChannelThatTakesSevenBytesAtATime() {
        open(4096);
        channel.budget = 7;
        byte[] data = pattern(1024, 1);
        assertTrue(engine.submit("w", sqe(3, true, 2), 0, DataDirection.HOST_TO_CONTROLLER, ByteBuffer.wrap(data),
                1024));
        assertEquals(List.of(true), events.interest, "the engine asks to be told when the channel drains");
        for (int turns = 0; turns < 10_000 && !events.interest.contains(false); turns++) {
            engine.onWritable();
        }
        assertEquals(List.of(true, false), events.interest, "and says when all is written");
        controller.drain(channel);
        assertEquals(List.of(3), controller.commands);
        assertArrayEquals(data, controller.inCapsule, "the in-capsule data arrived intact, digest checked");
        assertTrue(controller.digestsOk);
    }

    @Test
    void shouldHoldABatchsCommandsBackAndWriteThemInOneGatheringWriteAtItsLastOne() {
        open(4096);
        int before = channel.writes;
        for (int tag = 0; tag < 4; tag++) {
            assertTrue(engine.submit("r" + tag, sqe(tag, false, 1), 0, DataDirection.CONTROLLER_TO_HOST,
                    ByteBuffer.allocate(512), 512, tag == 3));
            controller.drain(channel);
            assertEquals(tag == 3 ? List.of(0, 1, 2, 3) : List.of(), controller.commands,
                    "nothing goes out before the batch's last command");
        }
        assertEquals(before + 1, channel.writes, "four capsules, one write");
    }

    @Test
    void shouldWriteWhatCompletionCallbacksSubmitDuringAReadOnceAtTheReadsEnd() throws Exception {
        Reissuing resubmitting = new Reissuing(owner -> owner.startsWith("r"));
        HostQueueEngine<String> e = openWithoutDigests(resubmitting);
        controller.drain(channel);
        for (int tag = 0; tag < 4; tag++) {
            assertTrue(e.submit("r" + tag, sqe(tag, false, 1), 0, DataDirection.CONTROLLER_TO_HOST,
                    ByteBuffer.allocate(512), 512, tag == 3));
        }
        controller.drain(channel);
        assertEquals(List.of(0, 1, 2, 3), controller.commands);
        ByteArrayOutputStream responses = new ByteArrayOutputStream();
        for (int tag = 0; tag < 4; tag++) {
            ByteBuffer data = c2hData(tag, 0, pattern(512, tag), false);
            responses.write(data.array(), 0, data.position());
            ByteBuffer response = capsuleResp(tag, 0);
            responses.write(response.array(), 0, response.position());
        }
        int writesBeforeRead = channel.writes;
        e.read(new ChunkedChannel(responses.toByteArray()), ByteBuffer.allocateDirect(16384), 4);

        assertEquals(List.of("r0:0", "r1:0", "r2:0", "r3:0"), resubmitting.completed);
        assertEquals(Collections.nCopies(4, writesBeforeRead), resubmitting.writesAtReissue,
                "nothing is written inside the read");
        assertEquals(writesBeforeRead + 1, channel.writes, "the four reissued reads went out in one write");
        controller.drain(channel);
        assertEquals(List.of(0, 1, 2, 3, 0, 1, 2, 3), controller.commands);
        assertNull(resubmitting.failure);

        e.submit("outside", sqe(5, false, 1), 0, DataDirection.CONTROLLER_TO_HOST, ByteBuffer.allocate(512), 512);
        assertEquals(writesBeforeRead + 2, channel.writes, "outside a read a submission writes at once");
    }

    @Test
    void shouldSendACallbacksCommandWhenItsChunkEndsNotAfterTheRestOfALongRead() throws Exception {
        Reissuing resubmitting = new Reissuing(owner -> owner.equals("small"));
        HostQueueEngine<String> e = openWithoutDigests(resubmitting);
        int big = 256 << 10;
        assertTrue(e.submit("small", sqe(0, false, 1), 0, DataDirection.CONTROLLER_TO_HOST, ByteBuffer.allocate(512),
                512, false));
        assertTrue(e.submit("big", sqe(1, false, big / 512), 0, DataDirection.CONTROLLER_TO_HOST,
                ByteBuffer.allocateDirect(big), big));
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (ByteBuffer pdu : List.of(c2hData(0, 0, pattern(512, 1), false), capsuleResp(0, 0))) {
            stream.write(pdu.array(), 0, pdu.position());
        }
        int piece = 8 << 10; // below the direct-read threshold: every chunk fills the receive buffer, the read goes on
        for (int offset = 0; offset < big; offset += piece) {
            ByteBuffer pdu = ByteBuffer.allocate(128 + piece).order(ByteOrder.LITTLE_ENDIAN);
            controllerEncoder.c2hData(pdu, 1, offset, piece, offset + piece == big, false);
            pdu.put(pattern(piece, offset));
            stream.write(pdu.array(), 0, pdu.position());
        }
        ByteBuffer last = capsuleResp(1, 0);
        stream.write(last.array(), 0, last.position());
        List<Integer> writesAtEachRead = new ArrayList<>();
        ChunkedChannel socket = new ChunkedChannel(stream.toByteArray()) {
            @Override
            public long read(ByteBuffer[] dsts, int offset, int length) {
                writesAtEachRead.add(channel.writes);
                return super.read(dsts, offset, length);
            }
        };
        socket.chunk = 16 << 10;
        int before = channel.writes;

        e.read(socket, ByteBuffer.allocateDirect(16 << 10), 64);

        assertEquals(List.of("small:0", "big:0"), resubmitting.completed);
        assertTrue(writesAtEachRead.size() > 4, "one read of several chunks: " + writesAtEachRead);
        assertEquals(before + 1, (int) writesAtEachRead.get(1), "the command went out after the first chunk"
                + " (the small completion's), before the big payload's remaining chunks: " + writesAtEachRead);
        assertEquals(before + 1, channel.writes);
    }

    @Test
    void shouldWriteABatchLargerThanOneGatheringWriteWithoutWaitingForTheChannelToDrain() {
        Recorder deep = new Recorder();
        HostQueueEngine<String> big = new HostQueueEngine<>(1, HostQueueEngine.MAX_PDUS_PER_WRITE * 2 + 8, false,
                false, 1024, deep);
        TrickleChannel wire = new TrickleChannel();
        big.start(wire);
        ByteBuffer icResp = ByteBuffer.allocate(128).order(ByteOrder.LITTLE_ENDIAN);
        new PduEncoder().icResp(icResp, 0, false, false, 4096);
        big.receive(icResp.flip());
        int before = wire.writes;
        int commands = HostQueueEngine.MAX_PDUS_PER_WRITE * 2 + 3;
        for (int tag = 0; tag < commands; tag++) {
            assertTrue(big.submit("r", sqe(tag, false, 1), 0, DataDirection.CONTROLLER_TO_HOST,
                    ByteBuffer.allocate(512), 512, false));
        }
        big.commit();

        int writes = wire.writes - before;
        assertTrue(writes > 1 && writes <= commands / HostQueueEngine.MAX_PDUS_PER_WRITE + 1, commands
                + " capsules in " + writes + " writes");
        assertEquals(commands, big.pdusWritten() - 1, "all of them, after the ICReq");
        assertEquals(List.of(), deep.interest, "a channel that took everything is not waited for");
    }

    @Test
    void shouldWriteWhatABatchHeldBackOnCommitAndNothingWhenTheRingIsEmpty() {
        open(4096);
        assertTrue(engine.submit("r", sqe(5, false, 1), 0, DataDirection.CONTROLLER_TO_HOST, ByteBuffer.allocate(512),
                512, false));
        assertTrue(engine.submit("w", sqe(6, true, 1), 0, DataDirection.HOST_TO_CONTROLLER,
                ByteBuffer.wrap(pattern(512, 9)), 512, false));
        int before = channel.writes;
        engine.commit();
        controller.drain(channel);
        assertEquals(List.of(5, 6), controller.commands, "the batch went out in order");
        assertEquals(before + 1, channel.writes);
        engine.commit();
        assertEquals(before + 1, channel.writes, "an empty ring writes nothing");
    }

    @Test
    void shouldAnswerAnR2tWithH2cDataPdusOfAtMostMaxH2cDataAndCompleteOnTheResponse() {
        open(16384);
        byte[] data = pattern(65536, 2);
        assertTrue(engine.submit("w", sqe(CommandIds.of(4, 1), true, 128), 0, DataDirection.HOST_TO_CONTROLLER,
                ByteBuffer.wrap(data), data.length));
        controller.drain(channel);
        send(r2t(CommandIds.of(4, 1), 0, data.length));
        controller.drain(channel);
        assertEquals(List.of(0, 16384, 32768, 49152), controller.h2cOffsets, "four PDUs of MAXH2CDATA each");
        assertEquals(List.of(false, false, false, true), controller.h2cLast, "LAST_PDU only on the last");
        assertArrayEquals(data, controller.h2cData.array(), "the data arrived in order, digests checked");
        assertTrue(controller.digestsOk);

        send(capsuleResp(CommandIds.of(4, 1), 0));
        assertEquals(List.of("w:0"), events.completed);
    }

    @Test
    void shouldRefuseCommandsBeforeIcRespAndCidsOutsideTheTableOrStillInFlight() {
        assertFalse(engine.submit("early", sqe(1, false, 1), 0, DataDirection.CONTROLLER_TO_HOST,
                ByteBuffer.allocate(512), 512), "not open before ICResp");
        open(4096);
        assertThrows(IllegalArgumentException.class, () -> engine.submit("x", sqe(DEPTH, false, 1), 0,
                DataDirection.CONTROLLER_TO_HOST, ByteBuffer.allocate(512), 512));
        engine.submit("a", sqe(2, false, 1), 0, DataDirection.CONTROLLER_TO_HOST, ByteBuffer.allocate(512), 512);
        assertThrows(IllegalStateException.class, () -> engine.submit("b", sqe(CommandIds.of(2, 1), false, 1), 0,
                DataDirection.CONTROLLER_TO_HOST, ByteBuffer.allocate(512), 512), "tag 2 is in flight");
    }

    /** A C2HData PDU with its data and data digest (the engine here negotiates both digests). */
    private ByteBuffer c2hData(int cid, int datao, byte[] bytes, boolean success) {
        ByteBuffer pdu = ByteBuffer.allocate(128 + bytes.length).order(ByteOrder.LITTLE_ENDIAN);
        controllerEncoder.c2hData(pdu, cid, datao, bytes.length, true, success);
        pdu.put(bytes);
        controllerEncoder.dataDigest(pdu, ByteBuffer.wrap(bytes));
        return pdu;
    }

    @Test
    void shouldPlaceReadDataAtTheCallersPositionAndTouchNothingAroundIt() {
        open(4096);
        ByteBuffer buffer = ByteBuffer.allocateDirect(2048);
        buffer.position(512).limit(1536);
        assertTrue(engine.submit("r", sqe(2, false, 2), 0, DataDirection.CONTROLLER_TO_HOST, buffer, 1024));
        byte[] data = pattern(1024, 11);
        send(c2hData(2, 0, java.util.Arrays.copyOf(data, 300), false));
        send(c2hData(2, 300, java.util.Arrays.copyOfRange(data, 300, 1024), true));

        assertEquals(List.of("r:0"), events.completed);
        byte[] placed = new byte[1024];
        buffer.get(512, placed);
        assertArrayEquals(data, placed);
        assertEquals(ByteBuffer.allocate(512), buffer.duplicate().clear().limit(512), "nothing before it written");
        assertEquals(ByteBuffer.allocate(512), buffer.duplicate().clear().position(1536), "nothing after it written");
        assertEquals(512, buffer.position(), "the caller's position and limit are left alone");
        assertEquals(1536, buffer.limit());
    }

    @Test
    void shouldReadLargePayloadsStraightIntoTheCallersBuffersWhateverTheSocketHandsOverAtATime() throws Exception {
        open(4096);
        int[] sizes = {65536, 4096, 131072, 512, 32768};
        ByteBuffer[] buffers = new ByteBuffer[sizes.length];
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (int tag = 0; tag < sizes.length; tag++) {
            buffers[tag] = ByteBuffer.allocateDirect(sizes[tag] + 100).position(50).limit(50 + sizes[tag]);
            assertTrue(engine.submit("r" + tag, sqe(tag, false, sizes[tag] / 512), 0,
                    DataDirection.CONTROLLER_TO_HOST, buffers[tag], sizes[tag], tag == sizes.length - 1));
            byte[] data = pattern(sizes[tag], 20 + tag);
            int half = sizes[tag] / 2; // two PDUs, the second completing with a CapsuleResp
            ByteBuffer first = c2hData(tag, 0, java.util.Arrays.copyOf(data, half), false);
            ByteBuffer second = c2hData(tag, half, java.util.Arrays.copyOfRange(data, half, sizes[tag]), false);
            stream.write(first.array(), 0, first.position());
            stream.write(second.array(), 0, second.position());
            ByteBuffer response = capsuleResp(tag, 0);
            stream.write(response.array(), 0, response.position());
        }
        ChunkedChannel socket = new ChunkedChannel(stream.toByteArray(), new Random(5));
        ByteBuffer in = ByteBuffer.allocateDirect(16384);
        for (int reads = 0; reads < 10_000 && socket.left() > 0; reads++) {
            assertTrue(engine.read(socket, in, 4) >= 0);
        }
        assertEquals(0, socket.left(), "everything was read");

        assertEquals(List.of("r0:0", "r1:0", "r2:0", "r3:0", "r4:0"), events.completed);
        assertNull(events.failure);
        for (int tag = 0; tag < sizes.length; tag++) {
            byte[] placed = new byte[sizes[tag]];
            buffers[tag].get(50, placed);
            assertArrayEquals(pattern(sizes[tag], 20 + tag), placed, "the data of command " + tag);
            assertEquals(50, buffers[tag].position(), "its position left alone");
        }
        assertTrue(socket.scattered > 0, "some payload went straight to the caller's buffer");
    }

    @Test
    void shouldFailTheConnectionForReadDataBeyondTheCommandsLengthEvenWithinTheCallersBuffer() {
        open(4096);
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        assertTrue(engine.submit("r", sqe(3, false, 1), 0, DataDirection.CONTROLLER_TO_HOST, buffer, 512));
        send(c2hData(3, 256, pattern(512, 12), true));

        assertNotNull(events.failure);
        assertEquals(FatalErrorStatus.DATA_TRANSFER_OUT_OF_RANGE, events.failure.fes());
        assertEquals(ByteBuffer.allocate(4096), buffer, "nothing of it was placed");
    }

    @Test
    void shouldSendEachWritesOwnBytesWhenCallersBuffersMoveBetweenTags() {
        open(4096);
        ByteBuffer shared = ByteBuffer.allocateDirect(2048);
        shared.put(pattern(2048, 13)).clear();
        byte[] expected = new byte[512];
        for (int round = 0; round < 3; round++) {
            for (int tag = 0; tag < 4; tag++) { // each tag writes a different 512-byte window of the same buffer
                int at = ((tag + round) % 4) * 512;
                ByteBuffer window = shared.duplicate().position(at).limit(at + 512);
                int cid = CommandIds.of(tag, round + 1);
                assertTrue(engine.submit("w", sqe(cid, true, 1), 0, DataDirection.HOST_TO_CONTROLLER, window, 512));
                controller.drain(channel);
                shared.get(at, expected);
                assertArrayEquals(expected, controller.inCapsule, "round " + round + " tag " + tag);
                send(capsuleResp(cid, 0));
            }
        }
        assertTrue(controller.digestsOk);
        assertNull(events.failure);
    }

    @Test
    void shouldNotKeepACallersBufferAliveOnceNoCommandUsesIt() throws Exception {
        open(4096);
        ByteBuffer dropped = ByteBuffer.allocateDirect(512).put(pattern(512, 15)).clear();
        java.lang.ref.ReferenceQueue<ByteBuffer> collected = new java.lang.ref.ReferenceQueue<>();
        java.lang.ref.WeakReference<ByteBuffer> watch = new java.lang.ref.WeakReference<>(dropped, collected);
        assertTrue(engine.submit("w", sqe(4, true, 1), 0, DataDirection.HOST_TO_CONTROLLER, dropped, 512));
        send(capsuleResp(4, 0));
        dropped = null;
        // the tag's next command takes another buffer: nothing of the engine's needs the first one now
        assertTrue(engine.submit("next", sqe(CommandIds.of(4, 1), true, 1), 0, DataDirection.HOST_TO_CONTROLLER,
                ByteBuffer.allocateDirect(512), 512));
        java.lang.ref.Reference<?> gone = null;
        for (int attempt = 0; attempt < 50 && gone == null; attempt++) {
            System.gc();
            gone = collected.remove(100);
        }
        assertSame(watch, gone, "the engine still holds the caller's dropped buffer");
    }

    @Test
    void shouldSendTheSameBufferWholeForEachOfTwoWritesInFlightTogether() {
        open(8192);
        ByteBuffer same = ByteBuffer.allocateDirect(8192).put(pattern(8192, 14)).clear();
        assertTrue(engine.submit("a", sqe(1, true, 16), 0, DataDirection.HOST_TO_CONTROLLER, same, 8192, false));
        assertTrue(engine.submit("b", sqe(2, true, 16), 0, DataDirection.HOST_TO_CONTROLLER, same, 8192, true));
        channel.budget = 0; // both H2CData PDUs wait and go out in one gathering write
        send(r2t(1, 0, 8192));
        send(r2t(2, 0, 8192));
        channel.budget = Integer.MAX_VALUE;
        engine.onWritable();
        controller.drain(channel);

        assertEquals(List.of(0, 0), controller.h2cOffsets, "one H2CData PDU each, 8 KiB from offset 0");
        byte[] sent = new byte[8192];
        controller.h2cData.get(0, sent);
        assertArrayEquals(pattern(8192, 14), sent);
        assertEquals(List.of(true, true), controller.h2cLast);
        assertEquals(2, controller.h2cEnded, "both PDUs carried their 8 KiB whole");
        assertTrue(controller.digestsOk);
        assertNull(events.failure);
    }

    @Test
    void shouldTakeAnUnsentH2cTransferOffTheWireWhenTheControllerCompletesTheWriteEarly() {
        open(4096);
        byte[] data = pattern(8192, 3);
        engine.submit("w", sqe(5, true, 16), 0, DataDirection.HOST_TO_CONTROLLER, ByteBuffer.wrap(data), 8192);
        controller.drain(channel);
        channel.budget = 0; // the socket is full: the H2CData stays queued, nothing of it written
        send(r2t(5, 0, 8192));
        send(capsuleResp(5, 0x81)); // the controller fails the write before taking its data
        assertEquals(List.of("w:" + 0x81), events.completed, "completed with the controller's status");
        channel.budget = Integer.MAX_VALUE;
        engine.onWritable();
        controller.drain(channel);
        assertTrue(controller.h2cOffsets.isEmpty(), "no data of the ended command went out");

        engine.submit("next", sqe(CommandIds.of(5, 1), false, 1), 0, DataDirection.CONTROLLER_TO_HOST,
                ByteBuffer.allocate(512), 512);
        controller.drain(channel);
        assertEquals(List.of(5, CommandIds.of(5, 1)), controller.commands, "the tag serves its next command");
        assertNull(events.failure);
    }

    @Test
    void shouldFailTheConnectionWhenTheControllerCompletesAWriteWhoseDataIsHalfOnTheWire() {
        open(4096);
        engine.submit("w", sqe(6, true, 16), 0, DataDirection.HOST_TO_CONTROLLER, ByteBuffer.wrap(pattern(8192, 4)),
                8192);
        controller.drain(channel);
        channel.budget = 100; // part of the first H2CData PDU goes out
        send(r2t(6, 0, 8192));
        send(capsuleResp(6, 0));
        assertNotNull(events.failure);
        assertEquals(FatalErrorStatus.PDU_SEQUENCE_ERROR, events.failure.fes());
        assertTrue(events.completed.isEmpty(), "the command is left to the host core to reissue");
    }

    @Test
    void shouldFailWithUnsupportedParameterWhenIcRespGrantsLessThanTheSmallestMaxH2cData() {
        engine.start(channel);
        ByteBuffer icResp = ByteBuffer.allocate(128).order(ByteOrder.LITTLE_ENDIAN);
        controllerEncoder.icResp(icResp, 0, true, true, 1024);
        send(icResp);
        assertEquals(QueueFailure.Kind.PROTOCOL_ERROR, events.failure.kind(), events.failure.getMessage());
        assertEquals(FatalErrorStatus.UNSUPPORTED_PARAMETER, events.failure.fes());
        assertFalse(engine.open());
    }

    @Test
    void shouldFailForGoodWhenIcRespGrantsOtherDigestsThanAsked() {
        engine.start(channel);
        ByteBuffer icResp = ByteBuffer.allocate(128).order(ByteOrder.LITTLE_ENDIAN);
        controllerEncoder.icResp(icResp, 0, false, true, 4096);
        send(icResp);
        assertEquals(QueueFailure.Kind.NEGOTIATION_FAILED, events.failure.kind(), events.failure.getMessage());
        assertFalse(events.failure.reconnectable(), "connecting again the same way cannot succeed");
        assertFalse(engine.open());
    }

    /** A socket handing over its bytes in random pieces; counts the reads that scattered into two buffers. */
    /** Completion code that at once issues the next read on the tag that completed, for the owners it picks. */
    private final class Reissuing extends Recorder {
        private final Predicate<String> reissues;
        /** The channel's write count right after each reissue. */
        final List<Integer> writesAtReissue = new ArrayList<>();
        HostQueueEngine<String> engine;

        Reissuing(Predicate<String> reissues) {
            this.reissues = reissues;
        }

        @Override
        public void completed(String owner, int cid, int status, int dw0, int dw1) {
            super.completed(owner, cid, status, dw0, dw1);
            if (reissues.test(owner)) {
                assertTrue(engine.submit("next" + cid, sqe(cid, false, 1), 0, DataDirection.CONTROLLER_TO_HOST,
                        ByteBuffer.allocate(512), 512));
                writesAtReissue.add(channel.writes);
            }
        }
    }

    /** An engine on {@link #channel} reporting to {@code events}, open without digests. */
    private HostQueueEngine<String> openWithoutDigests(Reissuing events) {
        HostQueueEngine<String> e = new HostQueueEngine<>(1, DEPTH, false, false, 1024, events);
        events.engine = e;
        e.start(channel);
        ByteBuffer icResp = ByteBuffer.allocate(128).order(ByteOrder.LITTLE_ENDIAN);
        controllerEncoder.icResp(icResp, 0, false, false, 4096);
        controllerEncoder.negotiated(false, false, 0);
        e.receive(icResp.flip());
        return e;
    }

    private static class ChunkedChannel implements java.nio.channels.ScatteringByteChannel {
        private final byte[] bytes;
        private final Random random;
        private int at;
        int scattered;
        int chunk;

        ChunkedChannel(byte[] bytes, Random random) {
            this.bytes = bytes;
            this.random = random;
        }

        /** Hands everything over in the first read. */
        ChunkedChannel(byte[] bytes) {
            this(bytes, null);
        }

        int left() {
            return bytes.length - at;
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) {
            if (length > 1) {
                scattered++;
            }
            int budget = random == null ? (chunk > 0 ? Math.min(left(), chunk) : left())
                    : Math.min(left(), 1 + random.nextInt(70_000));
            long n = 0;
            for (int i = offset; i < offset + length && budget > 0; i++) {
                int take = Math.min(budget, dsts[i].remaining());
                dsts[i].put(bytes, at, take);
                at += take;
                budget -= take;
                n += take;
            }
            return n;
        }

        @Override
        public long read(ByteBuffer[] dsts) {
            return read(dsts, 0, dsts.length);
        }

        @Override
        public int read(ByteBuffer dst) {
            return (int) read(new ByteBuffer[] {dst}, 0, 1);
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    /** What the engine reported. */
    private static class Recorder implements HostQueueEngine.Events<String> {
        final List<Boolean> interest = new ArrayList<>();
        final List<String> completed = new ArrayList<>();
        QueueFailure failure;

        @Override
        public void established(int maxH2cData) {
        }

        @Override
        public void completed(String owner, int cid, int status, int dw0, int dw1) {
            completed.add(owner + ":" + (status >>> 1));
        }

        @Override
        public void failed(QueueFailure cause) {
            assertNull(failure, "failed is reported once");
            failure = cause;
        }

        @Override
        public void writeInterest(boolean wanted) {
            interest.add(wanted);
        }
    }

    /** A channel that takes at most {@link #budget} bytes per write and keeps them. */
    private static final class TrickleChannel implements GatheringByteChannel {
        int budget = Integer.MAX_VALUE;
        int writes;
        final ByteArrayOutputStream written = new ByteArrayOutputStream();

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) {
            writes++;
            long n = 0;
            for (int i = offset; i < offset + length && n < budget; i++) {
                while (srcs[i].hasRemaining() && n < budget) {
                    written.write(srcs[i].get());
                    n++;
                }
            }
            return n;
        }

        @Override
        public long write(ByteBuffer[] srcs) {
            return write(srcs, 0, srcs.length);
        }

        @Override
        public int write(ByteBuffer src) {
            return (int) write(new ByteBuffer[] {src}, 0, 1);
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    /** Decodes what the engine wrote, as a controller would. */
    private static final class ControllerSide implements ControllerPduHandler {
        private final PduDecoder decoder = PduDecoder.forController(this);
        private int consumed;
        final List<Integer> commands = new ArrayList<>();
        final List<Integer> h2cOffsets = new ArrayList<>();
        final List<Boolean> h2cLast = new ArrayList<>();
        int h2cEnded;
        final ByteBuffer h2cData = ByteBuffer.allocate(65536);
        byte[] inCapsule;
        private final ByteBuffer capsuleData = ByteBuffer.allocate(8192);
        boolean digestsOk = true;

        void drain(TrickleChannel channel) {
            byte[] all = channel.written.toByteArray();
            ByteBuffer fresh = ByteBuffer.wrap(all, consumed, all.length - consumed).order(ByteOrder.LITTLE_ENDIAN);
            consumed = all.length;
            try {
                decoder.decode(fresh);
            } catch (FatalPduException e) {
                throw new AssertionError("the engine wrote a malformed PDU: " + e.getMessage(), e);
            }
        }

        @Override
        public void onIcReq(IcReqPdu pdu) {
            decoder.negotiated(pdu.headerDigest(), pdu.dataDigest(), 0);
        }

        @Override
        public void onTermReq(TermReqPdu pdu) {
        }

        @Override
        public ByteBuffer onCapsuleCmd(CapsuleCmdPdu pdu) {
            if (pdu.dataLength() == 0) {
                commands.add(pdu.cid());
            }
            return capsuleData.clear();
        }

        @Override
        public void onCapsuleCmdEnd(CapsuleCmdPdu pdu, boolean dataDigestOk) {
            commands.add(pdu.cid());
            inCapsule = new byte[pdu.dataLength()];
            capsuleData.get(0, inCapsule);
            digestsOk &= dataDigestOk;
        }

        @Override
        public ByteBuffer onH2cData(H2cDataPdu pdu) {
            h2cOffsets.add(pdu.datao());
            h2cLast.add(pdu.hasFlag(PduFlags.LAST_PDU));
            return h2cData;
        }

        @Override
        public void onH2cDataEnd(H2cDataPdu pdu, boolean dataDigestOk) {
            h2cEnded++;
            digestsOk &= dataDigestOk;
        }
    }
}
