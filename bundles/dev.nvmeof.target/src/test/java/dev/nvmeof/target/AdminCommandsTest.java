package dev.nvmeof.target;

import dev.nvmeof.testkit.NvmeTcpTestClient;
import static dev.nvmeof.target.TargetFixture.NQN;
import static dev.nvmeof.target.TargetFixture.assertStatus;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.nvmeof.protocol.AdminCommands;
import dev.nvmeof.protocol.AsyncEvent;
import dev.nvmeof.protocol.ConnectDataFlyweight;
import dev.nvmeof.protocol.ControllerProperty;
import dev.nvmeof.protocol.FeatureId;
import dev.nvmeof.protocol.IdentifyCns;
import dev.nvmeof.protocol.IdentifyControllerFlyweight;
import dev.nvmeof.protocol.IdentifyNamespaceFlyweight;
import dev.nvmeof.protocol.LogPageId;
import dev.nvmeof.protocol.NamespaceIdDescriptor;
import dev.nvmeof.protocol.NamespaceIdDescriptorListFlyweight;
import dev.nvmeof.protocol.NamespaceListFlyweight;
import dev.nvmeof.protocol.SmartLogFlyweight;

/** Properties (the CC/CSTS state machine), Identify, Set/Get Features, Keep Alive and Get Log Page 01h/02h. */
class AdminCommandsTest {
    private static final int CC_ENABLE = 0x00460001;
    private static final int SEQUENCE_ERROR = 0x0C;
    private static final int INVALID_NAMESPACE = 0x0B;
    private static final int INVALID_FIELD = 0x02;

    private TargetFixture fixture;
    private NvmeTcpTestClient admin;
    private int cntlid;

    @BeforeEach
    void start() throws Exception {
        fixture = new TargetFixture(TargetOptions.defaults().withEventLoops(2),
                SubsystemConfig.of(NQN, NamespaceConfig.ram(1, TargetFixture.NS_BYTES, 512),
                        NamespaceConfig.ram(3, 1 << 20, 4096)).withMaxIoQueues(4));
        admin = fixture.open();
        NvmeTcpTestClient.Completion c = admin.connect(NQN, 0, ConnectDataFlyweight.CNTLID_DYNAMIC, 31, 0);
        assertTrue(c.ok(), c.toString());
        cntlid = c.dw0() & 0xFFFF;
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private void enable() throws Exception {
        assertTrue(admin.propertySet(ControllerProperty.CC, CC_ENABLE).ok());
        assertEquals(1, admin.propertyGet(ControllerProperty.CSTS).dw0() & 1);
    }

    @Test
    void shouldReportCapAndVsWhenPropertiesAreRead() throws Exception {
        NvmeTcpTestClient.Completion cap = admin.propertyGet(ControllerProperty.CAP);
        assertTrue(cap.ok());
        long value = (cap.dw0() & 0xFFFFFFFFL) | (long) cap.dw1() << 32;
        assertEquals(127, value & 0xFFFF, "MQES");
        assertEquals(1, (value >>> 16) & 1, "CQR");
        assertEquals(1, (value >>> 37) & 1, "CSS NVM");
        assertEquals(0x00010300, admin.propertyGet(ControllerProperty.VS).dw0());
        assertEquals(0, admin.propertyGet(ControllerProperty.CC).dw0());
        assertEquals(0, admin.propertyGet(ControllerProperty.CSTS).dw0());
    }

    @Test
    void shouldSetCstsRdyWhenCcEnIsWritten() throws Exception {
        enable();
        assertEquals(CC_ENABLE, admin.propertyGet(ControllerProperty.CC).dw0());
        assertTrue(admin.propertySet(ControllerProperty.CC, 0x00460000).ok());
        assertEquals(0, admin.propertyGet(ControllerProperty.CSTS).dw0() & 1, "RDY cleared by CC.EN = 0");
    }

    @Test
    void shouldSetCstsCfsWhenIosqesIsNot6() throws Exception {
        assertTrue(admin.propertySet(ControllerProperty.CC, 0x00450001).ok());
        int csts = admin.propertyGet(ControllerProperty.CSTS).dw0();
        assertEquals(0, csts & 1, "not ready");
        assertEquals(2, csts & 2, "CFS");
        assertStatus(identify(IdentifyCns.CONTROLLER.code(), 0, null), 0, SEQUENCE_ERROR);
    }

    @Test
    void shouldReportShutdownCompleteWhenCcShnIsWritten() throws Exception {
        enable();
        assertTrue(admin.propertySet(ControllerProperty.CC, CC_ENABLE | 1 << 14).ok());
        assertEquals(2, (admin.propertyGet(ControllerProperty.CSTS).dw0() >>> 2) & 3, "SHST complete");
    }

    @Test
    void shouldRefuseWritesToReadOnlyProperties() throws Exception {
        assertStatus(admin.propertySet(ControllerProperty.CSTS, 1), 0, INVALID_FIELD);
    }

    @Test
    void shouldFailIdentifyWithSequenceErrorBeforeCcEn() throws Exception {
        assertStatus(identify(IdentifyCns.CONTROLLER.code(), 0, null), 0, SEQUENCE_ERROR);
    }

    @Test
    void shouldIdentifyControllerAndNamespacesWhenEnabled() throws Exception {
        enable();
        ByteBuffer data = page();
        assertTrue(identify(IdentifyCns.CONTROLLER.code(), 0, data).ok());
        IdentifyControllerFlyweight ctrl = new IdentifyControllerFlyweight().wrap(data, 0);
        assertEquals(NQN, ctrl.subnqn());
        assertEquals(1, ctrl.cntrltype(), "I/O controller");
        assertEquals(3, ctrl.aerl());

        data = page();
        assertTrue(identify(IdentifyCns.NAMESPACE.code(), 3, data).ok());
        IdentifyNamespaceFlyweight ns = new IdentifyNamespaceFlyweight().wrap(data, 0);
        assertEquals(256, ns.nsze());
        assertEquals(12, data.get(128 + 2), "LBADS of LBA format 0: 4096-byte blocks");

        data = page();
        assertTrue(identify(IdentifyCns.ACTIVE_NAMESPACE_LIST.code(), 0, data).ok());
        assertArrayEquals(new int[] {1, 3}, new NamespaceListFlyweight().wrap(data, 0).toArray());
        data = page();
        assertTrue(identify(IdentifyCns.ACTIVE_NAMESPACE_LIST.code(), 1, data).ok());
        assertArrayEquals(new int[] {3}, new NamespaceListFlyweight().wrap(data, 0).toArray());

        data = page();
        assertTrue(identify(IdentifyCns.NAMESPACE_ID_DESCRIPTORS.code(), 1, data).ok());
        assertEquals(2, new NamespaceIdDescriptorListFlyweight().wrap(data, 0).count());
        assertTrue(new NamespaceIdDescriptorListFlyweight().wrap(data, 0).toRecords().stream()
                .anyMatch(d -> d.nidt() == NamespaceIdDescriptor.NIDT_UUID));
    }

    @Test
    void shouldFailIdentifyWithInvalidNamespaceWhenNsidIsInvalid() throws Exception {
        enable();
        assertStatus(identify(IdentifyCns.NAMESPACE.code(), 0, page()), 0, INVALID_NAMESPACE);
        assertStatus(identify(IdentifyCns.NAMESPACE.code(), 0xFFFFFFFF, page()), 0, INVALID_NAMESPACE);
        assertStatus(identify(IdentifyCns.NAMESPACE_ID_DESCRIPTORS.code(), 2, page()), 0, INVALID_NAMESPACE);
        assertStatus(identify(IdentifyCns.ACTIVE_NAMESPACE_LIST.code(), 0xFFFFFFFE, page()), 0, INVALID_NAMESPACE);
        // An allocated-but-inactive NSID of Identify Namespace returns zeroes, as the spec says.
        ByteBuffer data = page();
        assertTrue(identify(IdentifyCns.NAMESPACE.code(), 2, data).ok());
        assertEquals(0, new IdentifyNamespaceFlyweight().wrap(data, 0).nsze());
    }

    @Test
    void shouldGrantMinOfRequestedAndMaxIoQueuesWhenNumberOfQueuesIsSet() throws Exception {
        enable();
        NvmeTcpTestClient.Completion few = admin.command(sqe -> AdminCommands.setNumberOfQueues(sqe, 0, 2, 2), null, null);
        assertEquals(2, AdminCommands.grantedSubmissionQueues(few.dw0()));
        assertEquals(2, AdminCommands.grantedCompletionQueues(few.dw0()));
        NvmeTcpTestClient.Completion many = admin.command(sqe -> AdminCommands.setNumberOfQueues(sqe, 0, 64, 64), null, null);
        assertEquals(4, AdminCommands.grantedSubmissionQueues(many.dw0()));
        assertEquals(4, AdminCommands.grantedCompletionQueues(many.dw0()));
        NvmeTcpTestClient.Completion get = admin.command(
                sqe -> AdminCommands.getFeatures(sqe, 0, FeatureId.NUMBER_OF_QUEUES.code(), 0), null, null);
        assertEquals(4, AdminCommands.grantedSubmissionQueues(get.dw0()));
    }

    @Test
    void shouldRoundTripKeepAliveTimerAndAsyncEventConfigFeatures() throws Exception {
        enable();
        assertTrue(admin.command(sqe -> AdminCommands.setKeepAliveTimer(sqe, 0, 15000), null, null).ok());
        assertEquals(15000, admin.command(
                sqe -> AdminCommands.getFeatures(sqe, 0, FeatureId.KEEP_ALIVE_TIMER.code(), 0), null, null).dw0());
        assertTrue(admin.command(sqe -> AdminCommands.setAsyncEventConfig(sqe, 0, 0), null, null).ok());
        assertEquals(0, admin.command(
                sqe -> AdminCommands.getFeatures(sqe, 0, FeatureId.ASYNC_EVENT_CONFIG.code(), 0), null, null).dw0());
        assertTrue(admin.command(sqe -> AdminCommands.setAsyncEventConfig(sqe, 0,
                AsyncEvent.CONFIG_NAMESPACE_ATTRIBUTE_NOTICES), null, null).ok());
        assertEquals(AsyncEvent.CONFIG_NAMESPACE_ATTRIBUTE_NOTICES, admin.command(
                sqe -> AdminCommands.getFeatures(sqe, 0, FeatureId.ASYNC_EVENT_CONFIG.code(), 0), null, null).dw0());
    }

    @Test
    void shouldRefuseSavingAFeature() throws Exception {
        enable();
        NvmeTcpTestClient.Completion c = admin.command(
                sqe -> AdminCommands.setFeatures(sqe, 0, FeatureId.KEEP_ALIVE_TIMER.code(), 1000, true), null, null);
        assertStatus(c, 1, 0x0D);
    }

    @Test
    void shouldCompleteKeepAlive() throws Exception {
        enable();
        assertTrue(admin.command(sqe -> AdminCommands.keepAlive(sqe, 0), null, null).ok());
    }

    @Test
    void shouldReturnErrorAndSmartLogPages() throws Exception {
        enable();
        ByteBuffer error = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        assertTrue(admin.command(sqe -> AdminCommands.getLogPage(sqe, 0, LogPageId.ERROR.code(), 0xFFFFFFFF, 64, 0,
                false), null, error).ok());
        assertArrayEquals(new byte[64], error.array(), "no errors logged");

        NvmeTcpTestClient io = fixture.ioQueue(NQN, cntlid, 1);
        TargetFixture.write(io, 1, 0, TargetFixture.pattern(4096, 3));
        ByteBuffer smart = ByteBuffer.allocate(512).order(ByteOrder.LITTLE_ENDIAN);
        assertTrue(admin.command(sqe -> AdminCommands.getLogPage(sqe, 0, LogPageId.SMART.code(), 0xFFFFFFFF, 512, 0,
                false), null, smart).ok());
        assertEquals(100, smart.get(SmartLogFlyweight.AVAILABLE_SPARE_OFFSET));
        assertEquals(1, smart.getLong(SmartLogFlyweight.HOST_WRITE_COMMANDS_OFFSET));
        assertEquals(1, smart.getLong(SmartLogFlyweight.DATA_UNITS_WRITTEN_OFFSET),
                "4 KiB = 8 units of 512 bytes, reported in thousands rounded up");
    }

    @Test
    void shouldFailUnknownAdminOpcodeAndUnknownLogPage() throws Exception {
        enable();
        assertStatus(admin.command(sqe -> sqe.clear().opcode(0x55).psdt(1), null, null), 0, 0x01);
        assertStatus(admin.command(sqe -> AdminCommands.getLogPage(sqe, 0, 0x33, 0xFFFFFFFF, 512, 0, false), null,
                ByteBuffer.allocate(512)), 0, INVALID_FIELD);
    }

    private NvmeTcpTestClient.Completion identify(int cns, int nsid, ByteBuffer data) throws Exception {
        return admin.command(sqe -> AdminCommands.identify(sqe, 0, cns, nsid, 0), null, data == null ? page() : data);
    }

    private static ByteBuffer page() {
        return ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
    }
}
