package dev.nvmeof.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ControllerPropertiesTest {

    @Test
    void shouldDecodeLinuxTargetCapWhenReadingCap() {
        // Linux nvmet: MQES 3FFh, TO 0Fh, CSS bits 0 (NVM) and 6 (I/O command sets)
        Capabilities cap = Capabilities.of(0x0000_0820_0F00_03FFL);

        assertEquals(1023, cap.mqes());
        assertEquals(1024, cap.maxQueueEntries());
        assertFalse(cap.contiguousQueuesRequired()); // bit 16 of ...0F0003FF is 0
        assertEquals(0, cap.ams());
        assertEquals(15, cap.timeout());
        assertEquals(7500, cap.readyTimeoutMillis());
        assertEquals(0, cap.dstrd());
        assertFalse(cap.subsystemResetSupported());
        assertEquals(Capabilities.CSS_NVM | Capabilities.CSS_IO_COMMAND_SETS, cap.css());
        assertTrue(cap.supportsNvmCommandSet());
        assertEquals(0, cap.mpsmin());
        assertEquals(4096, cap.minPageSize());
        assertEquals(0x0000_0820_0F00_03FFL, cap.toLong());
    }

    @Test
    void shouldDecodeEveryFieldWhenCapSetsThemApart() {
        // MQES 7Fh, CQR (bit 16), AMS 01b (bit 17), TO 1Eh, DSTRD 2 (35:32), NSSRS (bit 36),
        // CSS NVM (bit 37), BPS (bit 45), MPSMIN 1 (51:48), MPSMAX 4 (55:52)
        long raw = 0x0041_2032_1E03_007FL;
        Capabilities cap = Capabilities.of(raw);

        assertEquals(new Capabilities(0x7F, true, 1, 0x1E, 2, true, 1, true, 1, 4), cap);
        assertEquals(15_000, cap.readyTimeoutMillis());
        assertEquals(8192, cap.minPageSize());
        assertEquals(65536, cap.maxPageSize());
        assertEquals(raw, cap.toLong());
    }

    @Test
    void shouldDecodeEnableAndEntrySizesWhenReadingLinuxCc() {
        ControllerConfiguration cc = ControllerConfiguration.of(0x0046_0001);

        assertTrue(cc.enable());
        assertEquals(ControllerConfiguration.CSS_NVM, cc.css());
        assertEquals(0, cc.mps());
        assertEquals(0, cc.ams());
        assertEquals(ControllerConfiguration.SHN_NONE, cc.shutdownNotification());
        assertEquals(6, cc.iosqes());
        assertEquals(4, cc.iocqes());
        assertEquals(0x0046_0001, cc.toInt());
        assertEquals(cc, ControllerConfiguration.NVM_DEFAULTS.withEnable(true));
    }

    @Test
    void shouldSetOnlyShnWhenRequestingNormalShutdown() {
        ControllerConfiguration cc = ControllerConfiguration.of(0x0046_0001)
                .withShutdownNotification(ControllerConfiguration.SHN_NORMAL);

        assertEquals(0x0046_4001, cc.toInt());
        assertEquals(0x0046_8001, cc.withShutdownNotification(ControllerConfiguration.SHN_ABRUPT).toInt());
    }

    @Test
    void shouldPlaceEachFieldWhenBuildingCc() {
        assertEquals(0x60, ControllerConfiguration.NVM_DEFAULTS.withIosqes(0).withIocqes(0).withCss(6).toInt());
        assertEquals(0x0000_0180, ControllerConfiguration.of(0).withMps(3).toInt());
        assertEquals(0x0000_3800, ControllerConfiguration.of(0).withAms(7).toInt());
        assertThrows(IllegalArgumentException.class, () -> ControllerConfiguration.of(0).withMps(16));
    }

    @Test
    void shouldReportFatalWhenCstsIsTwo() {
        ControllerStatus csts = ControllerStatus.of(0x2);

        assertTrue(csts.fatal());
        assertFalse(csts.ready());
        assertTrue(ControllerStatus.isFatal(0x2));
        assertEquals(0x2, csts.toInt());
    }

    @Test
    void shouldReportShutdownCompleteWhenShstIsTwo() {
        ControllerStatus csts = ControllerStatus.of(0x9); // RDY, SHST 10b

        assertTrue(csts.ready());
        assertEquals(ControllerStatus.SHST_COMPLETE, csts.shutdownStatus());
        assertTrue(csts.isShutdownComplete());
        assertEquals(ControllerStatus.SHST_OCCURRING, ControllerStatus.of(0x4).shutdownStatus());
        assertEquals(new ControllerStatus(false, false, 0, true, true), ControllerStatus.of(0x30));
        assertEquals(0x3F, new ControllerStatus(true, true, 3, true, true).toInt());
    }

    @Test
    void shouldDecodeMajorMinorTertiaryWhenReadingVs() {
        assertEquals(NvmeVersion.V1_3, NvmeVersion.of(0x0001_0300));
        assertEquals(new NvmeVersion(2, 0, 1), NvmeVersion.of(0x0002_0001));
        assertEquals("1.4.0", NvmeVersion.of(0x0001_0400).toString());
        assertEquals(0x0002_0000, NvmeVersion.V2_0.toInt());
        assertTrue(NvmeVersion.V2_0.isAtLeast(NvmeVersion.V1_4));
        assertFalse(NvmeVersion.V1_3.isAtLeast(NvmeVersion.V1_4));
    }
}
