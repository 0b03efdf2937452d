package dev.nvmeof.protocol;

import static dev.nvmeof.protocol.CommandHex.assertBytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class SglDescriptorTest {

    private final ByteBuffer buffer = CommandHex.buffer(24);

    @Test
    void shouldWriteLinuxNullDescriptorWhenCommandHasNoData() {
        SglDescriptor.writeNull(buffer, 4);

        // address 0, length 0, 3 reserved, identifier 5Ah (transport data block, subtype Ah)
        assertBytes("eeeeeeee 00000000 00000000 00000000 0000005a eeeeeeee", buffer, 0);
        assertTrue(SglDescriptor.isTransportDataBlock(buffer, 4));
        assertEquals(SglDescriptor.TYPE_TRANSPORT_DATA_BLOCK, SglDescriptor.type(buffer, 4));
        assertEquals(SglDescriptor.SUBTYPE_TRANSPORT_SPECIFIC, SglDescriptor.subtype(buffer, 4));
    }

    @Test
    void shouldCarryLengthWhenTransportMovesData() {
        SglDescriptor.writeTransportDataBlock(buffer, 0, 0x0001_0000);

        assertBytes("00000000 00000000 00000100 0000005a", buffer, 0);
        assertEquals(0x1_0000, SglDescriptor.length(buffer, 0));
        assertEquals(0, SglDescriptor.address(buffer, 0));
    }

    @Test
    void shouldWriteOffsetDescriptorWhenDataIsInCapsule() {
        SglDescriptor.writeInCapsule(buffer, 8, 0x40, 512);

        // address = offset in capsule 40h, length 200h, identifier 01h (data block, offset)
        assertBytes("40000000 00000000 00020000 00000001", buffer, 8);
        assertTrue(SglDescriptor.isInCapsule(buffer, 8));
        assertFalse(SglDescriptor.isTransportDataBlock(buffer, 8));
        assertEquals(0x40, SglDescriptor.address(buffer, 8));
        assertEquals(512, SglDescriptor.length(buffer, 8));
        assertEquals(SglDescriptor.TYPE_DATA_BLOCK, SglDescriptor.type(buffer, 8));
        assertEquals(SglDescriptor.SUBTYPE_OFFSET, SglDescriptor.subtype(buffer, 8));
    }

    @Test
    void shouldReadLengthUnsignedWhenTopBitSet() {
        SglDescriptor.writeTransportDataBlock(buffer, 0, 0xFFFF_FFFC);

        assertEquals(0xFFFF_FFFCL, SglDescriptor.length(buffer, 0));
    }

    @Test
    void shouldRejectBufferWhenBigEndian() {
        ByteBuffer bigEndian = ByteBuffer.allocate(16).order(ByteOrder.BIG_ENDIAN);

        assertThrows(IllegalArgumentException.class, () -> SglDescriptor.writeNull(bigEndian, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> SglDescriptor.writeNull(buffer, 9));
    }
}
