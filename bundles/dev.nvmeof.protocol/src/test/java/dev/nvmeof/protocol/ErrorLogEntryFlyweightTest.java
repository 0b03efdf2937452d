package dev.nvmeof.protocol;

import static dev.nvmeof.protocol.HandBytes.le;
import static dev.nvmeof.protocol.HandBytes.le16;
import static dev.nvmeof.protocol.HandBytes.le32;
import static dev.nvmeof.protocol.HandBytes.le64;
import static dev.nvmeof.protocol.HandBytes.zeroed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ErrorLogEntryFlyweightTest {

    /** A Read on I/O queue 2 that failed with LBA Out of Range (SCT 0, SC 80h), DNR set, phase 1. */
    private static byte[] entry() {
        byte[] b = new byte[64];
        le64(b, 0, 42);                              // ERROR COUNT
        le16(b, 8, 2);                               // SQID
        le16(b, 10, 0x1234);                         // CID
        le16(b, 12, (0x4000 | 0x80) << 1 | 1);       // STATUS: DNR, SC 80h, phase tag
        le16(b, 14, 0x0028);                         // PARAMETER ERROR LOCATION: byte 40 (CDW10), bit 0
        le64(b, 16, 0x1_0000_0000L);                 // LBA
        le32(b, 24, 1);                              // NSID
        b[28] = 0;                                   // VS
        b[29] = 3;                                   // TRTYPE TCP
        b[30] = 0;                                   // CSI NVM
        b[31] = 0x02;                                // OPCODE Read
        le64(b, 32, 0xCAFEL);                        // COMMAND SPECIFIC INFORMATION
        le16(b, 40, 0x0101);                         // TRANSPORT TYPE SPECIFIC
        b[63] = 1;                                   // LOG PAGE VERSION
        return b;
    }

    @Test
    void shouldDecodeFieldsWhenPlacedAtSpecOffsets() {
        ErrorLogEntry e = new ErrorLogEntryFlyweight().wrap(le(entry()), 0).toRecord();

        assertEquals(42, e.errorCount());
        assertEquals(2, e.sqid());
        assertEquals(0x1234, e.cid());
        assertEquals(0x4080, e.statusField());
        assertTrue(e.phaseTag());
        assertEquals(40, e.parameterErrorLocation());
        assertEquals(0x1_0000_0000L, e.lba());
        assertEquals(1, e.nsid());
        assertEquals(3, e.trtype());
        assertEquals(2, e.opcode());
        assertEquals(0xCAFE, e.commandSpecific());
        assertEquals(0x0101, e.transportSpecific());
        assertEquals(1, e.logPageVersion());
    }

    @Test
    void shouldEncodeSameBytesWhenWrittenFromRecordAtOffset() {
        ErrorLogEntry e = new ErrorLogEntryFlyweight().wrap(le(entry()), 0).toRecord();
        ByteBuffer page = zeroed(3 * 64);

        new ErrorLogEntryFlyweight().wrap(page, 64).write(e);

        byte[] expected = new byte[3 * 64];
        System.arraycopy(entry(), 0, expected, 64, 64);
        assertArrayEquals(expected, page.array());
    }
}
