package dev.nvmeof.protocol;

import static dev.nvmeof.protocol.CommandHex.assertBytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class QueueEntryFlyweightTest {

    private final SubmissionQueueEntryFlyweight sqe = new SubmissionQueueEntryFlyweight();
    private final CompletionQueueEntryFlyweight cqe = new CompletionQueueEntryFlyweight();

    @Test
    void shouldPlaceEveryFieldAtSpecOffsetWhenSettingAll() {
        ByteBuffer buffer = CommandHex.buffer(80);
        sqe.wrap(buffer, 16).clear()
                .opcode(0x81).fuse(SubmissionQueueEntryFlyweight.FUSE_FIRST)
                .psdt(SubmissionQueueEntryFlyweight.PSDT_SGL_METADATA_SEGMENT).cid(0xBEEF)
                .nsid(0x0102_0304).cdw2(0x1111_1111).cdw3(0x2222_2222).mptr(0x0807_0605_0403_0201L)
                .cdw10(0xA0A0_A0A0).cdw11(0xB1).cdw12(0xC2).cdw13(0xD3).cdw14(0xE4).cdw15(0xF5);
        SglDescriptor.write(buffer, sqe.dptrIndex(), 0x1122_3344_5566_7788L, 0x99AA_BBCC, 0x5A);

        // CDW0: OPC 81h, flags = PSDT 10b << 6 | FUSE 01b = 81h, CID BEEFh
        assertBytes("81 81 efbe 04030201 11111111 22222222 0102030405060708"
                + " 8877665544332211 ccbbaa99 000000 5a"
                + " a0a0a0a0 b1000000 c2000000 d3000000 e4000000 f5000000", buffer, 16);
        assertBytes("eeeeeeee eeeeeeee eeeeeeee eeeeeeee", buffer, 0);
        assertEquals(0x81, sqe.opcode());
        assertEquals(SubmissionQueueEntryFlyweight.FUSE_FIRST, sqe.fuse());
        assertEquals(SubmissionQueueEntryFlyweight.PSDT_SGL_METADATA_SEGMENT, sqe.psdt());
        assertEquals(0xBEEF, sqe.cid());
        assertEquals(0x0102_0304, sqe.nsid());
        assertEquals(0x04, sqe.fctype());
        assertEquals(0x1111_1111, sqe.cdw2());
        assertEquals(0x2222_2222, sqe.cdw3());
        assertEquals(0x0807_0605_0403_0201L, sqe.mptr());
        assertEquals(0xA0A0_A0A0, sqe.cdw10());
        assertEquals(0xB1, sqe.cdw(11));
        assertEquals(0xC2, sqe.cdw12());
        assertEquals(0xD3, sqe.cdw13());
        assertEquals(0xE4, sqe.cdw14());
        assertEquals(0xF5, sqe.cdw(15));
    }

    @Test
    void shouldKeepFuseWhenChangingPsdt() {
        sqe.wrap(CommandHex.buffer(64), 0).clear().fuse(SubmissionQueueEntryFlyweight.FUSE_SECOND).psdt(1);

        assertEquals(0x42, sqe.flags());
        sqe.psdt(0);
        assertEquals(SubmissionQueueEntryFlyweight.FUSE_SECOND, sqe.fuse());
    }

    @Test
    void shouldZeroAll64BytesWhenCleared() {
        ByteBuffer buffer = CommandHex.buffer(130);
        sqe.wrap(buffer, 1).clear();

        for (int i = 1; i < 65; i++) {
            assertEquals(0, buffer.get(i), "byte " + i);
        }
        assertEquals((byte) 0xEE, buffer.get(0));
        assertEquals((byte) 0xEE, buffer.get(65));
    }

    @Test
    void shouldRejectBufferWhenBigEndianOrShort() {
        ByteBuffer bigEndian = ByteBuffer.allocate(64).order(ByteOrder.BIG_ENDIAN);

        assertThrows(IllegalArgumentException.class, () -> sqe.wrap(bigEndian, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> sqe.wrap(CommandHex.buffer(64), 1));
        assertThrows(IndexOutOfBoundsException.class, () -> cqe.wrap(CommandHex.buffer(15), 0));
        assertThrows(IndexOutOfBoundsException.class, () -> cqe.wrap(CommandHex.buffer(16), -1));
        assertThrows(IndexOutOfBoundsException.class, () -> sqe.wrap(CommandHex.buffer(64), 0).cdw(9));
    }

    @Test
    void shouldReturnSameFlyweightWhenWrapping() {
        assertSame(sqe, sqe.wrap(CommandHex.buffer(64), 0));
        assertSame(cqe, cqe.wrap(CommandHex.buffer(16), 0));
    }

    @Test
    void shouldDecodeFieldsWhenReadingSuccessfulConnectResponse() {
        // DW0 = CNTLID 1, DW1 0, SQHD 1, SQID 0, CID 0, status: phase 1, success
        cqe.wrap(CommandHex.wrap("01000000 00000000 0100 0000 0000 0100"), 0);

        assertEquals(1, ConnectResponse.cntlid(cqe.dw0()));
        assertEquals(0, cqe.dw1());
        assertEquals(1, cqe.sqhd());
        assertEquals(0, cqe.sqid());
        assertEquals(0, cqe.cid());
        assertTrue(cqe.phase());
        assertTrue(cqe.isSuccess());
        assertSame(NvmeStatus.SUCCESS, cqe.status());
    }

    @Test
    void shouldDecodeStatusBitsWhenReadingInvalidHostWithDnr() {
        // SC 84h << 1 = 108h, SCT 1 << 9 = 200h, DNR 8000h, phase 0: 8308h
        cqe.wrap(CommandHex.wrap("00000000 00000000 0000 0000 0300 0883"), 0);

        assertEquals(3, cqe.cid());
        assertFalse(cqe.phase());
        assertEquals(0x84, cqe.statusCode());
        assertEquals(1, cqe.statusCodeType());
        assertTrue(cqe.dnr());
        assertFalse(cqe.more());
        assertEquals(0, cqe.crd());
        assertTrue(cqe.status().is(CommandSpecificStatus.CONNECT_INVALID_HOST));
    }

    @Test
    void shouldWriteAllFieldsWhenBuildingCompletion() {
        ByteBuffer buffer = CommandHex.buffer(20);
        cqe.wrap(buffer, 4).clear().dw0(0x0002_0001).dw1(-1).sqhd(0x1234).sqid(2).cid(0xABCD).phase(true)
                .status(NvmeStatus.generic(GenericStatus.INVALID_FIELD, true));

        // status: DNR 8000h | SC 02h << 1 | phase 1 = 8005h
        assertBytes("eeeeeeee 01000200 ffffffff 3412 0200 cdab 0580", buffer, 0);
        cqe.phase(false);
        assertEquals(0x8004, cqe.statusWord());
    }

    @Test
    void shouldCarryEightBytePropertyWhenResultSpansDw0AndDw1() {
        ByteBuffer buffer = CommandHex.buffer(16);
        cqe.wrap(buffer, 0).clear().result64(0x0000_0820_0F00_03FFL);

        assertBytes("ff03000f 20080000", buffer, 0);
        assertEquals(0x0F00_03FF, cqe.dw0());
        assertEquals(0x0000_0820, cqe.dw1());
    }
}
