package dev.nvmeof.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NvmeStatusTest {

    @Test
    void shouldReturnSharedSuccessWhenWordIsZeroWhateverThePhase() {
        assertSame(NvmeStatus.SUCCESS, NvmeStatus.of(0x0000));
        assertSame(NvmeStatus.SUCCESS, NvmeStatus.of(0x0001));
        assertSame(NvmeStatus.SUCCESS, NvmeStatus.of(0, 0, false));
        assertTrue(NvmeStatus.isSuccess(0x0001));
        assertTrue(NvmeStatus.SUCCESS.isSuccess());
    }

    @Test
    void shouldDecodeEveryFieldWhenAllBitsAreSet() {
        // DNR 1, More 1, CRD 11b, SCT 111b, SC FFh, phase 1
        NvmeStatus status = NvmeStatus.of(0xFFFF);

        assertEquals(new NvmeStatus(7, 0xFF, true, true, 3), status);
        assertEquals(0xFFFF, status.toStatusWord(true));
        assertEquals(0xFFFE, status.toStatusWord(false));
    }

    @Test
    void shouldPackBitsAtSpecPositionsWhenBuildingStatusWord() {
        assertEquals(0x0001, NvmeStatus.statusWord(0, 0, false, false, 0, true));
        assertEquals(0x0004, NvmeStatus.statusWord(0, 0x02, false, false, 0, false));
        assertEquals(0x0200, NvmeStatus.statusWord(1, 0, false, false, 0, false));
        assertEquals(0x1000, NvmeStatus.statusWord(0, 0, false, false, 1, false));
        assertEquals(0x3000, NvmeStatus.statusWord(0, 0, false, false, 3, false));
        assertEquals(0x4000, NvmeStatus.statusWord(0, 0, false, true, 0, false));
        assertEquals(0x8000, NvmeStatus.statusWord(0, 0, true, false, 0, false));
        assertEquals(0x06E0, NvmeStatus.statusWord(3, 0x70, false, false, 0, false));
    }

    @Test
    void shouldReadFieldsFromIntWhenOnHotPath() {
        int word = 0x8000 | 0x4000 | 0x2000 | (2 << 9) | (0x81 << 1); // DNR, More, CRD 2, media, 81h, phase 0

        assertEquals(0x81, NvmeStatus.sc(word));
        assertEquals(2, NvmeStatus.sct(word));
        assertEquals(2, NvmeStatus.crd(word));
        assertTrue(NvmeStatus.isDnr(word));
        assertTrue(NvmeStatus.isMore(word));
        assertFalse(NvmeStatus.isSuccess(word));
        assertEquals(0x281, NvmeStatus.typeAndCode(word));
        assertTrue(NvmeStatus.of(word).is(MediaStatus.UNRECOVERED_READ_ERROR));
    }

    @Test
    void shouldSayNameAndCodesWhenPrinted() {
        assertEquals("Invalid Field in Command (sct=0x0 sc=0x02 dnr)",
                NvmeStatus.generic(GenericStatus.INVALID_FIELD, true).toString());
        assertEquals("Successful Completion (sct=0x0 sc=0x00)", NvmeStatus.SUCCESS.toString());
        assertEquals("Connect Invalid Parameters (sct=0x1 sc=0x82 dnr)",
                NvmeStatus.commandSpecific(CommandSpecificStatus.CONNECT_INVALID_PARAMETERS, true).toString());
        assertEquals("Unrecovered Read Error (sct=0x2 sc=0x81 more crd=1)",
                new NvmeStatus(2, 0x81, false, true, 1).toString());
        assertEquals("Unknown Generic Status (sct=0x0 sc=0xFE)", NvmeStatus.of(0, 0xFE, false).toString());
        assertEquals("Vendor Specific (sct=0x7 sc=0xC0)", NvmeStatus.of(7, 0xC0, false).toString());
        assertEquals("Reserved Status Code Type (sct=0x5 sc=0x01)", NvmeStatus.of(5, 0x01, false).toString());
    }

    @Test
    void shouldUseLinuxNumberingWhenHostMakesPathStatus() {
        assertEquals(0x370, NvmeStatus.HOST_PATH_ERROR.typeAndCode());
        assertEquals(0x371, NvmeStatus.HOST_ABORTED.typeAndCode());
        assertFalse(NvmeStatus.HOST_PATH_ERROR.dnr());
        assertEquals(NvmeStatus.HOST_ABORTED, NvmeStatus.ofTypeAndCode(0x371, false));
        assertTrue(NvmeStatus.ofTypeAndCode(0x370, false).is(PathStatus.HOST_PATHING_ERROR));
        assertTrue(NvmeStatus.DATA_TRANSFER_ERROR.is(GenericStatus.DATA_TRANSFER_ERROR));
        assertEquals(StatusCodeType.PATH_RELATED, NvmeStatus.HOST_ABORTED.statusCodeType());
    }

    @Test
    void shouldNameStatusFromEachTypeWhenLookingUp() {
        assertEquals("Keep Alive Timer Expired", NvmeStatus.name(0, 0x19));
        assertEquals("Invalid Log Page", NvmeStatus.name(1, 0x09));
        assertEquals("Compare Failure", NvmeStatus.name(2, 0x85));
        assertEquals("Command Aborted By Host", NvmeStatus.name(3, 0x71));
        assertEquals("Namespace Not Ready", NvmeStatus.name(0, 0x82));
        assertEquals("Connect Invalid Host", NvmeStatus.of(0x8308).name());
    }

    @Test
    void shouldRoundTripWhenEveryStatusWordIsDecodedAndEncoded() {
        for (int word = 0; word <= 0xFFFF; word++) {
            NvmeStatus status = NvmeStatus.of(word);
            assertEquals(word, status.toStatusWord((word & 1) != 0));
        }
    }

    @Test
    void shouldRejectFieldsWhenTheyDoNotFit() {
        assertThrows(IllegalArgumentException.class, () -> new NvmeStatus(8, 0, false, false, 0));
        assertThrows(IllegalArgumentException.class, () -> new NvmeStatus(0, 0x100, false, false, 0));
        assertThrows(IllegalArgumentException.class, () -> new NvmeStatus(0, 0, false, false, 4));
        assertThrows(IllegalArgumentException.class, () -> NvmeStatus.generic(GenericStatus.UNKNOWN, false));
        assertThrows(IllegalArgumentException.class, () -> NvmeStatus.ofTypeAndCode(0x800, false));
    }
}
