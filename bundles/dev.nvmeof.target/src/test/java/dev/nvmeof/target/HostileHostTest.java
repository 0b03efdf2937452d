package dev.nvmeof.target;

import static dev.nvmeof.target.TargetFixture.NQN;
import static dev.nvmeof.target.TargetFixture.assertStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.nvmeof.protocol.AdminCommands;
import dev.nvmeof.protocol.ConnectDataFlyweight;
import dev.nvmeof.protocol.DsmRangeFlyweight;
import dev.nvmeof.protocol.LogPageId;
import dev.nvmeof.protocol.NvmCommands;
import dev.nvmeof.testkit.NvmeTcpTestClient;

/**
 * What one host sends cannot hurt the target or other hosts: numbers from the wire that would overflow are answered
 * with a status, connection and controller caps refuse cleanly, and I/O queues belong to the host that made the
 * controller.
 */
@Timeout(60)
class HostileHostTest {
    private static final int LBA_OUT_OF_RANGE = 0x80;
    private static final int INVALID_FIELD = 0x02;

    @Test
    void shouldAnswerLbaOutOfRangeWhenADsmRangeRunsPastTheEndOfTheLbaSpace() throws Exception {
        try (TargetFixture fixture = TargetFixture.start()) {
            NvmeTcpTestClient io = fixture.defaultIoQueue();
            long[][] ranges = {
                {0x7FFF_FFFF_FFFF_FFF0L, 256}, // SLBA + NLB passes 2^63
                {0xFFFF_FFFF_FFFF_FFF0L, 256}, // an unsigned SLBA beyond 2^63
                {TargetFixture.NS_BLOCKS - 1, 0xFFFF_FFFFL}, // NLB 2^32-1 from the last block
                {TargetFixture.NS_BLOCKS, 1}, // just past the end
            };
            for (long[] range : ranges) {
                for (boolean deallocate : new boolean[] {true, false}) {
                    assertStatus(dsm(io, deallocate, range[0], range[1]), 0, LBA_OUT_OF_RANGE);
                }
            }
            assertTrue(dsm(io, true, TargetFixture.NS_BLOCKS - 8, 8).ok(), "a range ending at the last block is fine");
            TargetFixture.assertIoWorks(io, 7);
        }
    }

    @Test
    void shouldAnswerLbaOutOfRangeWhenReadWriteOrWriteZeroesRangesOverflow() throws Exception {
        try (TargetFixture fixture = TargetFixture.start()) {
            NvmeTcpTestClient io = fixture.defaultIoQueue();
            for (long slba : new long[] {0x7FFF_FFFF_FFFF_FFF0L, -1L, Long.MIN_VALUE, TargetFixture.NS_BLOCKS}) {
                assertStatus(io.command(sqe -> NvmCommands.read(sqe, 0, 1, slba, 256, false), null,
                        ByteBuffer.allocate(256 * 512)), 0, LBA_OUT_OF_RANGE);
                assertStatus(io.command(sqe -> NvmCommands.write(sqe, 0, 1, slba, 1, false), ByteBuffer.allocate(512),
                        null), 0, LBA_OUT_OF_RANGE);
                assertStatus(io.command(sqe -> NvmCommands.writeZeroes(sqe, 0, 1, slba, NvmCommands.MAX_BLOCKS,
                        false), null, null), 0, LBA_OUT_OF_RANGE);
            }
            TargetFixture.assertIoWorks(io, 8);
        }
    }

    @Test
    void shouldAnswerInvalidFieldWhenALogPageOffsetIsNegativeOrOutsideThePage() throws Exception {
        try (TargetFixture fixture = TargetFixture.start()) {
            NvmeTcpTestClient admin = fixture.controller(NQN, 1).admin();
            ByteBuffer page = ByteBuffer.allocate(512);
            for (int offsetHigh : new int[] {0x8000_0000, 0xFFFF_FFFF, 1}) {
                assertStatus(admin.command(sqe -> {
                    AdminCommands.getLogPage(sqe, 0, LogPageId.SMART.code(), 0xFFFFFFFF, 512, 0, false);
                    sqe.cdw13(offsetHigh);
                }, null, page), 0, INVALID_FIELD);
            }
            assertTrue(admin.command(sqe -> AdminCommands.keepAlive(sqe, 0), null, null).ok(), "the queue serves on");
        }
    }

    @Test
    void shouldRefuseAnIoQueueConnectWhoseHostIdIsNotTheAdminQueuesOne() throws Exception {
        try (TargetFixture fixture = TargetFixture.start()) {
            int cntlid = fixture.controller(NQN, 2).cntlid();
            NvmeTcpTestClient stranger = fixture.open();
            NvmeTcpTestClient.Completion refused = stranger.connect(NQN, NvmeTcpTestClient.HOST_NQN,
                    UUID.fromString("00000000-0000-0000-0000-0000000000ff"), 1, cntlid, 31, 0, 0);
            assertStatus(refused, 1, 0x82); // Connect Invalid Parameters
            assertEquals(1, (refused.dw0() >>> 16) & 1, "IATTR: in the Connect data");
            assertEquals(ConnectDataFlyweight.HOSTID_OFFSET, refused.dw0() & 0xFFFF, "IPO: the Host ID");
            assertTrue(fixture.ioQueue(NQN, cntlid, 1) != null, "the owner's own Host ID still connects");
        }
    }

    @Test
    void shouldRefuseAControllerBeyondMaxControllersWithControllerBusy() throws Exception {
        try (TargetFixture fixture = new TargetFixture(TargetOptions.defaults().withEventLoops(2)
                .withMaxControllers(2), TargetFixture.defaultSubsystem())) {
            fixture.controller(NQN, 1);
            TargetFixture.Controller second = fixture.controller(NQN, 1);
            NvmeTcpTestClient third = fixture.open();
            NvmeTcpTestClient.Completion busy = third.connect(NQN, 0, ConnectDataFlyweight.CNTLID_DYNAMIC, 31, 0);
            assertStatus(busy, 1, 0x81);
            assertTrue(busy.dnr(), "do not retry at once: " + busy);
            second.admin().close();
            fixture.target.checkDeadlines().get(10, TimeUnit.SECONDS); // reads the close: the controller goes
            assertTrue(fixture.open().connect(NQN, 0, ConnectDataFlyweight.CNTLID_DYNAMIC, 31, 0).ok(),
                    "room again once a controller is gone");
        }
    }

    @Test
    void shouldCloseConnectionsBeyondTheCapsAtAcceptAndServeOtherAddresses() throws Exception {
        InetAddress first = InetAddress.getByName("127.0.0.1");
        InetAddress second = InetAddress.getByName("127.0.0.2");
        InetAddress third = InetAddress.getByName("127.0.0.3");
        try (TargetFixture fixture = new TargetFixture(TargetOptions.defaults().withEventLoops(2)
                .withMaxConnectionsPerAddress(2).withMaxConnections(3), TargetFixture.defaultSubsystem())) {
            NvmeTcpTestClient a1 = fixture.track(NvmeTcpTestClient.openFrom(first, fixture.address));
            fixture.track(NvmeTcpTestClient.openFrom(first, fixture.address));
            assertClosedAtAccept(first, fixture.address);
            fixture.track(NvmeTcpTestClient.openFrom(second, fixture.address));
            assertClosedAtAccept(third, fixture.address); // three open in total
            assertEquals(2, fixture.target.refusedConnections());

            a1.close();
            fixture.target.checkDeadlines().get(10, TimeUnit.SECONDS); // reads the close
            NvmeTcpTestClient again = fixture.track(NvmeTcpTestClient.openFrom(third, fixture.address));
            int cntlid = again.connectAndEnable(NQN, 0);
            assertTrue(cntlid > 0, "a host under the caps is served");
            assertEquals(3, fixture.target.connectionCount());
        }
    }

    /** DSM ranges go in-capsule, like Linux sends them. */
    private static NvmeTcpTestClient.Completion dsm(NvmeTcpTestClient io, boolean deallocate, long slba, long blocks)
            throws IOException {
        ByteBuffer ranges = ByteBuffer.allocate(DsmRangeFlyweight.LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        new DsmRangeFlyweight().wrap(ranges, 0).set(0, slba, blocks);
        return io.command(sqe -> NvmCommands.datasetManagement(sqe, 0, 1, 1, deallocate), ranges, null);
    }

    private static void assertClosedAtAccept(InetAddress from, InetSocketAddress target) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(from, 0));
            socket.connect(target, 5000);
            socket.setSoTimeout(5000);
            InputStream in = socket.getInputStream();
            assertEquals(-1, in.read(), "closed without a byte from " + from.getHostAddress());
        }
    }
}
