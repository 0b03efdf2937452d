package dev.nvmeof.protocol.tcp;

import static dev.nvmeof.protocol.tcp.FatalErrorStatus.DATA_TRANSFER_LIMIT_EXCEEDED;
import static dev.nvmeof.protocol.tcp.FatalErrorStatus.DATA_TRANSFER_OUT_OF_RANGE;
import static dev.nvmeof.protocol.tcp.FatalErrorStatus.HEADER_DIGEST_ERROR;
import static dev.nvmeof.protocol.tcp.FatalErrorStatus.INVALID_PDU_HEADER_FIELD;
import static dev.nvmeof.protocol.tcp.FatalErrorStatus.PDU_SEQUENCE_ERROR;
import static dev.nvmeof.protocol.tcp.FatalErrorStatus.UNSUPPORTED_PARAMETER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import org.junit.jupiter.api.Test;

/** One test per class of malformed input: the FES and FEI a TermReq would carry, and the decoder stops. */
class PduDecoderMalformedInputTest {

    private static final String IC_REQ = "00 00 80 00 80 00 00 00 zeros(120) ";
    private static final String IC_RESP = "01 00 80 00 80 00 00 00 00 00 00 00 00 00 01 00 zeros(112) ";

    private RecordingHandler handler;

    private FatalPduException controllerRejects(String hex) {
        return controllerRejects(hex, null);
    }

    private FatalPduException controllerRejects(String hex, int[] negotiate) {
        handler = new RecordingHandler();
        handler.negotiate = negotiate;
        handler.decoder = PduDecoder.forController(handler);
        handler.buffer(0x20000 + 1, 64);
        return rejects(hex);
    }

    private FatalPduException hostRejects(String hex, int[] negotiate) {
        handler = new RecordingHandler();
        handler.negotiate = negotiate;
        handler.decoder = PduDecoder.forHost(handler);
        handler.buffer(1, 64);
        return rejects(hex);
    }

    private FatalPduException rejects(String hex) {
        FatalPduException e = assertThrows(FatalPduException.class, () -> handler.decoder.decode(Hex.buffer(hex)));
        assertEquals(PduDecoder.State.ERROR, handler.decoder.state());
        return e;
    }

    private static void assertError(FatalPduException e, FatalErrorStatus fes, int fei) {
        assertEquals(fes, e.status(), e.getMessage());
        assertEquals(fei, e.errorInformation(), e.getMessage());
    }

    @Test
    void shouldRejectAnUnknownPduType() {
        assertError(controllerRejects(IC_REQ + "08 00 18 00 18 00 00 00 zeros(16)"), INVALID_PDU_HEADER_FIELD, 0);
    }

    @Test
    void shouldRejectAPduOfTheWrongDirection() {
        assertError(controllerRejects(IC_REQ + "05 00 18 00 18 00 00 00 zeros(16)"), INVALID_PDU_HEADER_FIELD, 0);
        assertError(hostRejects("00 00 80 00 80 00 00 00 zeros(120)", null), INVALID_PDU_HEADER_FIELD, 0);
    }

    @Test
    void shouldRejectACommandBeforeTheIcReq() {
        assertError(controllerRejects("04 00 48 00 48 00 00 00 zeros(64)"), PDU_SEQUENCE_ERROR, 0);
    }

    @Test
    void shouldRejectASecondIcReq() {
        assertError(controllerRejects(IC_REQ + IC_REQ), PDU_SEQUENCE_ERROR, 0);
        assertEquals(1, handler.events.size());
    }

    @Test
    void shouldRejectFlagsNotValidForTheType() {
        // LAST_PDU on a CapsuleCmd
        assertError(controllerRejects(IC_REQ + "04 04 48 00 48 00 00 00 zeros(64)"), INVALID_PDU_HEADER_FIELD, 1);
        // a reserved flag bit on an ICReq
        assertError(controllerRejects("00 10 80 00 80 00 00 00 zeros(120)"), INVALID_PDU_HEADER_FIELD, 1);
    }

    @Test
    void shouldRejectAHeaderDigestFlagThatWasNotNegotiated() {
        assertError(controllerRejects(IC_REQ + "04 01 48 00 4c 00 00 00 zeros(68)"), INVALID_PDU_HEADER_FIELD, 1);
    }

    @Test
    void shouldRejectANegotiatedHeaderDigestThatIsMissing() {
        assertError(controllerRejects(IC_REQ + "04 00 48 00 48 00 00 00 zeros(64)", new int[] {1, 0, 0}),
                INVALID_PDU_HEADER_FIELD, 1);
    }

    @Test
    void shouldRejectADataDigestOnAPduThatCarriesNone() {
        assertError(hostRejects(IC_RESP + "05 02 18 00 18 00 00 00 zeros(16)", new int[] {0, 1, 0}),
                INVALID_PDU_HEADER_FIELD, 1);
    }

    @Test
    void shouldRejectANegotiatedDataDigestMissingOnData() {
        assertError(controllerRejects(IC_REQ + "04 00 48 48 4c 00 00 00 zeros(64) 01 02 03 04", new int[] {0, 1, 0}),
                INVALID_PDU_HEADER_FIELD, 1);
    }

    @Test
    void shouldRejectSuccessWithoutLastPdu() {
        assertError(hostRejects(IC_RESP + "07 08 18 18 1c 00 00 00 01 00 00 00 00 00 00 00 04 00 00 00 zeros(4) zeros(4)",
                null), INVALID_PDU_HEADER_FIELD, 1);
    }

    @Test
    void shouldRejectAWrongHeaderLength() {
        assertError(controllerRejects(IC_REQ + "04 00 40 00 48 00 00 00 zeros(64)"), INVALID_PDU_HEADER_FIELD, 2);
        assertError(controllerRejects("00 00 7f 00 80 00 00 00 zeros(120)"), INVALID_PDU_HEADER_FIELD, 2);
    }

    @Test
    void shouldRejectAPduDataOffsetInsideTheHeader() {
        assertError(controllerRejects(IC_REQ + "04 00 48 40 4c 00 00 00 zeros(64) 01 02 03 04"),
                INVALID_PDU_HEADER_FIELD, 3);
    }

    @Test
    void shouldRejectAPduDataOffsetNotAlignedToTheNegotiatedPda() {
        // CPDA 1: 8-byte alignment; PDO 76 (72 + 4) is not a multiple of 8
        assertError(controllerRejects(IC_REQ + "04 00 48 4c 50 00 00 00 zeros(64) zeros(8)", new int[] {0, 0, 1}),
                INVALID_PDU_HEADER_FIELD, 3);
    }

    @Test
    void shouldRejectAPduDataOffsetOnAPduWithoutData() {
        assertError(hostRejects(IC_RESP + "05 00 18 18 18 00 00 00 zeros(16)", null), INVALID_PDU_HEADER_FIELD, 3);
    }

    @Test
    void shouldRejectAPduLengthBelowTheHeader() {
        assertError(hostRejects(IC_RESP + "05 00 18 00 10 00 00 00 zeros(16)", null), INVALID_PDU_HEADER_FIELD, 4);
    }

    @Test
    void shouldRejectAResponseCapsuleThatCarriesData() {
        assertError(hostRejects(IC_RESP + "05 00 18 00 1c 00 00 00 zeros(20)", null), INVALID_PDU_HEADER_FIELD, 4);
    }

    @Test
    void shouldRejectInCapsuleDataBeyondTheAdminQueueLimit() {
        // 8 KiB + 4 bytes on the admin queue: PLEN = 72 + 8196 = 8268 (0x204c)
        assertError(controllerRejects(IC_REQ + "04 00 48 48 4c 20 00 00 zeros(64)"), DATA_TRANSFER_LIMIT_EXCEEDED, 0);
    }

    @Test
    void shouldRejectInCapsuleDataBeyondTheIoQueueLimit() {
        handler = new RecordingHandler();
        handler.decoder = PduDecoder.forController(handler);
        handler.decoder.limits(PduDecoder.inCapsuleDataLimit(1, 4), 65536); // IOCCSZ 4: 0 bytes in-capsule
        assertEquals(0, PduDecoder.inCapsuleDataLimit(1, 4));
        assertEquals(16320, PduDecoder.inCapsuleDataLimit(1, 1024));
        assertError(rejects(IC_REQ + "04 00 48 48 4c 00 00 00 zeros(64) 01 02 03 04"), DATA_TRANSFER_LIMIT_EXCEEDED, 0);
    }

    @Test
    void shouldRejectH2cDataBeyondMaxH2cData() {
        handler = new RecordingHandler();
        handler.decoder = PduDecoder.forController(handler);
        handler.decoder.limits(8192, 4096);
        // DATAL 4100, PLEN 24 + 4100 = 4124 (0x101c)
        assertError(rejects(IC_REQ + "06 04 18 18 1c 10 00 00 01 00 01 00 00 00 00 00 04 10 00 00 zeros(4)"),
                DATA_TRANSFER_LIMIT_EXCEEDED, 0);
    }

    @Test
    void shouldRejectC2hDataBeyondTheCommandsLength() {
        // the command (CID 1) has 64 bytes; DATAO 60 + DATAL 8 runs past them
        assertError(hostRejects(IC_RESP + "07 04 18 18 20 00 00 00 01 00 00 00 3c 00 00 00 08 00 00 00 zeros(4) zeros(8)",
                null), DATA_TRANSFER_OUT_OF_RANGE, 0);
    }

    @Test
    void shouldRejectC2hDataForAnUnknownCommand() {
        assertError(hostRejects(IC_RESP + "07 04 18 18 20 00 00 00 09 00 00 00 00 00 00 00 08 00 00 00 zeros(4) zeros(8)",
                null), INVALID_PDU_HEADER_FIELD, 8);
    }

    @Test
    void shouldRejectH2cDataForAnUnknownTransferTag() {
        assertError(controllerRejects(IC_REQ + "06 04 18 18 20 00 00 00 01 00 05 00 00 00 00 00 08 00 00 00 zeros(4) zeros(8)"),
                INVALID_PDU_HEADER_FIELD, 10);
    }

    @Test
    void shouldRejectADataLengthThatDisagreesWithThePduLength() {
        assertError(controllerRejects(IC_REQ + "06 04 18 18 20 00 00 00 01 00 01 00 00 00 00 00 09 00 00 00 zeros(4) zeros(8)"),
                INVALID_PDU_HEADER_FIELD, 16);
    }

    @Test
    void shouldRejectAnR2tForNoData() {
        assertError(hostRejects(IC_RESP + "09 00 18 00 18 00 00 00 01 00 01 00 00 00 00 00 00 00 00 00 zeros(4)", null),
                INVALID_PDU_HEADER_FIELD, 16);
    }

    @Test
    void shouldRejectABadHeaderDigest() {
        byte[] pdu = Hex.bytes("05 01 18 00 1c 00 00 00 zeros(16)");
        String digest = Hex.crc(pdu, 0, 24);
        // the right digest passes; a flipped bit does not
        hostRejectsNothing(IC_RESP + Hex.of(pdu) + " " + digest, new int[] {1, 0, 0});
        String bad = digest.substring(0, digest.length() - 2) + "ff";
        assertError(hostRejects(IC_RESP + Hex.of(pdu) + " " + bad, new int[] {1, 0, 0}), HEADER_DIGEST_ERROR, 0);
    }

    @Test
    void shouldRejectAnUnsupportedIcReqVersion() {
        assertError(controllerRejects("00 00 80 00 80 00 00 00 01 00 zeros(118)"), UNSUPPORTED_PARAMETER, 8);
    }

    @Test
    void shouldRejectAnIcRespWithATooSmallMaxH2cData() {
        assertError(hostRejects("01 00 80 00 80 00 00 00 00 00 00 00 00 08 00 00 zeros(112)", null),
                UNSUPPORTED_PARAMETER, 12);
    }

    @Test
    void shouldCloseWithoutATermReqOnAnOversizedTermReq() {
        FatalPduException e = controllerRejects(IC_REQ + "02 00 18 00 99 00 00 00 zeros(16)");
        assertFalse(e.shouldSendTermReq());
    }

    @Test
    void shouldReportADataDigestMismatchForThatPduOnly() throws FatalPduException {
        byte[] stream = new StreamBuilder().icResp(0, false, true, 8192).negotiated(false, true, 0)
                .c2hData(1, 0, StreamBuilder.pattern(16, 1), true, false).capsuleResp(1, 0).bytes();
        stream[128 + 24 + 16] ^= 0x01; // first byte of the data digest
        handler = new RecordingHandler();
        handler.negotiate = new int[] {0, 1, 0};
        handler.decoder = PduDecoder.forHost(handler);
        handler.buffer(1, 64);
        handler.decoder.decode(ByteBuffer.wrap(stream));
        assertEquals(List.of("ICResp pfv=0 cpda=0 dgst=2 maxh2cdata=8192", "C2HData cccid=1 datao=0 datal=16 flags=6",
                "C2HData end cccid=1 ok=false",
                "CapsuleResp cid=1 status=0 cqe=00 00 00 00 00 00 00 00 00 00 00 00 01 00 00 00"), handler.events);
    }

    @Test
    void shouldDiscardEverythingAfterAFatalError() {
        controllerRejects(IC_REQ + "08 00 18 00 18 00 00 00 zeros(16)");
        ByteBuffer more = Hex.buffer(IC_REQ);
        try {
            assertEquals(0, handler.decoder.decode(more));
        } catch (FatalPduException e) {
            throw new AssertionError("a stopped decoder reports nothing new", e);
        }
        assertEquals(more.limit(), more.position());
        assertEquals(1, handler.events.size());
    }

    @Test
    void shouldQuoteTheHeaderInErrorForTheTermReq() {
        controllerRejects(IC_REQ + "04 00 40 00 48 00 00 00 zeros(64)");
        ByteBuffer quoted = ByteBuffer.allocate(128).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(8, handler.decoder.copyHeaderInError(quoted));
        assertEquals("04 00 40 00 48 00 00 00", Hex.of(quoted, 0, 8));
    }

    private void hostRejectsNothing(String hex, int[] negotiate) {
        handler = new RecordingHandler();
        handler.negotiate = negotiate;
        handler.decoder = PduDecoder.forHost(handler);
        try {
            assertEquals(2, handler.decoder.decode(Hex.buffer(hex)));
        } catch (FatalPduException e) {
            throw new AssertionError(e);
        }
    }
}
