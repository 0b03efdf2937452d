package dev.nvmeof.protocol;

import static dev.nvmeof.protocol.CommandHex.assertBytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class NvmCommandsTest {

    private final ByteBuffer buffer = CommandHex.buffer(64);
    private final SubmissionQueueEntryFlyweight sqe = new SubmissionQueueEntryFlyweight().wrap(buffer, 0);

    @Test
    void shouldSplitSlbaAndZeroBaseNlbWhenReading() {
        NvmCommands.read(sqe, 0x40, 1, 0x1_2345_6789L, 8, false);

        // DPTR is left zero for the caller
        assertBytes("02404000 01000000 00000000 00000000 00000000 00000000"
                + " 00000000 00000000 00000000 00000000"
                + " 89674523 01000000 07000000 00000000 00000000 00000000", buffer, 0);
        assertEquals(0x1_2345_6789L, NvmCommands.startingLba(sqe));
        assertEquals(8, NvmCommands.blocks(sqe));
        assertFalse(NvmCommands.isFua(sqe));
        assertEquals(NvmOpcode.READ, NvmOpcode.of(sqe.opcode()));
    }

    @Test
    void shouldSetFuaAndMaxNlbWhenWritingInCapsule() {
        NvmCommands.write(sqe, 0x41, 1, 0, 65536, true);
        sqe.sglInCapsule(0, 4096);

        assertBytes("01404100 01000000 00000000 00000000 00000000 00000000"
                + " 00000000 00000000 00100000 00000001"
                + " 00000000 00000000 ffff0040 00000000 00000000 00000000", buffer, 0);
        assertEquals(65536, NvmCommands.blocks(sqe));
        assertTrue(NvmCommands.isFua(sqe));
    }

    @Test
    void shouldTakeTransportDescriptorWhenWriteGoesByR2t() {
        NvmCommands.write(sqe, 7, 2, 0xFFFF_FFFF_FFFF_FFFEL, 1, false);
        sqe.sglTransportDataBlock(0x20000);

        assertBytes("01400700 02000000", buffer, 0);
        assertBytes("00000000 00000000 00000200 0000005a feffffff ffffffff 00000000", buffer, 24);
        assertEquals(0xFFFF_FFFF_FFFF_FFFEL, NvmCommands.startingLba(sqe));
    }

    @Test
    void shouldRejectBlockCountWhenOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> NvmCommands.read(sqe, 1, 1, 0, 0, false));
        assertThrows(IllegalArgumentException.class, () -> NvmCommands.write(sqe, 1, 1, 0, 65537, false));
        assertThrows(IllegalArgumentException.class, () -> NvmCommands.writeZeroes(sqe, 1, 1, 0, -1, false));
    }

    @Test
    void shouldWriteNullSglWhenFlushing() {
        NvmCommands.flush(sqe, 2, 1);

        assertBytes("00400200 01000000 00000000 00000000 00000000 00000000"
                + " 00000000 00000000 00000000 0000005a"
                + " 00000000 00000000 00000000 00000000 00000000 00000000", buffer, 0);
    }

    @Test
    void shouldSetDeacWhenWritingZeroesWithDeallocate() {
        NvmCommands.writeZeroes(sqe, 3, 1, 0x10, 256, true);

        assertBytes("08400300 01000000 00000000 00000000 00000000 00000000"
                + " 00000000 00000000 00000000 0000005a"
                + " 10000000 00000000 ff000002 00000000 00000000 00000000", buffer, 0);
        assertTrue(NvmCommands.isDeallocateZeroes(sqe));
        assertEquals(256, NvmCommands.blocks(sqe));
    }

    @Test
    void shouldWriteZeroBasedRangeCountWhenDeallocatingRanges() {
        NvmCommands.datasetManagement(sqe, 4, 1, 3, true);

        assertBytes("09400400 01000000", buffer, 0);
        assertBytes("02000000 04000000 00000000", buffer, 40);
        assertEquals(3, NvmCommands.ranges(sqe));
        assertTrue(NvmCommands.isDeallocateRanges(sqe));
    }

    @Test
    void shouldRejectRangeCountWhenAbove256() {
        NvmCommands.datasetManagement(sqe, 4, 1, 256, false);
        assertEquals(256, NvmCommands.ranges(sqe));
        assertFalse(NvmCommands.isDeallocateRanges(sqe));

        assertThrows(IllegalArgumentException.class, () -> NvmCommands.datasetManagement(sqe, 4, 1, 257, true));
        assertThrows(IllegalArgumentException.class, () -> NvmCommands.datasetManagement(sqe, 4, 1, 0, true));
    }

    @Test
    void shouldLayOutRangesBackToBackWhenWritingTwo() {
        ByteBuffer data = CommandHex.buffer(32);
        DsmRangeFlyweight range = new DsmRangeFlyweight();

        range.wrap(data, 0, 0).set(0, 0x1000, 8);
        range.wrap(data, 0, 1).set(0x0000_0100, 0x2_0000_0000L, 0xFFFF_FFFFL);

        // context attributes, NLB (a count, not 0's based), SLBA
        assertBytes("00000000 08000000 00100000 00000000"
                + " 00010000 ffffffff 00000000 02000000", data, 0);
        assertEquals(0xFFFF_FFFFL, range.blocks());
        assertEquals(0x2_0000_0000L, range.startingLba());
        assertEquals(0x100, range.contextAttributes());
        assertEquals(8, range.wrap(data, 0).blocks());
    }
}
