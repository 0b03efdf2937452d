package dev.nvmeof.protocol;

import static dev.nvmeof.protocol.HandBytes.le;
import static dev.nvmeof.protocol.HandBytes.le16;
import static dev.nvmeof.protocol.HandBytes.le64;
import static dev.nvmeof.protocol.HandBytes.text;
import static dev.nvmeof.protocol.HandBytes.zeroed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DiscoveryLogPageFlyweightTest {
    private static final String DISCOVERY_NQN = "nqn.2014-08.org.nvmexpress.discovery";

    private static final DiscoveryLogEntry NVM = DiscoveryLogEntry.tcp(DiscoveryLogEntryFlyweight.ADRFAM_IPV4,
            DiscoveryLogEntryFlyweight.SUBTYPE_NVM, 1, 32, "127.0.0.1", "4420", "testnqn");
    private static final DiscoveryLogEntry CURRENT = DiscoveryLogEntry.tcp(DiscoveryLogEntryFlyweight.ADRFAM_IPV4,
            DiscoveryLogEntryFlyweight.SUBTYPE_CURRENT_DISCOVERY, 1, 32, "127.0.0.1", "8009", DISCOVERY_NQN);

    /** Header and two entries as a target pads them: TRADDR and TRSVCID with spaces, SUBNQN with NULs. */
    private static byte[] page(char addressPad) {
        byte[] b = new byte[3 * 1024];
        le64(b, 0, 7);                                   // GENCTR
        le64(b, 8, 2);                                   // NUMREC
        le16(b, 16, 0);                                  // RECFMT
        entry(b, 1024, 2, "4420", "testnqn", addressPad);
        entry(b, 2048, 3, "8009", DISCOVERY_NQN, addressPad);
        return b;
    }

    private static void entry(byte[] b, int at, int subtype, String port, String nqn, char addressPad) {
        b[at] = 3;                                       // TRTYPE TCP
        b[at + 1] = 1;                                   // ADRFAM IPv4
        b[at + 2] = (byte) subtype;                      // SUBTYPE
        b[at + 3] = 2;                                   // TREQ: secure channel not required
        le16(b, at + 4, 1);                              // PORTID
        le16(b, at + 6, 0xFFFF);                         // CNTLID: dynamic
        le16(b, at + 8, 32);                             // ASQSZ
        le16(b, at + 10, 0);                             // EFLAGS
        text(b, at + 32, 32, port, addressPad);          // TRSVCID
        text(b, at + 256, 256, nqn, '\0');               // SUBNQN
        text(b, at + 512, 256, "127.0.0.1", addressPad); // TRADDR
        b[at + 768] = 0;                                 // TSAS.SECTYPE none
    }

    @Test
    void shouldDecodeTwoEntriesWhenPageIsWhole() {
        DiscoveryLogPageFlyweight page = new DiscoveryLogPageFlyweight().wrap(le(page(' ')), 0);

        assertEquals(7, page.genctr());
        assertEquals(2, page.numrec());
        assertEquals(List.of(NVM, CURRENT), page.entries());
        DiscoveryLogEntryFlyweight e = page.entry(1, new DiscoveryLogEntryFlyweight());
        assertEquals(DiscoveryLogEntryFlyweight.SUBTYPE_CURRENT_DISCOVERY, e.subtype());
        assertEquals("8009", e.trsvcid());
        assertEquals(DISCOVERY_NQN, e.subnqn());
    }

    @Test
    void shouldEncodeSameBytesWhenWrittenFromRecords() {
        ByteBuffer out = zeroed(3 * 1024);

        new DiscoveryLogPageFlyweight().wrap(out, 0).write(7, List.of(NVM, CURRENT));

        assertArrayEquals(page(' '), out.array());
    }

    @Test
    void shouldReadNulPaddedAddressesWhenTargetIsLinuxNvmet() {
        DiscoveryLogPageFlyweight page = new DiscoveryLogPageFlyweight().wrap(le(page('\0')), 0);

        assertEquals(List.of(NVM, CURRENT), page.entries());
    }

    @Test
    void shouldReassemblePageWhenReadInChunksByLogPageOffset() {
        byte[] whole = page(' ');
        // First Get Log Page: the header only.
        DiscoveryLogPageFlyweight header = new DiscoveryLogPageFlyweight()
                .wrap(le(Arrays.copyOfRange(whole, 0, DiscoveryLogPageFlyweight.HEADER_LENGTH)), 0);
        long numrec = header.numrec();
        assertEquals(3 * 1024, DiscoveryLogPageFlyweight.requiredLength(numrec));

        // Then one Get Log Page per entry, at its log page offset.
        List<DiscoveryLogEntry> entries = new ArrayList<>();
        DiscoveryLogEntryFlyweight entry = new DiscoveryLogEntryFlyweight();
        for (long i = 0; i < numrec; i++) {
            int lpo = (int) DiscoveryLogPageFlyweight.entryOffset(i);
            byte[] chunk = Arrays.copyOfRange(whole, lpo, lpo + DiscoveryLogEntryFlyweight.LENGTH);
            entries.add(entry.wrap(le(chunk), 0).toRecord());
        }

        assertEquals(List.of(NVM, CURRENT), entries);
    }

    @Test
    void shouldComputeEntryOffsetsWhenIndexGiven() {
        assertEquals(1024, DiscoveryLogPageFlyweight.entryOffset(0));
        assertEquals(2048, DiscoveryLogPageFlyweight.entryOffset(1));
        assertEquals(1024, DiscoveryLogPageFlyweight.requiredLength(0));
        assertThrows(ArithmeticException.class, () -> DiscoveryLogPageFlyweight.requiredLength(Long.MAX_VALUE));
    }

    @Test
    void shouldFailWhenNumrecExceedsBuffer() {
        byte[] b = page(' ');
        le64(b, 8, 3);
        DiscoveryLogPageFlyweight page = new DiscoveryLogPageFlyweight().wrap(le(b), 0);

        assertThrows(IndexOutOfBoundsException.class, page::entries);
        assertThrows(IndexOutOfBoundsException.class, () -> page.entry(2, new DiscoveryLogEntryFlyweight()));
    }

    @Test
    void shouldRejectEntryWhenAddressTooLongOrNotAscii() {
        assertThrows(IllegalArgumentException.class, () -> DiscoveryLogEntry.tcp(1, 2, 1, 32, "127.0.0.1",
                "1".repeat(33), "testnqn"));
        assertThrows(IllegalArgumentException.class, () -> DiscoveryLogEntry.tcp(1, 2, 1, 32, "h\u00f6st",
                "4420", "testnqn"));
    }
}
