package dev.nvmeof.protocol;

import static dev.nvmeof.protocol.HandBytes.le;
import static dev.nvmeof.protocol.HandBytes.le16;
import static dev.nvmeof.protocol.HandBytes.le32;
import static dev.nvmeof.protocol.HandBytes.le64;
import static dev.nvmeof.protocol.HandBytes.zeroed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdentifyNamespaceFlyweightTest {
    private static final byte[] NGUID = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    private static final byte[] EUI64 = {(byte) 0xAC, (byte) 0xDE, 0x48, 0, 0, 0, 0, 1};

    /** A 1 GiB namespace of 4 KiB blocks with 8 bytes of metadata, format 1 of two. */
    private static byte[] namespace() {
        byte[] b = new byte[4096];
        le64(b, 0, 262144);                 // NSZE
        le64(b, 8, 262144);                 // NCAP
        le64(b, 16, 1000);                  // NUSE
        b[24] = 0x04;                       // NSFEAT: deallocated or unwritten error
        b[25] = 1;                          // NLBAF: two formats, 0's based
        b[26] = 1;                          // FLBAS: format 1
        b[27] = 0x02;                       // MC
        b[30] = 0x01;                       // NMIC: may be shared
        b[31] = (byte) 0xFF;                // RESCAP
        b[33] = 0x09;                       // DLFEAT
        le16(b, 46, 32);                    // NOIOB
        le64(b, 48, 1L << 30);              // NVMCAP low
        le64(b, 56, 1);                     // NVMCAP high
        le16(b, 64, 7);                     // NPWG
        le32(b, 92, 3);                     // ANAGRPID
        le16(b, 102, 1);                    // ENDGID
        System.arraycopy(NGUID, 0, b, 104, 16);
        System.arraycopy(EUI64, 0, b, 120, 8);
        le32(b, 128, 9 << 16);              // LBAF0: 512 bytes, no metadata, best
        le16(b, 132, 8);                    // LBAF1 MS
        b[134] = 12;                        // LBAF1 LBADS: 4096
        b[135] = 1;                         // LBAF1 RP: better
        return b;
    }

    @Test
    void shouldDecodeFieldsAndFormattedBlockSizeWhenPlacedAtSpecOffsets() {
        IdentifyNamespaceFlyweight ns = new IdentifyNamespaceFlyweight().wrap(le(namespace()), 0);

        assertEquals(262144, ns.nsze());
        assertEquals(1000, ns.nuse());
        assertEquals(2, ns.lbafCount());
        assertEquals(1, ns.formattedLbaIndex());
        assertEquals(4096, ns.blockSize());
        assertEquals(8, ns.metadataSize());
        assertEquals(0xFF, ns.rescap());
        assertEquals(3, ns.anagrpid());
        assertEquals(1L << 30, ns.nvmcapLow());
        assertEquals(1, ns.nvmcapHigh());
        assertArrayEquals(NGUID, ns.nguid());
        assertArrayEquals(EUI64, ns.eui64());

        IdentifyNamespace record = ns.toRecord();
        assertEquals(List.of(new LbaFormat(0, 9, 0), new LbaFormat(8, 12, LbaFormat.RP_BETTER)),
                record.lbaFormats());
        assertEquals(4096, record.blockSize());
        assertEquals(BigInteger.ONE.shiftLeft(64).add(BigInteger.ONE.shiftLeft(30)), record.nvmcap());
    }

    @Test
    void shouldEncodeSameBytesWhenWrittenFromDecodedRecord() {
        byte[] golden = namespace();
        IdentifyNamespace record = new IdentifyNamespaceFlyweight().wrap(le(golden), 0).toRecord();

        ByteBuffer out = zeroed(4096);
        new IdentifyNamespaceFlyweight().wrap(out, 0).write(record);

        assertArrayEquals(golden, out.array());
    }

    @Test
    void shouldUseFlbasBitsSixAndFiveAsHighIndexBitsWhenMoreThanSixteenFormats() {
        IdentifyNamespaceFlyweight ns = new IdentifyNamespaceFlyweight().wrap(zeroed(4096), 0);
        ns.nlbaf(17).flbas(0x20 | 0x10 | 0x01).lbaf(17, new LbaFormat(0, 13, 0).toDword());

        assertEquals(17, ns.formattedLbaIndex());
        assertEquals(8192, ns.blockSize());
    }

    @Test
    void shouldEncodeLbaFormatDwordWhenBuiltFromBlockSize() {
        assertEquals(0x000C0000, LbaFormat.ofBlockSize(4096).toDword());
        assertEquals(new LbaFormat(16, 9, 3), LbaFormat.fromDword(0x03090010));
        assertThrows(IllegalArgumentException.class, () -> LbaFormat.ofBlockSize(1000));
    }

    @Test
    void shouldCompareIdentifierContentWhenRecordsHoldEqualArrays() {
        IdentifyNamespace a = IdentifyNamespace.builder().nsze(8).nguid(NGUID.clone()).build();
        IdentifyNamespace b = IdentifyNamespace.builder().nsze(8).nguid(NGUID.clone()).build();

        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, b.toBuilder().eui64(EUI64).build());
    }

    @Test
    void shouldNotExposeInternalArrayWhenCallerMutatesAccessorResult() {
        IdentifyNamespace record = IdentifyNamespace.builder().nguid(NGUID.clone()).build();
        record.nguid()[0] = 99;

        assertArrayEquals(NGUID, record.nguid());
    }

    @Test
    void shouldRejectRecordWhenNoLbaFormatOrNguidWrongLength() {
        assertThrows(IllegalArgumentException.class, () -> IdentifyNamespace.builder().lbaFormats(List.of()).build());
        assertThrows(IllegalArgumentException.class, () -> IdentifyNamespace.builder().nguid(new byte[8]).build());
    }

    @Test
    void shouldFailWhenNlbafExceedsTable() {
        IdentifyNamespaceFlyweight ns = new IdentifyNamespaceFlyweight().wrap(zeroed(4096), 0).nlbaf(64);

        assertThrows(IllegalStateException.class, ns::toRecord);
    }
}
