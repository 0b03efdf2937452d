package dev.nvmeof.transport.tcp.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.nvmeof.protocol.tcp.C2hDataPdu;
import dev.nvmeof.protocol.tcp.CapsuleRespPdu;
import dev.nvmeof.protocol.tcp.FatalErrorStatus;
import dev.nvmeof.protocol.tcp.PduHeaderFlyweight;
import dev.nvmeof.protocol.tcp.R2tPdu;
import dev.nvmeof.spi.transport.TransportRequest;
import dev.nvmeof.testkit.ScriptedTarget;

/**
 * Fatal transport errors in what the controller sends (malformed PDUs, a CID without a command, a C2HTermReq): the
 * queue fails once, answers with an H2CTermReq naming the FES where it found the error itself, closes, and delivers
 * nothing more. A valid CapsuleResp for the outstanding command follows every bad PDU in the same write: it must not
 * complete anything.
 */
class TcpFatalPduTest extends ScriptedTargetTestBase {
    private static final int CID = 5;

    private void expectMalformed(boolean headerDigest, ByteBuffer malformed, FatalErrorStatus fes, int fei)
            throws Exception {
        open(headerDigest, false);
        CompletableFuture<TransportRequest> read = readReachingTarget(CID, ByteBuffer.allocate(LENGTH));
        target.send(ScriptedTarget.concat(malformed, target.capsuleResp(CID, 0)));
        awaitFailure(fes);
        expectTermReqThenEof(fes, fei);
        assertFailedOnceAndNothingCompleted(read);
    }

    /** A 24-byte PDU header of this type code (HLEN 24, PLEN 24, no flags). */
    private static ByteBuffer rawHeader(int typeCode) {
        ByteBuffer pdu = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        pdu.put(PduHeaderFlyweight.TYPE_OFFSET, (byte) typeCode);
        pdu.put(PduHeaderFlyweight.HLEN_OFFSET, (byte) 24);
        pdu.putInt(PduHeaderFlyweight.PLEN_OFFSET, 24);
        return pdu;
    }

    @ParameterizedTest(name = "type 0x{0}")
    @ValueSource(ints = {0x08, 0x0A, 0xFF, 0x04, 0x00})
    void shouldFailTheQueueWithTermReqWhenThePduTypeIsUnknownOrOfTheHostsDirection(int typeCode) throws Exception {
        // 0x08, 0x0A, 0xFF name no PDU; 0x04 (CapsuleCmd) and 0x00 (ICReq) are PDUs only a host sends.
        expectMalformed(false, rawHeader(typeCode), FatalErrorStatus.INVALID_PDU_HEADER_FIELD,
                PduHeaderFlyweight.TYPE_OFFSET);
    }

    @ParameterizedTest(name = "HLEN {0}")
    @ValueSource(ints = {0, 8, 23, 25, 72, 255})
    void shouldFailTheQueueWithTermReqWhenHlenIsWrong(int hlen) throws Exception {
        ByteBuffer bad = rawHeader(0x05);
        bad.put(PduHeaderFlyweight.HLEN_OFFSET, (byte) hlen);
        expectMalformed(false, bad, FatalErrorStatus.INVALID_PDU_HEADER_FIELD, PduHeaderFlyweight.HLEN_OFFSET);
    }

    @ParameterizedTest(name = "bit flipped at byte {0}")
    @ValueSource(ints = {CapsuleRespPdu.CID_OFFSET, CapsuleRespPdu.HEADER_LENGTH, CapsuleRespPdu.HEADER_LENGTH + 3})
    void shouldFailTheQueueWithTermReqWhenAHeaderDigestIsWrong(int at) throws Exception {
        // The header digests are negotiated in open(); the PDU is built afterwards, with its digest, then damaged.
        open(true, false);
        CompletableFuture<TransportRequest> read = readReachingTarget(CID, ByteBuffer.allocate(LENGTH));
        ByteBuffer bad = target.capsuleResp(CID, 0);
        bad.put(at, (byte) (bad.get(at) ^ 0x10));
        target.send(ScriptedTarget.concat(bad, target.capsuleResp(CID, 0)));
        awaitFailure(FatalErrorStatus.HEADER_DIGEST_ERROR);
        expectTermReqThenEof(FatalErrorStatus.HEADER_DIGEST_ERROR, 0);
        assertFailedOnceAndNothingCompleted(read);
    }

    @ParameterizedTest(name = "CapsuleResp for CID {0}")
    @ValueSource(ints = {CID + 1, QUEUE_SIZE - 1, QUEUE_SIZE, 0xFFFF})
    void shouldFailTheQueueWithTermReqWhenACapsuleRespNamesNoCommand(int cid) throws Exception {
        open(false, false);
        CompletableFuture<TransportRequest> read = readReachingTarget(CID, ByteBuffer.allocate(LENGTH));
        target.send(ScriptedTarget.concat(target.capsuleResp(cid, 0), target.capsuleResp(CID, 0)));
        awaitFailure(FatalErrorStatus.INVALID_PDU_HEADER_FIELD);
        expectTermReqThenEof(FatalErrorStatus.INVALID_PDU_HEADER_FIELD, CapsuleRespPdu.CID_OFFSET);
        assertFailedOnceAndNothingCompleted(read);
    }

    @ParameterizedTest(name = "C2HData for CID {0}")
    @ValueSource(ints = {CID + 1, QUEUE_SIZE, 0xFFFF})
    void shouldFailTheQueueWithTermReqWhenC2hDataNamesNoCommand(int cid) throws Exception {
        open(false, false);
        CompletableFuture<TransportRequest> read = readReachingTarget(CID, ByteBuffer.allocate(LENGTH));
        target.send(ScriptedTarget.concat(target.c2hData(cid, new byte[LENGTH], true, false),
                target.capsuleResp(CID, 0)));
        awaitFailure(FatalErrorStatus.INVALID_PDU_HEADER_FIELD);
        expectTermReqThenEof(FatalErrorStatus.INVALID_PDU_HEADER_FIELD, C2hDataPdu.CCCID_OFFSET);
        assertFailedOnceAndNothingCompleted(read);
    }

    @Test
    void shouldFailTheQueueWithTermReqWhenAnR2tNamesNoCommand() throws Exception {
        open(false, false);
        CompletableFuture<TransportRequest> read = readReachingTarget(CID, ByteBuffer.allocate(LENGTH));
        target.send(ScriptedTarget.concat(target.r2t(CID + 1, 1, 0, LENGTH), target.capsuleResp(CID, 0)));
        awaitFailure(FatalErrorStatus.INVALID_PDU_HEADER_FIELD);
        expectTermReqThenEof(FatalErrorStatus.INVALID_PDU_HEADER_FIELD, R2tPdu.CCCID_OFFSET);
        assertFailedOnceAndNothingCompleted(read);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"HEADER_DIGEST_ERROR", "DATA_TRANSFER_LIMIT_EXCEEDED", "UNSUPPORTED_PARAMETER"})
    void shouldFailTheQueueWithTheTargetsFesWhenTheTargetSendsC2hTermReq(String status) throws Exception {
        FatalErrorStatus fes = FatalErrorStatus.valueOf(status);
        open(false, false);
        CompletableFuture<TransportRequest> read = readReachingTarget(CID, ByteBuffer.allocate(LENGTH));
        target.send(ScriptedTarget.concat(target.c2hTermReq(fes, 0), target.capsuleResp(CID, 0)));
        awaitFailure(fes);
        target.expectEof(); // a TermReq is never answered with one
        assertFailedOnceAndNothingCompleted(read);
    }
}
