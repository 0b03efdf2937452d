package dev.nvmeof.protocol;

import static dev.nvmeof.protocol.HandBytes.le;
import static dev.nvmeof.protocol.HandBytes.le16;
import static dev.nvmeof.protocol.HandBytes.le32;
import static dev.nvmeof.protocol.HandBytes.text;
import static dev.nvmeof.protocol.HandBytes.zeroed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class IdentifyControllerFlyweightTest {

    /** What Linux nvmet answers for an NVMe/TCP I/O controller, placed by hand at the Base 2.0 offsets. */
    private static byte[] linuxTargetIdentify() {
        byte[] b = new byte[4096];
        le16(b, 0, 0x0000);                                  // VID: nvmet reports 0
        text(b, 4, 20, "7ac0b9d33c2c4b8c", ' ');             // SN
        text(b, 24, 40, "Linux", ' ');                       // MN
        text(b, 64, 8, "6.8.0", ' ');                        // FR
        b[72] = 6;                                           // RAB
        b[73] = 0x00; b[74] = 0x00; b[75] = 0x00;            // IEEE
        b[76] = 0x0B;                                        // CMIC: multi port, multi ctrl, ANA
        b[77] = 0;                                           // MDTS: no limit
        le16(b, 78, 1);                                      // CNTLID
        le32(b, 80, 0x00020000);                             // VER 2.0.0
        le32(b, 92, 0x00000900);                             // OAES: NS attribute + ANA change notices
        le32(b, 96, 0x00000001);                             // CTRATT: 128-bit host ID
        b[111] = 1;                                          // CNTRLTYPE: I/O
        le16(b, 256, 0x0000);                                // OACS
        b[258] = 3;                                          // ACL
        b[259] = 3;                                          // AERL
        b[260] = 0x03;                                       // FRMW
        b[261] = 0x07;                                       // LPA
        b[262] = 127;                                        // ELPE
        b[263] = 0;                                          // NPSS
        le16(b, 320, 10);                                    // KAS: 1 s
        b[512] = 0x66;                                       // SQES
        b[513] = 0x44;                                       // CQES
        le16(b, 514, 1024);                                  // MAXCMD
        le32(b, 516, 1024);                                  // NN
        le16(b, 520, 0x007D);                                // ONCS: compare, DSM, WZ, features, resv, ts
        le16(b, 522, 0x0001);                                // FUSES
        b[525] = 0x07;                                       // VWC
        le16(b, 532, 0);                                     // ACWU
        le32(b, 536, 0x00100001);                            // SGLS: keyed data block + dword alignment
        le32(b, 540, 1024);                                  // MNAN
        text(b, 768, 256, "testnqn", '\0');                  // SUBNQN
        le32(b, 1792, 1028);                                 // IOCCSZ: (64 + 16384) / 16
        le32(b, 1796, 1);                                    // IORCSZ
        le16(b, 1800, 0);                                    // ICDOFF
        b[1802] = 0;                                         // FCATT: dynamic model
        b[1803] = 1;                                         // MSDBD
        le16(b, 1804, 0);                                    // OFCS
        return b;
    }

    @Test
    void shouldDecodeLinuxTargetFieldsWhenPlacedAtSpecOffsets() {
        IdentifyControllerFlyweight id = new IdentifyControllerFlyweight().wrap(le(linuxTargetIdentify()), 0);

        assertEquals("7ac0b9d33c2c4b8c", id.sn());
        assertEquals("Linux", id.mn());
        assertEquals("6.8.0", id.fr());
        assertEquals(6, id.rab());
        assertEquals(0x0B, id.cmic());
        assertEquals(0, id.mdts());
        assertEquals(0, id.maxDataTransferBytes(4096));
        assertEquals(1, id.cntlid());
        assertEquals(0x00020000, id.ver());
        assertEquals(IdentifyControllerFlyweight.CNTRLTYPE_IO, id.cntrltype());
        assertEquals(127, id.elpe());
        assertEquals(10, id.kas());
        assertEquals(1000, id.keepAliveGranularityMillis());
        assertEquals(0x66, id.sqes());
        assertEquals(0x44, id.cqes());
        assertEquals(1024, id.maxcmd());
        assertEquals(1024, id.nn());
        assertEquals(IdentifyControllerFlyweight.ONCS_WRITE_ZEROES,
                id.oncs() & IdentifyControllerFlyweight.ONCS_WRITE_ZEROES);
        assertEquals(IdentifyControllerFlyweight.ONCS_DATASET_MANAGEMENT,
                id.oncs() & IdentifyControllerFlyweight.ONCS_DATASET_MANAGEMENT);
        assertEquals(0x00100001, id.sgls());
        assertEquals("testnqn", id.subnqn());
        assertEquals(1028, id.ioccsz());
        assertEquals(1, id.iorcsz());
        assertEquals(0, id.icdoff());
        assertEquals(1, id.msdbd());
    }

    @Test
    void shouldEncodeSameBytesWhenWrittenFromDecodedRecord() {
        byte[] golden = linuxTargetIdentify();
        IdentifyController record = new IdentifyControllerFlyweight().wrap(le(golden), 0).toRecord();

        ByteBuffer out = zeroed(4096);
        new IdentifyControllerFlyweight().wrap(out, 0).write(record);

        assertArrayEquals(golden, out.array());
    }

    @Test
    void shouldPlaceFabricsFieldsAtTheirOffsetsWhenSet() {
        ByteBuffer out = zeroed(4096);
        new IdentifyControllerFlyweight().wrap(out, 0)
                .ioccsz(0x11223344).iorcsz(0x55667788).icdoff(0x99AA).fcatt(0xBB).msdbd(0xCC).ofcs(0xDDEE)
                .acwu(0x1234).nvscc(0x56).ieee(0xABCDEF);
        byte[] expected = new byte[4096];
        le32(expected, 1792, 0x11223344);
        le32(expected, 1796, 0x55667788);
        le16(expected, 1800, 0x99AA);
        expected[1802] = (byte) 0xBB;
        expected[1803] = (byte) 0xCC;
        le16(expected, 1804, 0xDDEE);
        le16(expected, 532, 0x1234);
        expected[530] = 0x56;
        expected[73] = (byte) 0xEF;   // IEEE OUI, least significant byte first
        expected[74] = (byte) 0xCD;
        expected[75] = (byte) 0xAB;
        assertArrayEquals(expected, out.array());
    }

    @Test
    void shouldRoundTripRecordWhenWrappedAtNonZeroOffset() {
        IdentifyController record = IdentifyController.builder()
                .vid(0x1B36).ssvid(0x1AF4).sn("SN-1").mn("Model").fr("1.0").cntlid(0xFFFE).ver(0x00010400)
                .cntrltype(IdentifyControllerFlyweight.CNTRLTYPE_DISCOVERY).kas(100).maxcmd(128).nn(-1)
                .sgls(0x00100005).mnan(7).subnqn("nqn.2014-08.org.nvmexpress.discovery").ioccsz(4).iorcsz(1)
                .build();
        ByteBuffer out = zeroed(4096 + 100);
        IdentifyControllerFlyweight id = new IdentifyControllerFlyweight().wrap(out, 100).write(record);

        assertEquals(record, id.toRecord());
        assertEquals(0x1B36, Short.toUnsignedInt(out.getShort(100)));
        assertEquals(0xFFFFFFFFL, Integer.toUnsignedLong(id.nn()));
    }

    @Test
    void shouldRejectBufferWhenNotLittleEndian() {
        ByteBuffer big = ByteBuffer.allocate(4096).order(ByteOrder.BIG_ENDIAN);

        assertThrows(IllegalArgumentException.class, () -> new IdentifyControllerFlyweight().wrap(big, 0));
    }

    @Test
    void shouldRejectWrapWhenBufferTooShort() {
        assertThrows(IndexOutOfBoundsException.class, () -> new IdentifyControllerFlyweight().wrap(zeroed(4095), 0));
        assertThrows(IndexOutOfBoundsException.class, () -> new IdentifyControllerFlyweight().wrap(zeroed(4096), 1));
    }

    @Test
    void shouldRejectRecordWhenModelNumberLongerThanField() {
        String tooLong = "M".repeat(41);

        assertThrows(IllegalArgumentException.class, () -> IdentifyController.builder().mn(tooLong).build());
    }

    @Test
    void shouldRejectRecordWhenSubsystemNqnLeavesNoRoomForNul() {
        assertThrows(IllegalArgumentException.class,
                () -> IdentifyController.builder().subnqn("n".repeat(256)).build());
        assertEquals(255, IdentifyController.builder().subnqn("n".repeat(255)).build().subnqn().length());
    }

    @Test
    void shouldRejectRecordWhenEightBitFieldOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> IdentifyController.builder().mdts(256).build());
        assertThrows(IllegalArgumentException.class, () -> IdentifyController.builder().maxcmd(-1).build());
    }

    @Test
    void shouldTrimTrailingSpacesAndStopAtNulWhenReadingAscii() {
        byte[] b = new byte[4096];
        text(b, 24, 40, "QEMU NVMe Ctrl", ' ');
        text(b, 4, 20, "deadbeef", '\0');

        IdentifyControllerFlyweight id = new IdentifyControllerFlyweight().wrap(le(b), 0);

        assertEquals("QEMU NVMe Ctrl", id.mn());
        assertEquals("deadbeef", id.sn());
    }
}
