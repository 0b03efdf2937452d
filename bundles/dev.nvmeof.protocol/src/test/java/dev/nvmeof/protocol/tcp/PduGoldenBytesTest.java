package dev.nvmeof.protocol.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Every PDU against bytes written out by hand from the TCP Transport Specification's layouts (and, where noted,
 * captured from the Linux kernel host): the encoder must produce them byte for byte and the decoder must read them.
 */
class PduGoldenBytesTest {

    private final PduEncoder encoder = new PduEncoder();
    private final ByteBuffer out = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);

    private String encoded() {
        return Hex.of(out, 0, out.position());
    }

    private static String hex(String spaced) {
        return Hex.of(Hex.bytes(spaced));
    }

    private static List<String> decodeAsController(String hex, int[] negotiate) throws FatalPduException {
        RecordingHandler handler = new RecordingHandler();
        handler.negotiate = negotiate;
        handler.decoder = PduDecoder.forController(handler);
        handler.decoder.decode(Hex.buffer(hex));
        return handler.events;
    }

    @Test
    void shouldEncodeTheLinuxKernelHostsIcReq() throws FatalPduException {
        String linux = "00 00 80 00 80 00 00 00 zeros(120)";
        encoder.icReq(out, 0, false, false, 0);
        assertEquals(hex(linux), encoded());
        assertEquals(List.of("ICReq pfv=0 hpda=0 dgst=0 maxr2t=0"), decodeAsController(linux, null));
    }

    @Test
    void shouldEncodeIcReqWithDigestsAlignmentAndMaxR2t() {
        encoder.icReq(out, 2, true, true, 3);
        assertEquals(hex("00 00 80 00 80 00 00 00 | 00 00 | 02 | 03 | 03 00 00 00 | zeros(112)"), encoded());
    }

    @Test
    void shouldEncodeIcRespAsTheLinuxTargetAnswers() throws FatalPduException {
        // pfv 0, cpda 0, both digests granted, maxh2cdata 4194304 (0x00400000)
        String golden = "01 00 80 00 80 00 00 00 | 00 00 | 00 | 03 | 00 00 40 00 | zeros(112)";
        encoder.icResp(out, 0, true, true, 4194304);
        assertEquals(hex(golden), encoded());
        RecordingHandler handler = new RecordingHandler();
        PduDecoder.forHost(handler).decode(Hex.buffer(golden));
        assertEquals(List.of("ICResp pfv=0 cpda=0 dgst=3 maxh2cdata=4194304"), handler.events);
    }

    @Test
    void shouldEncodeTheLinuxConnectCapsuleHeader() throws FatalPduException {
        String sqe = "7f400000 01000000 00000000 00000000 00000000 00000000 00000000 00000000"
                + " 00040000 00000001 00000000 1f000000 88130000 00000000 00000000 00000000";
        encoder.capsuleCmd(out, Hex.buffer(sqe), 0, 1024);
        // type 4, HLEN 72, PDO 72, PLEN 1096: exactly what the kernel host sent
        assertEquals(hex("04 00 48 48 48 04 00 00 " + sqe), encoded());

        String stream = "00 00 80 00 80 00 00 00 zeros(120) 04 00 48 48 48 04 00 00 " + sqe + " zeros(1024)";
        assertEquals(List.of("ICReq pfv=0 hpda=0 dgst=0 maxr2t=0", "CapsuleCmd opcode=127 cid=0 data=1024",
                "CapsuleCmd end cid=0 ok=true"), decodeAsController(stream, null));
    }

    @Test
    void shouldEncodeCapsuleCmdWithDigestsAndPadding() {
        encoder.negotiated(true, true, 3); // controller asked CPDA 3: data aligned to 16 bytes
        ByteBuffer sqe = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        sqe.put(0, (byte) 0x01).putShort(2, (short) 7);
        encoder.capsuleCmd(out, sqe, 0, 512);
        byte[] header = Hex.bytes("04 03 48 50 54 02 00 00 01 00 07 00 zeros(60)");
        // HLEN 72 + HDGST 4 = 76, padded to PDO 80 (0x50); PLEN 80 + 512 + 4 = 596 (0x254)
        assertEquals(hex(Hex.of(header) + " " + Hex.crc(header, 0, 72) + " 00 00 00 00"), encoded());
    }

    @Test
    void shouldEncodeCapsuleRespWithAndWithoutHeaderDigest() {
        ByteBuffer cqe = Hex.buffer("01 00 00 00 00 00 00 00 05 00 01 00 2a 00 04 00");
        encoder.capsuleResp(out, cqe, 0);
        assertEquals(hex("05 00 18 00 18 00 00 00 01 00 00 00 00 00 00 00 05 00 01 00 2a 00 04 00"), encoded());

        out.clear();
        encoder.negotiated(true, true, 0);
        encoder.capsuleResp(out, cqe, 0);
        byte[] header = Hex.bytes("05 01 18 00 1c 00 00 00 01 00 00 00 00 00 00 00 05 00 01 00 2a 00 04 00");
        assertEquals(hex(Hex.of(header) + " " + Hex.crc(header, 0, 24)), encoded());
    }

    @Test
    void shouldEncodeR2t() {
        encoder.r2t(out, 0x12, 0x34, 0x1000, 0x10000);
        assertEquals(hex("09 00 18 00 18 00 00 00 | 12 00 | 34 00 | 00 10 00 00 | 00 00 01 00 | 00 00 00 00"),
                encoded());
    }

    @Test
    void shouldEncodeH2cDataAsLastPdu() {
        encoder.h2cData(out, 3, 9, 8192, 8, true);
        // LAST_PDU, PDO 24, PLEN 32
        assertEquals(hex("06 04 18 18 20 00 00 00 | 03 00 | 09 00 | 00 20 00 00 | 08 00 00 00 | 00 00 00 00"),
                encoded());
    }

    @Test
    void shouldEncodeC2hDataWithDigestsAndSuccess() {
        encoder.negotiated(true, true, 0);
        encoder.c2hData(out, 5, 0, 4096, true, true);
        // HDGSTF|DDGSTF|LAST_PDU|SUCCESS = 0x0f, PDO 28, PLEN 28 + 4096 + 4 = 4128 (0x1020)
        byte[] header = Hex.bytes("07 0f 18 1c 20 10 00 00 | 05 00 | 00 00 | 00 00 00 00 | 00 10 00 00 | 00 00 00 00");
        assertEquals(hex(Hex.of(header) + " " + Hex.crc(header, 0, 24)), encoded());
    }

    @Test
    void shouldPadC2hDataToTheHostsAlignment() {
        encoder.negotiated(false, false, 7); // HPDA 7: 32-byte alignment
        encoder.c2hData(out, 1, 0, 100, true, false);
        assertEquals(hex("07 04 18 20 84 00 00 00 | 01 00 00 00 | 00 00 00 00 | 64 00 00 00 | 00 00 00 00 | zeros(8)"),
                encoded());
    }

    @Test
    void shouldEncodeTermReqQuotingTheHeaderInError() {
        ByteBuffer quoted = Hex.buffer("ff 00 18 00 18 00 00 00");
        encoder.termReq(out, false, FatalErrorStatus.INVALID_PDU_HEADER_FIELD, 0, quoted);
        assertEquals(hex("03 00 18 00 20 00 00 00 | 01 00 | 00 00 00 00 | zeros(10) | ff 00 18 00 18 00 00 00"),
                encoded());
        assertEquals(0, quoted.position());
    }

    @Test
    void shouldComputeDataDigestAsCrc32c() {
        // The CRC-32C check value: "123456789" -> 0xE3069283, sent little-endian.
        encoder.negotiated(false, true, 0);
        ByteBuffer data = ByteBuffer.wrap("123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        encoder.dataDigest(out, data);
        assertEquals("83 92 06 e3", encoded());
        assertEquals(0, data.position());
    }

    @Test
    void shouldDecodeEveryHostBoundPduFromGoldenBytes() throws FatalPduException {
        RecordingHandler handler = new RecordingHandler();
        handler.buffer(5, 16);
        PduDecoder decoder = PduDecoder.forHost(handler);
        decoder.decode(Hex.buffer("01 00 80 00 80 00 00 00 | 00 00 | 00 | 00 | 00 00 01 00 | zeros(112)"
                + " 09 00 18 00 18 00 00 00 | 05 00 | 01 00 | 00 00 00 00 | 00 10 00 00 | 00 00 00 00"
                + " 07 04 18 18 20 00 00 00 | 05 00 00 00 | 08 00 00 00 | 08 00 00 00 | 00 00 00 00 | 01 02 03 04 05 06 07 08"
                + " 05 00 18 00 18 00 00 00 | 00 00 00 00 00 00 00 00 01 00 01 00 05 00 00 00"
                + " 03 00 18 00 1a 00 00 00 | 02 00 | 00 00 00 00 | zeros(10) | aa bb"));
        assertEquals(List.of("ICResp pfv=0 cpda=0 dgst=0 maxh2cdata=65536",
                "R2T cccid=5 ttag=1 r2to=0 r2tl=4096",
                "C2HData cccid=5 datao=8 datal=8 flags=4", "C2HData end cccid=5 ok=true",
                "CapsuleResp cid=5 status=0 cqe=00 00 00 00 00 00 00 00 01 00 01 00 05 00 00 00",
                "TermReq type=3 fes=PDU_SEQUENCE_ERROR fei=0 quoted=aa bb"), handler.events);
        assertEquals(hex("00 00 00 00 00 00 00 00 01 02 03 04 05 06 07 08"),
                Hex.of(handler.buffers.get(5), 0, 16));
        assertEquals(PduDecoder.State.TERMINATED, decoder.state());
    }

    @Test
    void shouldDecodeH2cDataIntoTheBufferItsTtagNames() throws FatalPduException {
        RecordingHandler handler = new RecordingHandler();
        handler.buffer(0x20000 + 9, 16);
        PduDecoder decoder = PduDecoder.forController(handler);
        decoder.decode(Hex.buffer("00 00 80 00 80 00 00 00 zeros(120)"
                + " 06 04 18 18 20 00 00 00 | 03 00 | 09 00 | 04 00 00 00 | 08 00 00 00 | 00 00 00 00 | 11 22 33 44 55 66 77 88"));
        assertEquals("00 00 00 00 11 22 33 44 55 66 77 88 00 00 00 00",
                Hex.of(handler.buffers.get(0x20000 + 9), 0, 16));
        assertEquals("H2CData end ttag=9 ok=true", handler.events.get(handler.events.size() - 1));
    }
}
