package dev.nvmeof.testkit;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.nvmeof.protocol.CommandIds;
import dev.nvmeof.protocol.NvmeStatus;
import dev.nvmeof.protocol.tcp.CapsuleRespPdu;
import dev.nvmeof.protocol.tcp.FatalErrorStatus;
import dev.nvmeof.protocol.tcp.PduType;

/**
 * The misbehaving-target suite every host-side NVMe/TCP implementation of this project runs (the {@code tcp}
 * transport and the emulated NIC's engine), so both answer the same bad input the same way: connection-fatal input
 * fails the connection once, with its Fatal Error Status and an H2CTermReq where one is due, and completes nothing;
 * a data digest error fails only its command, with Data Transfer Error. Each scenario gets a fresh
 * {@link ScriptedTarget} and a fresh connection. Framework-neutral: a JUnit 5 test turns {@link #scenarios} into
 * dynamic tests; a failed check throws {@link AssertionError}.
 */
public final class MisbehavingTargetSuite {
    /** Bytes each scenario's commands move. */
    public static final int LENGTH = 4096;
    private static final int TAG = 5;
    private static final long WAIT_SECONDS = 10;
    /** drain() only has to wait for the connection's own thread to finish one turn. */
    private static final long DRAIN_BOUND_MILLIS = 2_000;

    /** How the host under test connects: one I/O queue (qid 1, at least 32 entries, no in-capsule data). */
    @FunctionalInterface
    public interface Host {
        /** Connects to {@code target} asking for these digests; returns once the ICResp has been taken. */
        Connection open(InetSocketAddress target, boolean headerDigest, boolean dataDigest) throws Exception;
    }

    /** One connection of the host under test. */
    public interface Connection extends AutoCloseable {
        /** A read of {@code into}'s remaining bytes (NVM Read of {@link #LENGTH} bytes) with this CID. */
        CompletableFuture<Integer> read(int cid, ByteBuffer into);

        /** A write of {@code from}'s remaining bytes with this CID; its data must go through R2T. */
        CompletableFuture<Integer> write(int cid, ByteBuffer from);

        /** Completes once the connection reported its failure: the FES it carried (null for none). */
        CompletableFuture<Failure> failure();

        /** Completions delivered so far. */
        int completions();

        /** Failures reported so far. */
        int failures();

        /** Stops the connection: nothing is completed or reported afterwards. */
        void drain();
    }

    /** A reported connection failure. */
    public record Failure(FatalErrorStatus fes, String message) {
    }

    /** One named scenario. */
    public record Scenario(String name, Body body) {
    }

    @FunctionalInterface
    public interface Body {
        void run() throws Exception;
    }

    private final Host host;

    private MisbehavingTargetSuite(Host host) {
        this.host = host;
    }

    /** Every scenario, against connections {@code host} opens. */
    public static List<Scenario> scenarios(Host host) {
        MisbehavingTargetSuite s = new MisbehavingTargetSuite(host);
        List<Scenario> all = new ArrayList<>();
        all.add(new Scenario("target closes after reading the command", s::closeAfterCommand));
        for (int sent : new int[] {1, 12, 24, 24 + 100, 24 + LENGTH}) {
            all.add(new Scenario("target closes after " + sent + " bytes of C2HData", () -> s.closeInC2hData(sent)));
        }
        all.add(new Scenario("CapsuleResp after a C2HData with SUCCESS (stale CID)", s::capsuleRespAfterSuccess));
        all.add(new Scenario("duplicate CapsuleResp", s::duplicateCapsuleResp));
        all.add(new Scenario("C2HData for no command in flight", s::c2hDataForNoCommand));
        all.add(new Scenario("R2T beyond its write", s::r2tBeyondWrite));
        all.add(new Scenario("R2T for a read", s::r2tForRead));
        all.add(new Scenario("R2T answered, then the write completes", s::r2tAnswered));
        all.add(new Scenario("data digest error with SUCCESS", () -> s.dataDigestError(true)));
        all.add(new Scenario("data digest error then CapsuleResp", () -> s.dataDigestError(false)));
        all.add(new Scenario("C2HTermReq", s::termReq));
        all.add(new Scenario("silence", s::silence));
        return all;
    }

    // ---- the scenarios ----

    private void closeAfterCommand() throws Exception {
        try (Run run = open(false, false)) {
            CompletableFuture<Integer> read = run.readReachingTarget(TAG, ByteBuffer.allocate(LENGTH));
            run.target.closeConnection();
            run.awaitFailure(null);
            run.assertFailedOnceAndNothingCompleted(read);
        }
    }

    private void closeInC2hData(int sent) throws Exception {
        try (Run run = open(false, true)) {
            CompletableFuture<Integer> read = run.readReachingTarget(TAG, ByteBuffer.allocate(LENGTH));
            ByteBuffer c2h = run.target.c2hData(TAG, pattern(1), true, false);
            check(sent < c2h.remaining(), "the PDU is cut short");
            run.target.send(c2h.limit(sent));
            run.target.closeConnection();
            run.awaitFailure(null);
            run.assertFailedOnceAndNothingCompleted(read);
        }
    }

    private void capsuleRespAfterSuccess() throws Exception {
        try (Run run = open(false, false)) {
            int first = CommandIds.of(TAG, 1);
            int next = CommandIds.of(TAG, 2); // the host reuses the tag in the next generation
            CompletableFuture<Integer> read = run.readReachingTarget(first, ByteBuffer.allocate(LENGTH));
            run.target.send(run.target.c2hData(first, pattern(1), true, false));
            equal(0, read.get(WAIT_SECONDS, TimeUnit.SECONDS), "the read with SUCCESS completed");
            CompletableFuture<Integer> second = run.readReachingTarget(next, ByteBuffer.allocate(LENGTH));
            run.target.send(run.target.capsuleResp(first, 0)); // stale: its command already ended
            run.awaitFailure(FatalErrorStatus.INVALID_PDU_HEADER_FIELD);
            run.expectTermReqThenEof(FatalErrorStatus.INVALID_PDU_HEADER_FIELD, CapsuleRespPdu.CID_OFFSET);
            run.connection.drain();
            check(!second.isDone(), "the stale completion did not complete the tag's next command");
            equal(1, run.connection.completions(), "only the first read completed");
        }
    }

    private void duplicateCapsuleResp() throws Exception {
        try (Run run = open(false, false)) {
            CompletableFuture<Integer> read = run.readReachingTarget(TAG, ByteBuffer.allocate(LENGTH));
            run.target.send(ScriptedTarget.concat(run.target.c2hData(TAG, pattern(2), false, false),
                    run.target.capsuleResp(TAG, 0), run.target.capsuleResp(TAG, 0)));
            equal(0, read.get(WAIT_SECONDS, TimeUnit.SECONDS), "the read completed once");
            run.awaitFailure(FatalErrorStatus.INVALID_PDU_HEADER_FIELD);
            run.connection.drain();
            equal(1, run.connection.completions(), "the duplicate completed nothing");
        }
    }

    private void c2hDataForNoCommand() throws Exception {
        try (Run run = open(false, false)) {
            CompletableFuture<Integer> read = run.readReachingTarget(TAG, ByteBuffer.allocate(LENGTH));
            run.target.send(run.target.c2hData(TAG + 1, pattern(3), true, false));
            Failure failure = run.awaitFailure(FatalErrorStatus.INVALID_PDU_HEADER_FIELD);
            check(failure.message() != null, "the failure says why");
            run.assertFailedOnceAndNothingCompleted(read);
        }
    }

    private void r2tBeyondWrite() throws Exception {
        try (Run run = open(false, false)) {
            CompletableFuture<Integer> write = run.writeReachingTarget(TAG, ByteBuffer.wrap(pattern(4)));
            run.target.send(run.target.r2t(TAG, 1, 0, 2 * LENGTH));
            run.awaitFailure(FatalErrorStatus.DATA_TRANSFER_OUT_OF_RANGE);
            run.expectTermReqThenEof(FatalErrorStatus.DATA_TRANSFER_OUT_OF_RANGE, 0);
            run.assertFailedOnceAndNothingCompleted(write);
        }
    }

    private void r2tForRead() throws Exception {
        try (Run run = open(false, false)) {
            CompletableFuture<Integer> read = run.readReachingTarget(TAG, ByteBuffer.allocate(LENGTH));
            run.target.send(run.target.r2t(TAG, 1, 0, LENGTH));
            run.awaitFailure(FatalErrorStatus.DATA_TRANSFER_OUT_OF_RANGE);
            run.assertFailedOnceAndNothingCompleted(read);
        }
    }

    private void r2tAnswered() throws Exception {
        try (Run run = open(true, true)) {
            CompletableFuture<Integer> write = run.writeReachingTarget(TAG, ByteBuffer.wrap(pattern(5)));
            run.target.send(run.target.r2t(TAG, 7, 0, LENGTH));
            ScriptedTarget.Received h2c = run.target.readPdu();
            equal(PduType.H2C_DATA, h2c.type(), "the R2T is answered with H2CData");
            equal(TAG, h2c.cid(), "for its command");
            equal(LENGTH, h2c.quotedLength(), "with all the data asked for");
            run.target.send(run.target.capsuleResp(TAG, 0));
            equal(0, write.get(WAIT_SECONDS, TimeUnit.SECONDS), "the write completed");
            equal(0, run.connection.failures(), "nothing failed");
        }
    }

    private void dataDigestError(boolean success) throws Exception {
        try (Run run = open(true, true)) {
            CompletableFuture<Integer> bad = run.readReachingTarget(TAG, ByteBuffer.allocate(LENGTH));
            ByteBuffer corrupt = run.target.c2hData(TAG, pattern(1), success, true);
            run.target.send(success ? corrupt : ScriptedTarget.concat(corrupt, run.target.capsuleResp(TAG, 0)));
            int status = bad.get(WAIT_SECONDS, TimeUnit.SECONDS);
            equal(NvmeStatus.DATA_TRANSFER_ERROR, NvmeStatus.of(status), "status 0x" + Integer.toHexString(status));
            check(!NvmeStatus.isDnr(status), "Data Transfer Error without DNR: the host may retry");
            for (int cid : new int[] {CommandIds.of(TAG, 1), TAG + 1}) { // the connection goes on
                ByteBuffer into = ByteBuffer.allocate(LENGTH);
                CompletableFuture<Integer> good = run.readReachingTarget(cid, into);
                ByteBuffer c2h = run.target.c2hData(cid, pattern(cid), success, false);
                run.target.send(success ? c2h : ScriptedTarget.concat(c2h, run.target.capsuleResp(cid, 0)));
                equal(0, good.get(WAIT_SECONDS, TimeUnit.SECONDS), "CID " + cid);
                check(Arrays.equals(pattern(cid), into.array()), "CID " + cid + " read its data");
            }
            equal(0, run.connection.failures(), "the connection did not fail");
            equal(3, run.connection.completions(), "three reads completed");
        }
    }

    private void termReq() throws Exception {
        try (Run run = open(false, false)) {
            CompletableFuture<Integer> read = run.readReachingTarget(TAG, ByteBuffer.allocate(LENGTH));
            run.target.send(run.target.c2hTermReq(FatalErrorStatus.PDU_SEQUENCE_ERROR, 0));
            run.awaitFailure(FatalErrorStatus.PDU_SEQUENCE_ERROR);
            run.assertFailedOnceAndNothingCompleted(read);
        }
    }

    private void silence() throws Exception {
        try (Run run = open(false, false)) {
            ByteBuffer into = ByteBuffer.allocate(LENGTH);
            Arrays.fill(into.array(), (byte) 0x5A);
            CompletableFuture<Integer> read = run.readReachingTarget(TAG, into);
            long start = System.nanoTime();
            run.connection.drain(); // the connection has no command timer: the host core's timer ends this
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            check(millis < DRAIN_BOUND_MILLIS, "drain took " + millis + " ms");
            equal(0, run.connection.completions(), "nothing completed");
            equal(0, run.connection.failures(), "a drained connection reports no failure");
            check(!read.isDone(), "the read is the host's again");
            byte[] untouched = new byte[LENGTH];
            Arrays.fill(untouched, (byte) 0x5A);
            check(Arrays.equals(untouched, into.array()), "nothing was written into the buffer");
        }
    }

    // ---- plumbing ----

    private Run open(boolean headerDigest, boolean dataDigest) throws Exception {
        ScriptedTarget target = ScriptedTarget.listen();
        try {
            var handshake = target.acceptAndAnswerIcReq(headerDigest, dataDigest);
            Connection connection = host.open(target.address(), headerDigest, dataDigest);
            handshake.get(ScriptedTarget.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            return new Run(target, connection);
        } catch (Exception | Error e) {
            target.close();
            throw e;
        }
    }

    /** One scenario's target and connection. */
    private record Run(ScriptedTarget target, Connection connection) implements AutoCloseable {
        CompletableFuture<Integer> readReachingTarget(int cid, ByteBuffer into) throws Exception {
            CompletableFuture<Integer> done = connection.read(cid, into);
            equal(cid, target.readCommand(), "the target sees the command with its CID");
            return done;
        }

        CompletableFuture<Integer> writeReachingTarget(int cid, ByteBuffer from) throws Exception {
            CompletableFuture<Integer> done = connection.write(cid, from);
            equal(cid, target.readCommand(), "the target sees the command with its CID");
            return done;
        }

        Failure awaitFailure(FatalErrorStatus fes) throws Exception {
            Failure failure = connection.failure().get(WAIT_SECONDS, TimeUnit.SECONDS);
            equal(fes, failure.fes(), "the failure's FES (" + failure.message() + ")");
            return failure;
        }

        void expectTermReqThenEof(FatalErrorStatus fes, int fei) throws Exception {
            ScriptedTarget.Received termReq = target.readPdu();
            equal(PduType.H2C_TERM_REQ, termReq.type(), "an H2CTermReq: " + termReq);
            equal(fes, termReq.fes(), "its FES: " + termReq);
            equal(fei, termReq.fei(), "its FEI: " + termReq);
            check(termReq.quotedLength() > 0, "it quotes the PDU in error: " + termReq);
            target.expectEof();
        }

        @SafeVarargs
        final void assertFailedOnceAndNothingCompleted(CompletableFuture<Integer>... outstanding) {
            connection.drain();
            equal(1, connection.failures(), "the failure is reported exactly once");
            equal(0, connection.completions(), "nothing completes after the connection failed");
            for (CompletableFuture<Integer> request : outstanding) {
                check(!request.isDone(), "an outstanding command is the host's again, not completed");
            }
        }

        @Override
        public void close() throws Exception {
            try {
                connection.close();
            } finally {
                target.close();
            }
        }
    }

    private static byte[] pattern(long seed) {
        byte[] bytes = new byte[LENGTH];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError(what);
        }
    }

    private static void equal(Object expected, Object actual, String what) {
        if (expected == null ? actual != null : !expected.equals(actual)) {
            throw new AssertionError(what + ": expected " + expected + ", was " + actual);
        }
    }
}
