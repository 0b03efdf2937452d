package dev.nvmeof.target;

import dev.nvmeof.testkit.NvmeTcpTestClient;
import static dev.nvmeof.target.TargetFixture.NQN;
import static dev.nvmeof.target.TargetFixture.assertStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.nvmeof.protocol.ConnectDataFlyweight;
import dev.nvmeof.protocol.ConnectResponse;
import dev.nvmeof.protocol.FabricsCommands;
import dev.nvmeof.target.TargetFixture.Controller;

/** ICReq/ICResp and Fabrics Connect on admin and I/O queues, including every refusal and the field it names. */
class ConnectTest {
    private static final int SCT_COMMAND_SPECIFIC = 1;
    private static final int CONNECT_INVALID_PARAMETERS = 0x82;
    private static final int CONNECT_INVALID_HOST = 0x84;
    private static final int DYNAMIC = ConnectDataFlyweight.CNTLID_DYNAMIC;

    private TargetFixture fixture;

    @BeforeEach
    void start() throws Exception {
        fixture = new TargetFixture(TargetOptions.defaults().withEventLoops(2), TargetFixture.defaultSubsystem(),
                SubsystemConfig.of("restricted", NamespaceConfig.ram(1, 1 << 20, 512))
                        .withAllowedHosts(Set.of("nqn.2014-08.org.nvmexpress:uuid:someone-else")));
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void shouldGrantRequestedDigestsAndAdvertiseMaxH2cDataWhenIcReqArrives() throws Exception {
        NvmeTcpTestClient both = fixture.open(true, true);
        assertTrue(both.grantedHeaderDigest);
        assertTrue(both.grantedDataDigest);
        assertEquals(128 * 1024, both.maxH2cData);
        NvmeTcpTestClient none = fixture.open(false, false);
        assertFalse(none.grantedHeaderDigest);
        assertFalse(none.grantedDataDigest);
        NvmeTcpTestClient headerOnly = fixture.open(true, false);
        assertTrue(headerOnly.grantedHeaderDigest);
        assertFalse(headerOnly.grantedDataDigest);
        // Digests really are in use: a whole controller bring-up works over the digest connection.
        assertTrue(both.connectAndEnable(NQN, 0) > 0);
    }

    @Test
    void shouldAllocateDistinctCntlidsWhenTwoAdminQueuesConnect() throws Exception {
        NvmeTcpTestClient.Completion a = fixture.open().connect(NQN, 0, DYNAMIC, 31, 0);
        NvmeTcpTestClient.Completion b = fixture.open().connect(NQN, 0, DYNAMIC, 31, 0);
        assertTrue(a.ok(), a.toString());
        assertTrue(b.ok(), b.toString());
        assertNotEquals(ConnectResponse.cntlid(a.dw0()), ConnectResponse.cntlid(b.dw0()));
        assertEquals(2, fixture.target.controllerCount());
    }

    @Test
    void shouldRefuseSqsizeZeroNamingTheSqeField() throws Exception {
        NvmeTcpTestClient.Completion c = fixture.open().connect(NQN, 0, DYNAMIC, 0, 0);
        assertInvalidParameter(c, false, FabricsCommands.SQSIZE_OFFSET);
    }

    @Test
    void shouldRefuseSqsizeAbove127NamingTheSqeField() throws Exception {
        NvmeTcpTestClient.Completion c = fixture.open().connect(NQN, 0, DYNAMIC, 128, 0);
        assertInvalidParameter(c, false, FabricsCommands.SQSIZE_OFFSET);
        Controller ctrl = fixture.controller(NQN, 1);
        NvmeTcpTestClient.Completion io = fixture.open().connect(NQN, 1, ctrl.cntlid(), 200, 0);
        assertInvalidParameter(io, false, FabricsCommands.SQSIZE_OFFSET);
    }

    @Test
    void shouldRefuseUnknownSubsystemWithIattr1Ipo256() throws Exception {
        NvmeTcpTestClient.Completion c = fixture.open().connect("nqn.no-such-subsystem", 0, DYNAMIC, 31, 0);
        assertInvalidParameter(c, true, ConnectDataFlyweight.SUBNQN_OFFSET);
        assertEquals(256, ConnectResponse.invalidParameterOffset(c.dw0()));
        assertEquals(1, ConnectResponse.invalidAttributes(c.dw0()));
        assertEquals(0, fixture.target.controllerCount());
    }

    @Test
    void shouldRefuseHostNotAllowedWithConnectInvalidHost() throws Exception {
        NvmeTcpTestClient.Completion c = fixture.open().connect("restricted", 0, DYNAMIC, 31, 0);
        assertStatus(c, SCT_COMMAND_SPECIFIC, CONNECT_INVALID_HOST);
        assertTrue(c.dnr(), c.toString());
        assertEquals(0, fixture.target.controllerCount());
    }

    @Test
    void shouldRefuseIoQueueWhenCntlidIsUnknown() throws Exception {
        fixture.controller(NQN, 1);
        NvmeTcpTestClient.Completion c = fixture.open().connect(NQN, 1, 0x1234, 127, 0);
        assertInvalidParameter(c, true, ConnectDataFlyweight.CNTLID_OFFSET);
    }

    @Test
    void shouldRefuseIoQueueWhenQidIsBeyondTheGrantedQueues() throws Exception {
        Controller ctrl = fixture.controller(NQN, 2);
        NvmeTcpTestClient.Completion c = fixture.open().connect(NQN, 3, ctrl.cntlid(), 127, 0);
        assertInvalidParameter(c, false, FabricsCommands.QID_OFFSET);
        assertTrue(fixture.open().connect(NQN, 2, ctrl.cntlid(), 127, 0).ok());
    }

    @Test
    void shouldRefuseASecondConnectForTheSameQid() throws Exception {
        Controller ctrl = fixture.controller(NQN, 1);
        fixture.ioQueue(NQN, ctrl.cntlid(), 1);
        NvmeTcpTestClient.Completion c = fixture.open().connect(NQN, 1, ctrl.cntlid(), 127, 0);
        assertInvalidParameter(c, false, FabricsCommands.QID_OFFSET);
    }

    @Test
    void shouldRefuseIoQueueConnectBeforeTheControllerIsEnabled() throws Exception {
        NvmeTcpTestClient admin = fixture.open();
        NvmeTcpTestClient.Completion connect = admin.connect(NQN, 0, DYNAMIC, 31, 0);
        assertTrue(connect.ok());
        NvmeTcpTestClient.Completion c = fixture.open().connect(NQN, 1, ConnectResponse.cntlid(connect.dw0()), 127, 0);
        assertStatus(c, 0, 0x0C);
    }

    @Test
    void shouldConnectIoQueueAndMoveDataWhenParametersAreValid() throws Exception {
        NvmeTcpTestClient io = fixture.defaultIoQueue();
        TargetFixture.assertIoWorks(io, 7);
    }

    @Test
    void shouldRefuseCommandsOtherThanConnectBeforeConnect() throws Exception {
        NvmeTcpTestClient host = fixture.open();
        NvmeTcpTestClient.Completion c = host.propertyGet(dev.nvmeof.protocol.ControllerProperty.CAP);
        assertStatus(c, 0, 0x0C);
    }

    private static void assertInvalidParameter(NvmeTcpTestClient.Completion c, boolean inData, int offset) {
        assertStatus(c, SCT_COMMAND_SPECIFIC, CONNECT_INVALID_PARAMETERS);
        assertTrue(c.dnr(), c.toString());
        assertEquals(inData, ConnectResponse.isInvalidParameterInData(c.dw0()), c.toString());
        assertEquals(offset, ConnectResponse.invalidParameterOffset(c.dw0()), c.toString());
    }
}
