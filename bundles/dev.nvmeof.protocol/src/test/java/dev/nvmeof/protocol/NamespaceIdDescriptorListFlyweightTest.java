package dev.nvmeof.protocol;

import static dev.nvmeof.protocol.HandBytes.le;
import static dev.nvmeof.protocol.HandBytes.zeroed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class NamespaceIdDescriptorListFlyweightTest {
    private static final byte[] EUI64 = {0x00, 0x25, 0x38, 0x01, 0x02, 0x03, 0x04, 0x05};
    private static final byte[] NGUID = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    private static final UUID UUID_1 = UUID.fromString("0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9");

    /** EUI64 at 0, NGUID at 12, UUID at 32, CSI at 52, terminator at 57. */
    private static byte[] descriptors() {
        byte[] b = new byte[4096];
        b[0] = 1; b[1] = 8;                                          // NIDT EUI64, NIDL 8
        System.arraycopy(EUI64, 0, b, 4, 8);
        b[12] = 2; b[13] = 16;                                       // NIDT NGUID, NIDL 16
        System.arraycopy(NGUID, 0, b, 16, 16);
        b[32] = 3; b[33] = 16;                                       // NIDT UUID, NIDL 16
        byte[] uuid = {0x0a, 0x1b, 0x2c, 0x3d, 0x4e, 0x5f, 0x60, 0x71,
            (byte) 0x82, (byte) 0x93, (byte) 0xa4, (byte) 0xb5, (byte) 0xc6, (byte) 0xd7, (byte) 0xe8, (byte) 0xf9};
        System.arraycopy(uuid, 0, b, 36, 16);
        b[52] = 4; b[53] = 1;                                        // NIDT CSI, NIDL 1
        b[56] = 0;                                                   // CSI: NVM command set
        return b;
    }

    @Test
    void shouldIterateDescriptorsByPositionWhenListIsTerminated() {
        NamespaceIdDescriptorListFlyweight list = new NamespaceIdDescriptorListFlyweight().wrap(le(descriptors()), 0);

        int p = list.first();
        assertEquals(0, p);
        assertEquals(NamespaceIdDescriptor.NIDT_EUI64, list.nidt(p));
        byte[] nid = new byte[16];
        assertEquals(8, list.copyNid(p, nid));
        p = list.next(p);
        assertEquals(12, p);
        assertEquals(NamespaceIdDescriptor.NIDT_NGUID, list.nidt(p));
        p = list.next(p);
        assertEquals(32, p);
        p = list.next(p);
        assertEquals(52, p);
        assertEquals(NamespaceIdDescriptor.NIDT_CSI, list.nidt(p));
        assertEquals(-1, list.next(p));
        assertEquals(4, list.count());
    }

    @Test
    void shouldDecodeRecordsWhenPlacedAtSpecOffsets() {
        List<NamespaceIdDescriptor> records =
                new NamespaceIdDescriptorListFlyweight().wrap(le(descriptors()), 0).toRecords();

        assertEquals(List.of(NamespaceIdDescriptor.eui64(EUI64), NamespaceIdDescriptor.nguid(NGUID),
                NamespaceIdDescriptor.uuid(UUID_1), NamespaceIdDescriptor.csi(0)), records);
        assertEquals(UUID_1, records.get(2).toUuid());
    }

    @Test
    void shouldEncodeSameBytesWhenWrittenFromRecords() {
        ByteBuffer out = zeroed(4096);
        out.put(200, (byte) 0x55); // stale data must be cleared

        new NamespaceIdDescriptorListFlyweight().wrap(out, 0).write(List.of(NamespaceIdDescriptor.eui64(EUI64),
                NamespaceIdDescriptor.nguid(NGUID), NamespaceIdDescriptor.uuid(UUID_1), NamespaceIdDescriptor.csi(0)));

        assertArrayEquals(descriptors(), out.array());
    }

    @Test
    void shouldReturnNoDescriptorWhenListIsEmpty() {
        NamespaceIdDescriptorListFlyweight list = new NamespaceIdDescriptorListFlyweight().wrap(zeroed(4096), 0);

        assertEquals(-1, list.first());
        assertEquals(List.of(), list.toRecords());
    }

    @Test
    void shouldStopWhenNidlIsZero() {
        byte[] b = descriptors();
        b[13] = 0; // the NGUID descriptor now has NIDL 0: Linux treats that as the end
        assertEquals(1, new NamespaceIdDescriptorListFlyweight().wrap(le(b), 0).count());
    }

    @Test
    void shouldKeepUnknownTypeWhenLengthIsAnything() {
        byte[] b = new byte[4096];
        b[0] = 9; b[1] = 3; b[4] = 7; b[5] = 8; b[6] = 9;

        List<NamespaceIdDescriptor> records = new NamespaceIdDescriptorListFlyweight().wrap(le(b), 0).toRecords();

        assertEquals(List.of(new NamespaceIdDescriptor(9, new byte[] {7, 8, 9})), records);
    }

    @Test
    void shouldFailWhenDescriptorRunsPastEndOfList() {
        byte[] b = new byte[4096];
        for (int p = 0; p <= 15 * 259; p += 259) { // 16 unknown descriptors of 4 + 255 bytes; the last one at 3885
            b[p] = 9;
            b[p + 1] = (byte) 255;
        }

        NamespaceIdDescriptorListFlyweight list = new NamespaceIdDescriptorListFlyweight().wrap(le(b), 0);

        assertThrows(IllegalStateException.class, list::toRecords);
    }

    @Test
    void shouldFailWhenKnownTypeHasWrongLength() {
        byte[] b = new byte[4096];
        b[0] = 1; b[1] = 4; // EUI64 must be 8 bytes

        NamespaceIdDescriptorListFlyweight list = new NamespaceIdDescriptorListFlyweight().wrap(le(b), 0);

        assertThrows(IllegalStateException.class, list::toRecords);
        assertThrows(IllegalArgumentException.class, () -> NamespaceIdDescriptor.eui64(new byte[4]));
    }

    @Test
    void shouldRejectWriteWhenDescriptorsExceedList() {
        List<NamespaceIdDescriptor> many = java.util.Collections.nCopies(205, NamespaceIdDescriptor.nguid(NGUID));

        assertThrows(IllegalArgumentException.class,
                () -> new NamespaceIdDescriptorListFlyweight().wrap(zeroed(4096), 0).write(many));
    }
}
