package dev.nvmeof.transport.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.nvmeof.protocol.CommandIds;
import dev.nvmeof.protocol.NvmeStatus;
import dev.nvmeof.protocol.tcp.FatalErrorStatus;
import dev.nvmeof.spi.transport.TransportRequest;
import dev.nvmeof.testkit.ScriptedTarget;

/**
 * A target that breaks the connection, corrupts data or goes silent, as the core sees it through the SPI: a closed
 * socket fails the queue once; a data digest error fails only its command (Data Transfer Error); silence is left to
 * the core's timer, and {@code drain()} and {@code close()} still end everything within their bounds.
 */
class TcpTargetMisbehaviourTest extends ScriptedTargetTestBase {
    private static final int CID = 5;
    /** Far below TcpQueue's 10 s drain bound: the event loop only has to finish one cycle. */
    private static final long DRAIN_BOUND_MILLIS = 2_000;

    private static byte[] pattern(long seed) {
        byte[] bytes = new byte[LENGTH];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    @Test
    void shouldFailTheQueueOnceWhenTheTargetClosesAfterReadingTheCommand() throws Exception {
        open(false, false);
        CompletableFuture<TransportRequest> read = readReachingTarget(CID, ByteBuffer.allocate(LENGTH));
        target.closeConnection();
        awaitFailure(null);
        assertFailedOnceAndNothingCompleted(read);
    }

    @ParameterizedTest(name = "after {0} bytes of the PDU")
    @ValueSource(ints = {1, 12, 24, 24 + 100, 24 + LENGTH})
    void shouldFailTheQueueOnceWhenTheTargetClosesInTheMiddleOfC2hData(int sent) throws Exception {
        open(false, true);
        CompletableFuture<TransportRequest> read = readReachingTarget(CID, ByteBuffer.allocate(LENGTH));
        ByteBuffer c2h = target.c2hData(CID, pattern(1), true, false);
        assertTrue(sent < c2h.remaining(), "the PDU is cut short (its data digest is missing at least)");
        target.send(c2h.limit(sent));
        target.closeConnection();
        awaitFailure(null);
        assertFailedOnceAndNothingCompleted(read);
    }

    @Test
    void shouldFailTheQueueAndNotCompleteTheNextCommandWhenACapsuleRespFollowsASuccessfulC2hDataForItsCid()
            throws Exception {
        open(false, false);
        int first = CommandIds.of(CID, 1);
        int next = CommandIds.of(CID, 2); // the core reuses the tag in the next generation
        CompletableFuture<TransportRequest> read = readReachingTarget(first, ByteBuffer.allocate(LENGTH));
        target.send(target.c2hData(first, pattern(1), true, false));
        assertEquals(0, read.get(SpiHost.WAIT_SECONDS, TimeUnit.SECONDS).status());
        CompletableFuture<TransportRequest> second = readReachingTarget(next, ByteBuffer.allocate(LENGTH));

        target.send(target.capsuleResp(first, 0)); // stale: its command ended with the SUCCESS flag
        awaitFailure(FatalErrorStatus.INVALID_PDU_HEADER_FIELD);
        queue.drain();
        assertFalse(second.isDone(), "the stale completion did not complete the tag's next command");
        assertEquals(1, events.completions.get(), "only the first read completed");
    }

    @ParameterizedTest(name = "SUCCESS flag {0}")
    @ValueSource(booleans = {false, true})
    void shouldCompleteOnlyThatCommandWithDataTransferErrorWhenTheDataDigestIsWrong(boolean success)
            throws Exception {
        open(true, true);
        CompletableFuture<TransportRequest> bad = readReachingTarget(CID, ByteBuffer.allocate(LENGTH));
        ByteBuffer corrupt = target.c2hData(CID, pattern(1), success, true);
        target.send(success ? corrupt : ScriptedTarget.concat(corrupt, target.capsuleResp(CID, 0)));
        int status = bad.get(SpiHost.WAIT_SECONDS, TimeUnit.SECONDS).status();
        assertEquals(0, NvmeStatus.sct(status), "SCT of 0x" + Integer.toHexString(status));
        assertEquals(0x04, NvmeStatus.sc(status), "SC of 0x" + Integer.toHexString(status));
        assertEquals(NvmeStatus.DATA_TRANSFER_ERROR, NvmeStatus.of(status));

        // The queue goes on: the next command on the same CID (and one on another) completes normally.
        for (int cid : new int[] {CID, CID + 1}) {
            ByteBuffer into = ByteBuffer.allocate(LENGTH);
            CompletableFuture<TransportRequest> good = readReachingTarget(cid, into);
            ByteBuffer c2h = target.c2hData(cid, pattern(cid), success, false);
            target.send(success ? c2h : ScriptedTarget.concat(c2h, target.capsuleResp(cid, 0)));
            assertEquals(0, good.get(SpiHost.WAIT_SECONDS, TimeUnit.SECONDS).status(), "CID " + cid);
            assertArrayEquals(pattern(cid), bytes(into), "CID " + cid);
        }
        assertEquals(0, events.failures.get());
        assertEquals(3, events.completions.get());
    }

    @Test
    void shouldLeaveTheCommandToTheCoresTimerAndDrainAndCloseWhenTheTargetGoesSilent() throws Exception {
        open(false, false);
        ByteBuffer into = ByteBuffer.allocate(LENGTH);
        Arrays.fill(into.array(), (byte) 0x5A);
        CompletableFuture<TransportRequest> read = readReachingTarget(CID, into);
        // The target says nothing more. The transport has no command timer: nothing completes, nothing fails.
        assertFalse(read.isDone());

        long start = System.nanoTime();
        queue.drain();
        long drainMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(drainMillis < DRAIN_BOUND_MILLIS, "drain took " + drainMillis + " ms");
        assertEquals(0, events.completions.get());
        assertEquals(0, events.failures.get());
        assertFalse(read.isDone());

        queue.close();
        target.expectEof(); // close() closed the socket, with nothing more sent
        queue.close(); // idempotent
        assertEquals(0, events.completions.get());
        assertEquals(0, events.failures.get(), "a drained queue does not report its own close as a failure");
        byte[] untouched = new byte[LENGTH];
        Arrays.fill(untouched, (byte) 0x5A);
        assertArrayEquals(untouched, into.array(), "nothing was written into the buffer");
    }
}
