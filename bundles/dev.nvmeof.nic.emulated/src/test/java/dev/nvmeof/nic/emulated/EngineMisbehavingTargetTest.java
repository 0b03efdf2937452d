package dev.nvmeof.nic.emulated;

import dev.nvmeof.protocol.DataDirection;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.nvmeof.protocol.CommandIds;
import dev.nvmeof.protocol.NvmCommands;
import dev.nvmeof.protocol.NvmeStatus;
import dev.nvmeof.protocol.tcp.FatalErrorStatus;
import dev.nvmeof.protocol.tcp.QueueFailure;
import dev.nvmeof.testkit.ScriptedTarget;

/**
 * The offload engine against a target that misbehaves (the testkit's {@link ScriptedTarget}), as the tcp transport's
 * tests do it: a completion for a command that already ended, an R2T outside its command, a bad data digest, a
 * C2HTermReq, silence. Connection-fatal inputs fail the queue pair with their cause and complete nothing; a data
 * digest error fails only its command.
 */
@Timeout(60)
class EngineMisbehavingTargetTest {
    private static final int LENGTH = 4096;
    private static final int TAG = 5;

    private final NicFunction nic = NicFunction.start(
            new NicCapabilities(0x1AC3, 0x0100, "MIS-1", 25_000, 8, 128 << 10, 32, true), 1);
    private ScriptedTarget target;
    private RingClient queue;

    private void open(boolean digests) throws Exception {
        nic.netDevice().addAddress("p1p1", "127.0.0.2/24");
        target = ScriptedTarget.listen();
        var handshake = target.acceptAndAnswerIcReq(digests, digests);
        queue = RingClient.open(nic, "p1p1", target.address(), 1, digests);
        handshake.get(ScriptedTarget.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        if (queue != null) {
            queue.close();
        }
        if (target != null) {
            target.close();
        }
        nic.close();
    }

    private CompletableFuture<RingClient.Completion> read(int cid, ByteBuffer into) throws Exception {
        CompletableFuture<RingClient.Completion> done = queue.submit(s -> NvmCommands.read(s, 0, 1, 0, LENGTH / 512,
                false), into, DataDirection.CONTROLLER_TO_HOST, cid);
        assertEquals(cid, target.readCommand(), "the target sees the command with its CID");
        return done;
    }

    private static byte[] pattern(long seed) {
        byte[] bytes = new byte[LENGTH];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private IOException awaitFailure() throws Exception {
        return queue.failure.get(15, TimeUnit.SECONDS);
    }

    @Test
    void shouldFailAndNotCompleteTheTagsNextCommandWhenACapsuleRespFollowsASuccessfulC2hData() throws Exception {
        open(false);
        int first = CommandIds.of(TAG, 1);
        int next = CommandIds.of(TAG, 2);
        ByteBuffer data = ByteBuffer.allocateDirect(LENGTH);
        CompletableFuture<RingClient.Completion> read = read(first, data);
        target.send(target.c2hData(first, pattern(1), true, false));
        assertTrue(read.get(15, TimeUnit.SECONDS).ok());
        byte[] got = new byte[LENGTH];
        data.duplicate().get(got);
        assertArrayEquals(pattern(1), got);

        CompletableFuture<RingClient.Completion> second = read(next, ByteBuffer.allocateDirect(LENGTH));
        target.send(target.capsuleResp(first, 0)); // stale: that command ended with the SUCCESS flag
        IOException cause = awaitFailure();
        assertTrue(cause.getMessage().contains("no command in flight"), cause.getMessage());
        assertFalse(second.isDone(), "the stale completion did not complete the tag's next command");
        assertFalse(queue.queuePair().live());
    }

    @Test
    void shouldFailWhenAnR2tReachesBeyondItsCommand() throws Exception {
        open(false);
        int cid = CommandIds.of(3, 1);
        ByteBuffer data = ByteBuffer.allocateDirect(4 * LENGTH); // beyond the in-capsule limit: the target asks
        CompletableFuture<RingClient.Completion> write = queue.submit(s -> NvmCommands.write(s, 0, 1, 0,
                4 * LENGTH / 512, false), data, DataDirection.HOST_TO_CONTROLLER, cid);
        assertEquals(cid, target.readCommand());
        target.send(target.r2t(cid, 1, 0, 8 * LENGTH));
        IOException cause = awaitFailure();
        assertTrue(cause.getMessage().contains("does not fit"), cause.getMessage());
        assertFalse(write.isDone());
    }

    @Test
    void shouldCompleteOnlyThatCommandWithDataTransferErrorWhenTheDataDigestIsWrong() throws Exception {
        open(true);
        int cid = CommandIds.of(TAG, 1);
        CompletableFuture<RingClient.Completion> bad = read(cid, ByteBuffer.allocateDirect(LENGTH));
        target.send(ScriptedTarget.concat(target.c2hData(cid, pattern(2), false, true), target.capsuleResp(cid, 0)));
        RingClient.Completion completion = bad.get(15, TimeUnit.SECONDS);
        assertEquals(NvmeStatus.DATA_TRANSFER_ERROR, NvmeStatus.of(completion.status()), completion.toString());
        assertTrue(queue.queuePair().live(), "the connection is fine");

        int again = CommandIds.of(TAG, 2);
        CompletableFuture<RingClient.Completion> good = read(again, ByteBuffer.allocateDirect(LENGTH));
        target.send(ScriptedTarget.concat(target.c2hData(again, pattern(3), false, false),
                target.capsuleResp(again, 0)));
        assertTrue(good.get(15, TimeUnit.SECONDS).ok(), "the next command on the queue pair succeeds");
    }

    @Test
    void shouldFailWithTheStatusWhenTheTargetSendsATermReq() throws Exception {
        open(false);
        CompletableFuture<RingClient.Completion> read = read(CommandIds.of(TAG, 1), ByteBuffer.allocateDirect(LENGTH));
        target.send(target.c2hTermReq(FatalErrorStatus.PDU_SEQUENCE_ERROR, 0));
        IOException cause = awaitFailure();
        QueueFailure failure = assertInstanceOf(QueueFailure.class, cause, "the failure keeps its classification");
        assertEquals(QueueFailure.Kind.TERMINATED_BY_CONTROLLER, failure.kind());
        assertEquals(FatalErrorStatus.PDU_SEQUENCE_ERROR, failure.fes(), "the FES reaches the driver");
        assertFalse(read.isDone());
    }

    @Test
    void shouldCompleteNothingAndDrainWhenTheTargetGoesSilent() throws Exception {
        open(false);
        CompletableFuture<RingClient.Completion> read = read(CommandIds.of(TAG, 1), ByteBuffer.allocateDirect(LENGTH));
        CompletableFuture.runAsync(queue.queuePair()::drain).get(15, TimeUnit.SECONDS);
        assertFalse(queue.queuePair().live());
        assertFalse(read.isDone(), "left to the driver, which hands it back to the host");
    }
}
