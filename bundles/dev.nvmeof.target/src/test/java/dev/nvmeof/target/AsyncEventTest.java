package dev.nvmeof.target;

import dev.nvmeof.testkit.NvmeTcpTestClient;
import static dev.nvmeof.target.TargetFixture.NQN;
import static dev.nvmeof.target.TargetFixture.assertStatus;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.nvmeof.protocol.AdminCommands;
import dev.nvmeof.protocol.AsyncEvent;
import dev.nvmeof.protocol.ChangedNamespaceListFlyweight;
import dev.nvmeof.protocol.DiscoveryLogEntry;
import dev.nvmeof.protocol.DiscoveryLogEntryFlyweight;
import dev.nvmeof.protocol.DiscoveryLogPageFlyweight;
import dev.nvmeof.protocol.LogPageId;

/** Asynchronous Event Requests, the Changed Namespace List, and the discovery log of a discovery controller. */
class AsyncEventTest {
    private TargetFixture fixture;
    private NvmeTcpTestClient admin;

    @BeforeEach
    void start() throws Exception {
        fixture = TargetFixture.start();
        admin = fixture.controller(NQN, 1).admin();
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void shouldRefuseTheFifthOutstandingAerWithLimitExceeded() throws Exception {
        for (int i = 0; i < 4; i++) {
            AdminCommands.asyncEventRequest(admin.sqe, admin.cid());
            admin.send(null, null);
        }
        NvmeTcpTestClient.Completion fifth = admin.command(sqe -> AdminCommands.asyncEventRequest(sqe, 0), null, null);
        assertStatus(fifth, 1, 0x05);
        assertTrue(fifth.dnr());
        assertTrue(admin.command(sqe -> AdminCommands.keepAlive(sqe, 0), null, null).ok(), "queue still serves");
    }

    @Test
    void shouldCompleteAerAndListTheNsidOnceWhenANamespaceIsAdded() throws Exception {
        int aer = sendAer();
        fixture.target.addNamespace(NQN, NamespaceConfig.ram(5, 1 << 20, 512));
        assertNamespaceAttributeChanged(admin.await(aer));
        assertArrayEquals(new int[] {5}, changedNamespaces());
        assertArrayEquals(new int[0], changedNamespaces(), "reading the log cleared it");
    }

    @Test
    void shouldCompleteAerAndListTheNsidWhenANamespaceIsRemoved() throws Exception {
        int first = sendAer();
        fixture.target.addNamespace(NQN, NamespaceConfig.ram(6, 1 << 20, 512));
        assertNamespaceAttributeChanged(admin.await(first));
        assertArrayEquals(new int[] {6}, changedNamespaces()); // clears the add and unmasks the notice
        int aer = sendAer();
        fixture.target.removeNamespace(NQN, 6);
        assertNamespaceAttributeChanged(admin.await(aer));
        assertArrayEquals(new int[] {6}, changedNamespaces());
        assertArrayEquals(new int[0], changedNamespaces());
    }

    @Test
    void shouldCompleteAnAerOnceWhenTheEventHappenedBeforeIt() throws Exception {
        fixture.target.addNamespace(NQN, NamespaceConfig.ram(7, 1 << 20, 512));
        // The event waits for an AER; the change is queued on the admin loop, so a command round trip orders it.
        assertTrue(admin.command(sqe -> AdminCommands.keepAlive(sqe, 0), null, null).ok());
        assertNamespaceAttributeChanged(admin.command(sqe -> AdminCommands.asyncEventRequest(sqe, 0), null, null));
        // One CQE only: the queue's slots are intact and the next commands complete normally.
        for (int i = 0; i < 3; i++) {
            assertTrue(admin.command(sqe -> AdminCommands.keepAlive(sqe, 0), null, null).ok());
        }
        assertEquals(0, admin.pendingCompletions(), "no duplicate completion");
        assertArrayEquals(new int[] {7}, changedNamespaces());
    }

    @Test
    void shouldListTheSubsystemAndTheCurrentDiscoverySubsystemInTheDiscoveryLog() throws Exception {
        NvmeTcpTestClient discovery = fixture.open();
        discovery.connectAndEnable(NvmeTarget.DISCOVERY_NQN, 0);
        ByteBuffer page = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        NvmeTcpTestClient.Completion c = discovery.command(sqe -> AdminCommands.getLogPage(sqe, 0, LogPageId.DISCOVERY.code(),
                0, 4096, 0, false), null, page);
        assertTrue(c.ok(), c.toString());
        DiscoveryLogPageFlyweight log = new DiscoveryLogPageFlyweight().wrap(page, 0);
        assertEquals(2, log.numrec());
        List<DiscoveryLogEntry> entries = log.entries();
        assertEquals(NQN, entries.get(0).subnqn());
        assertEquals(DiscoveryLogEntryFlyweight.SUBTYPE_NVM, entries.get(0).subtype());
        assertEquals(DiscoveryLogEntryFlyweight.TRTYPE_TCP, entries.get(0).trtype());
        assertEquals(Integer.toString(fixture.address.getPort()), entries.get(0).trsvcid());
        assertEquals("127.0.0.1", entries.get(0).traddr());
        assertEquals(NvmeTarget.DISCOVERY_NQN, entries.get(1).subnqn());
        assertEquals(DiscoveryLogEntryFlyweight.SUBTYPE_CURRENT_DISCOVERY, entries.get(1).subtype());
    }

    @Test
    void shouldRefuseNvmLogPagesOnADiscoveryController() throws Exception {
        NvmeTcpTestClient discovery = fixture.open();
        discovery.connectAndEnable(NvmeTarget.DISCOVERY_NQN, 0);
        NvmeTcpTestClient.Completion c = discovery.command(sqe -> AdminCommands.getLogPage(sqe, 0, LogPageId.SMART.code(),
                0xFFFFFFFF, 512, 0, false), null, ByteBuffer.allocate(512));
        assertStatus(c, 0, 0x02);
    }

    private int sendAer() throws Exception {
        AdminCommands.asyncEventRequest(admin.sqe, admin.cid());
        return admin.send(null, null);
    }

    private static void assertNamespaceAttributeChanged(NvmeTcpTestClient.Completion c) {
        assertTrue(c.ok(), c.toString());
        assertEquals(2, AsyncEvent.type(c.dw0()), "notice");
        assertEquals(AsyncEvent.NOTICE_NAMESPACE_ATTRIBUTE_CHANGED, AsyncEvent.info(c.dw0()));
        assertEquals(LogPageId.CHANGED_NAMESPACE_LIST.code(), AsyncEvent.logPageId(c.dw0()));
        assertEquals(0x04, AsyncEvent.logPageId(c.dw0()));
    }

    private int[] changedNamespaces() throws Exception {
        ByteBuffer page = ByteBuffer.allocate(ChangedNamespaceListFlyweight.LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        NvmeTcpTestClient.Completion c = admin.command(sqe -> AdminCommands.getLogPage(sqe, 0,
                LogPageId.CHANGED_NAMESPACE_LIST.code(), 0xFFFFFFFF, ChangedNamespaceListFlyweight.LENGTH, 0, false),
                null, page);
        assertTrue(c.ok(), c.toString());
        return new ChangedNamespaceListFlyweight().wrap(page, 0).toArray();
    }
}
