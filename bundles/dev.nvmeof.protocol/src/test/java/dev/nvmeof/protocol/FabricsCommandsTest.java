package dev.nvmeof.protocol;

import static dev.nvmeof.protocol.CommandHex.assertBytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class FabricsCommandsTest {

    /** The admin Connect SQE of the Linux kernel host, as captured. */
    private static final String LINUX_ADMIN_CONNECT =
            "7f400000 01000000 00000000 00000000 00000000 00000000 00000000 00000000"
                    + " 00040000 00000001 00000000 1f000000 88130000 00000000 00000000 00000000";

    private final SubmissionQueueEntryFlyweight sqe = new SubmissionQueueEntryFlyweight();

    @Test
    void shouldWriteLinuxAdminConnectByteForByteWhenConnectingAdminQueue() {
        ByteBuffer buffer = CommandHex.buffer(72);
        sqe.wrap(buffer, 8);

        FabricsCommands.connect(sqe, 0, 0, 31, 5000, 0);

        assertBytes(LINUX_ADMIN_CONNECT, buffer, 8);
        assertBytes("eeeeeeee eeeeeeee", buffer, 0);
    }

    @Test
    void shouldDecodeLinuxAdminConnectWhenReadingCapturedBytes() {
        sqe.wrap(CommandHex.wrap(LINUX_ADMIN_CONNECT), 0);

        assertEquals(AdminOpcode.FABRICS, AdminOpcode.of(sqe.opcode()));
        assertEquals(0x40, sqe.flags());
        assertEquals(SubmissionQueueEntryFlyweight.PSDT_SGL_METADATA_BUFFER, sqe.psdt());
        assertEquals(0, sqe.cid());
        assertEquals(FabricsCommandType.CONNECT, FabricsCommandType.of(sqe.fctype()));
        assertEquals(0, SglDescriptor.address(sqe.buffer(), sqe.dptrIndex()));
        assertEquals(1024, SglDescriptor.length(sqe.buffer(), sqe.dptrIndex()));
        assertTrue(SglDescriptor.isInCapsule(sqe.buffer(), sqe.dptrIndex()));
        assertEquals(0, FabricsCommands.recfmt(sqe));
        assertEquals(0, FabricsCommands.qid(sqe));
        assertEquals(31, FabricsCommands.sqsize(sqe));
        assertEquals(0, FabricsCommands.cattr(sqe));
        assertEquals(5000, FabricsCommands.kato(sqe));
    }

    @Test
    void shouldWriteQidAndSqsizeWhenConnectingIoQueue() {
        ByteBuffer buffer = CommandHex.buffer(64);
        FabricsCommands.connect(sqe.wrap(buffer, 0), 5, 1, 127, 0, FabricsCommands.CATTR_DISABLE_SQ_FLOW_CONTROL);
        // RECFMT 0 @40, QID 1 @42, SQSIZE 127 @44, CATTR 04h @46, KATO 0 @48

        assertBytes("7f400500 01000000 00000000 00000000 00000000 00000000"
                + " 00000000 00000000 00040000 00000001"
                + " 00000100 7f000400 00000000 00000000 00000000 00000000", buffer, 0);
        assertEquals(1, FabricsCommands.qid(sqe));
        assertEquals(127, FabricsCommands.sqsize(sqe));
        assertEquals(FabricsCommands.CATTR_DISABLE_SQ_FLOW_CONTROL, FabricsCommands.cattr(sqe));
    }

    @Test
    void shouldWriteConnectDataFieldsAtSpecOffsetsWhenSettingAll() {
        ByteBuffer buffer = CommandHex.buffer(1024);
        ConnectDataFlyweight data = new ConnectDataFlyweight().wrap(buffer, 0);

        data.set(UUID.fromString("f81d4fae-7dec-11d0-a765-00a0c91e6bf6"), ConnectDataFlyweight.CNTLID_DYNAMIC,
                "nqn.test", "nqn.host");

        assertBytes("f81d4fae 7dec11d0 a76500a0 c91e6bf6 ffff0000 00000000", buffer, 0);
        assertBytes("6e716e2e 74657374 00000000", buffer, 256); // "nqn.test", NUL padded
        assertBytes("6e716e2e 686f7374 00000000", buffer, 512); // "nqn.host"
        for (int i = 18; i < 1024; i++) {
            boolean nqn = (i >= 256 && i < 264) || (i >= 512 && i < 520);
            if (!nqn) {
                assertEquals(0, buffer.get(i), "byte " + i);
            }
        }
    }

    @Test
    void shouldReadBackConnectDataWhenWrittenWithLongNqns() {
        ByteBuffer buffer = CommandHex.buffer(1100);
        ConnectDataFlyweight data = new ConnectDataFlyweight().wrap(buffer, 40);
        UUID hostId = UUID.randomUUID();
        String subnqn = "nqn.2014-08.org.nvmexpress.discovery";
        String hostnqn = "nqn.2014-08.org.nvmexpress:uuid:" + hostId;

        data.set(hostId, 0x0012, subnqn, hostnqn);

        assertEquals(hostId, data.hostId());
        assertEquals(0x0012, data.cntlid());
        assertEquals(subnqn, data.subsystemNqn());
        assertEquals(hostnqn, data.hostNqn());
    }

    @Test
    void shouldRejectNqnWhenLongerThan223Bytes() {
        ConnectDataFlyweight data = new ConnectDataFlyweight().wrap(CommandHex.buffer(1024), 0);

        data.subsystemNqn("n".repeat(223));
        assertThrows(IllegalArgumentException.class, () -> data.subsystemNqn("n".repeat(224)));
        assertThrows(IllegalArgumentException.class, () -> data.hostNqn("nqn.a\0b"));
    }

    @Test
    void shouldWriteFourBytePropertyGetWhenReadingCc() {
        ByteBuffer buffer = CommandHex.buffer(64);
        FabricsCommands.propertyGet(sqe.wrap(buffer, 0), 3, ControllerProperty.CC);

        assertBytes("7f400300 04000000 00000000 00000000 00000000 00000000"
                + " 00000000 00000000 00000000 0000005a"
                + " 00000000 14000000 00000000 00000000 00000000 00000000", buffer, 0);
        assertFalse(FabricsCommands.isPropertySize8(sqe));
        assertEquals(0x14, FabricsCommands.propertyOffset(sqe));
    }

    @Test
    void shouldSetEightByteAttributeWhenReadingCap() {
        ByteBuffer buffer = CommandHex.buffer(64);
        FabricsCommands.propertyGet(sqe.wrap(buffer, 0), 0x0102, ControllerProperty.CAP);

        assertBytes("7f400201 04000000", buffer, 0);
        assertBytes("01000000 00000000 00000000", buffer, 40);
        assertTrue(FabricsCommands.isPropertySize8(sqe));
        assertEquals(FabricsCommandType.PROPERTY_GET, FabricsCommandType.of(sqe.fctype()));
    }

    @Test
    void shouldWriteValueWhenSettingCc() {
        ByteBuffer buffer = CommandHex.buffer(64);
        FabricsCommands.propertySet(sqe.wrap(buffer, 0), 4, ControllerProperty.CC, 0x00460001);

        assertBytes("7f400400 00000000 00000000 00000000 00000000 00000000"
                + " 00000000 00000000 00000000 0000005a"
                + " 00000000 14000000 01004600 00000000 00000000 00000000", buffer, 0);
        assertEquals(0x00460001L, FabricsCommands.propertyValue(sqe));
    }

    @Test
    void shouldDropHighBitsWhenSettingFourByteProperty() {
        FabricsCommands.propertySet(sqe.wrap(CommandHex.buffer(64), 0), 4, 0x14, false, 0xFFFF_FFFF_0046_0001L);

        assertEquals(0x00460001L, FabricsCommands.propertyValue(sqe));
    }

    @Test
    void shouldWriteDisconnectWithNullSglWhenDisconnecting() {
        ByteBuffer buffer = CommandHex.buffer(64);
        FabricsCommands.disconnect(sqe.wrap(buffer, 0), 7, 0);

        assertBytes("7f400700 08000000 00000000 00000000 00000000 00000000"
                + " 00000000 00000000 00000000 0000005a"
                + " 00000000 00000000 00000000 00000000 00000000 00000000", buffer, 0);
    }

    @Test
    void shouldDecodeCntlidAndAuthRequestWhenConnectSucceeds() {
        int dw0 = 0x0002_0001;

        assertEquals(1, ConnectResponse.cntlid(dw0));
        assertTrue(ConnectResponse.isAuthenticationRequired(dw0));
        assertFalse(ConnectResponse.isSecureConcatenationRequired(dw0));
        assertEquals(dw0, ConnectResponse.successDw0(1, true));
    }

    @Test
    void shouldPointIntoConnectDataWhenSubsystemNqnIsInvalid() {
        int dw0 = 0x0001_0100; // IATTR bit 0 set, IPO 256 = SUBNQN

        assertEquals(ConnectDataFlyweight.SUBNQN_OFFSET, ConnectResponse.invalidParameterOffset(dw0));
        assertTrue(ConnectResponse.isInvalidParameterInData(dw0));
        assertEquals(dw0, ConnectResponse.invalidParametersDw0(true, ConnectDataFlyweight.SUBNQN_OFFSET));
        assertFalse(ConnectResponse.isInvalidParameterInData(
                ConnectResponse.invalidParametersDw0(false, FabricsCommands.SQSIZE_OFFSET)));
        assertEquals(44, ConnectResponse.invalidParameterOffset(0x0000_002C));
    }

    @Test
    void shouldWriteDhchapSecurityProtocolWhenSendingAndReceivingAuthentication() {
        ByteBuffer buffer = CommandHex.buffer(64);
        FabricsCommands.authenticationSend(sqe.wrap(buffer, 0), 9, 72);
        // opcode 7Fh, PSDT 01b, CID 9, FCTYPE 05h; SPSP0 01h @41, SPSP1 01h @42, SECP E9h @43, TL 72 @44

        assertBytes("000101e9 48000000", buffer, 40);
        assertEquals(FabricsCommandType.AUTHENTICATION_SEND, FabricsCommandType.of(sqe.fctype()));
        assertTrue(SglDescriptor.isInCapsule(sqe.buffer(), sqe.dptrIndex()));
        assertEquals(72, SglDescriptor.length(sqe.buffer(), sqe.dptrIndex()));
        assertTrue(FabricsCommands.isDhchapSecurityProtocol(sqe));
        assertEquals(72, FabricsCommands.authenticationLength(sqe));

        FabricsCommands.authenticationReceive(sqe, 10, 4096);

        assertEquals(FabricsCommandType.AUTHENTICATION_RECEIVE, FabricsCommandType.of(sqe.fctype()));
        assertTrue(SglDescriptor.isTransportDataBlock(sqe.buffer(), sqe.dptrIndex()));
        assertEquals(4096, FabricsCommands.authenticationLength(sqe));
        buffer.put(FabricsCommands.SECP_OFFSET, (byte) 0xEA);
        assertFalse(FabricsCommands.isDhchapSecurityProtocol(sqe));
    }
}
