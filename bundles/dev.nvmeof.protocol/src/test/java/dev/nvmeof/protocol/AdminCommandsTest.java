package dev.nvmeof.protocol;

import static dev.nvmeof.protocol.CommandHex.assertBytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class AdminCommandsTest {

    /** DPTR of a command without data: address 0, length 0, identifier 5Ah. */
    private static final String NULL_SGL = "00000000 00000000 00000000 0000005a";

    private final ByteBuffer buffer = CommandHex.buffer(64);
    private final SubmissionQueueEntryFlyweight sqe = new SubmissionQueueEntryFlyweight().wrap(buffer, 0);

    @Test
    void shouldAskFor4096BytesWhenIdentifyingController() {
        AdminCommands.identify(sqe, 1, IdentifyCns.CONTROLLER, 0);

        assertBytes("06400100 00000000 00000000 00000000 00000000 00000000"
                + " 00000000 00000000 00100000 0000005a"
                + " 01000000 00000000 00000000 00000000 00000000 00000000", buffer, 0);
        assertEquals(IdentifyCns.CONTROLLER, IdentifyCns.of(AdminCommands.identifyCns(sqe)));
        assertEquals(4096, SglDescriptor.length(buffer, sqe.dptrIndex()));
    }

    @Test
    void shouldPutNsidAndCntidWhenIdentifyingWithBoth() {
        AdminCommands.identify(sqe, 2, IdentifyCns.NAMESPACE.code(), 1, 0x1234);

        assertBytes("06400200 01000000", buffer, 0);
        assertBytes("00003412", buffer, 40);
        assertEquals(0x1234, AdminCommands.identifyCntid(sqe));
        assertEquals(1, sqe.nsid());
    }

    @Test
    void shouldSplitNumdWhenGettingDiscoveryLogPage() {
        AdminCommands.getLogPage(sqe, 9, LogPageId.DISCOVERY.code(), 0, 4096, 0, false);

        // NUMD = 1023 = 3FFh in NUMDL (CDW10 31:16), LID 70h in 7:0
        assertBytes("02400900 00000000 00000000 00000000 00000000 00000000"
                + " 00000000 00000000 00100000 0000005a"
                + " 7000ff03 00000000 00000000 00000000 00000000 00000000", buffer, 0);
        assertEquals(4096, AdminCommands.logPageNumBytes(sqe));
        assertEquals(0, AdminCommands.logPageOffset(sqe));
        assertFalse(AdminCommands.isRetainAsyncEvent(sqe));
    }

    @Test
    void shouldFillNumduAndLpoWhenLogPageIsLargeAndOffset() {
        // NUMD = 12345h: NUMDL 2345h, NUMDU 0001h; LPO = 1_0000_0200h; RAE set
        AdminCommands.getLogPage(sqe, 0x0102, LogPageId.SMART.code(), 0xFFFF_FFFF, 4L * 0x12346, 0x1_0000_0200L,
                true);

        assertBytes("02400201 ffffffff 00000000 00000000 00000000 00000000"
                + " 00000000 00000000 188d0400 0000005a"
                + " 02804523 01000000 00020000 01000000 00000000 00000000", buffer, 0);
        assertEquals(LogPageId.SMART.code(), AdminCommands.logPageId(sqe));
        assertEquals(4L * 0x12346, AdminCommands.logPageNumBytes(sqe));
        assertEquals(0x1_0000_0200L, AdminCommands.logPageOffset(sqe));
        assertTrue(AdminCommands.isRetainAsyncEvent(sqe));
    }

    @Test
    void shouldRejectLogPageLengthWhenNotDwordMultiple() {
        assertThrows(IllegalArgumentException.class, () -> AdminCommands.getLogPage(sqe, 1, 2, 0, 6, 0, false));
        assertThrows(IllegalArgumentException.class, () -> AdminCommands.getLogPage(sqe, 1, 2, 0, 0, 0, false));
        assertThrows(IllegalArgumentException.class, () -> AdminCommands.getLogPage(sqe, 1, 2, 0, 8, 2, false));
    }

    @Test
    void shouldWriteZeroBasedCountsWhenSettingNumberOfQueues() {
        AdminCommands.setNumberOfQueues(sqe, 2, 8, 8);

        assertBytes("09400200 00000000 00000000 00000000 00000000 00000000 " + NULL_SGL
                + " 07000000 07000700 00000000 00000000 00000000 00000000", buffer, 0);
        assertEquals(FeatureId.NUMBER_OF_QUEUES, FeatureId.of(AdminCommands.featureId(sqe)));
        assertFalse(AdminCommands.isFeatureSave(sqe));
    }

    @Test
    void shouldDecodeGrantedQueuesWhenControllerAllocatesFewer() {
        int dw0 = 0x0003_0007; // NCQA 3, NSQA 7, both 0's based

        assertEquals(8, AdminCommands.grantedSubmissionQueues(dw0));
        assertEquals(4, AdminCommands.grantedCompletionQueues(dw0));
        assertThrows(IllegalArgumentException.class, () -> AdminCommands.numberOfQueuesValue(0, 1));
        assertEquals(0xFFFE_FFFE, AdminCommands.numberOfQueuesValue(0xFFFF, 0xFFFF));
    }

    @Test
    void shouldPutKatoInCdw11WhenSettingKeepAliveTimer() {
        AdminCommands.setKeepAliveTimer(sqe, 0x0a, 5000);

        assertBytes("09400a00 00000000", buffer, 0);
        assertBytes(NULL_SGL + " 0f000000 88130000 00000000", buffer, 24);
    }

    @Test
    void shouldSetSaveBitWhenSavingAsyncEventConfig() {
        AdminCommands.setFeatures(sqe, 1, FeatureId.ASYNC_EVENT_CONFIG.code(),
                AsyncEvent.CONFIG_NAMESPACE_ATTRIBUTE_NOTICES | AsyncEvent.CONFIG_DISCOVERY_LOG_PAGE_CHANGE_NOTICES,
                true);

        assertBytes("0b000080 00010080", buffer, 40);
        assertTrue(AdminCommands.isFeatureSave(sqe));
        assertEquals(FeatureId.ASYNC_EVENT_CONFIG.code(), AdminCommands.featureId(sqe));
    }

    @Test
    void shouldWriteFeatureWithoutSaveWhenConfiguringAsyncEvents() {
        AdminCommands.setAsyncEventConfig(sqe, 1, AsyncEvent.CONFIG_NAMESPACE_ATTRIBUTE_NOTICES);

        assertBytes("0b000000 00010000", buffer, 40);
    }

    @Test
    void shouldPutSelectWhenGettingFeatures() {
        AdminCommands.getFeatures(sqe, 3, FeatureId.NUMBER_OF_QUEUES.code(), AdminCommands.SEL_SUPPORTED_CAPABILITIES);

        assertBytes("0a400300 00000000 00000000 00000000 00000000 00000000 " + NULL_SGL
                + " 07030000 00000000 00000000 00000000 00000000 00000000", buffer, 0);
        assertEquals(AdminCommands.SEL_SUPPORTED_CAPABILITIES, AdminCommands.featureSelect(sqe));
    }

    @Test
    void shouldWriteBareCommandWhenKeepAlive() {
        AdminCommands.keepAlive(sqe, 0x10);

        assertBytes("18401000 00000000 00000000 00000000 00000000 00000000 " + NULL_SGL
                + " 00000000 00000000 00000000 00000000 00000000 00000000", buffer, 0);
    }

    @Test
    void shouldWriteBareCommandWhenRequestingAsyncEvent() {
        AdminCommands.asyncEventRequest(sqe, 0x1f);

        assertBytes("0c401f00 00000000 00000000 00000000 00000000 00000000 " + NULL_SGL
                + " 00000000 00000000 00000000 00000000 00000000 00000000", buffer, 0);
    }

    @Test
    void shouldPackSqidAndCidWhenAborting() {
        AdminCommands.abort(sqe, 4, 1, 0x22);

        assertBytes("08400400", buffer, 0);
        assertBytes("01002200", buffer, 40);
    }

    @Test
    void shouldClearPreviousCommandWhenWritingAnother() {
        AdminCommands.getLogPage(sqe, 9, 2, -1, 512, 64, true);
        AdminCommands.keepAlive(sqe, 1);

        assertBytes("18400100 00000000 00000000 00000000 00000000 00000000 " + NULL_SGL
                + " 00000000 00000000 00000000 00000000 00000000 00000000", buffer, 0);
    }
}
