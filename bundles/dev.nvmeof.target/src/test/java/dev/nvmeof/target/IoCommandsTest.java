package dev.nvmeof.target;

import dev.nvmeof.testkit.NvmeTcpTestClient;
import static dev.nvmeof.target.TargetFixture.NQN;
import static dev.nvmeof.target.TargetFixture.NS_BLOCKS;
import static dev.nvmeof.target.TargetFixture.assertStatus;
import static dev.nvmeof.target.TargetFixture.pattern;
import static dev.nvmeof.target.TargetFixture.read;
import static dev.nvmeof.target.TargetFixture.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.nvmeof.protocol.DsmRangeFlyweight;
import dev.nvmeof.protocol.FabricsCommands;
import dev.nvmeof.protocol.NvmCommands;
import dev.nvmeof.target.TargetFixture.Controller;

/** NVM commands on an I/O queue, SQ flow control disabled, and Disconnect. */
class IoCommandsTest {
    private TargetFixture fixture;
    private Controller controller;
    private NvmeTcpTestClient io;

    @BeforeEach
    void start() throws Exception {
        fixture = TargetFixture.start();
        controller = fixture.controller(NQN, 2);
        io = fixture.ioQueue(NQN, controller.cntlid(), 1);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void shouldWriteInCapsuleAndReadBack() throws Exception {
        byte[] data = pattern(8192, 1);
        write(io, 1, 10, data);
        assertEquals(0, io.r2tCount, "8 KiB travels in the capsule");
        assertArrayEquals(data, read(io, 1, 10, 16));
    }

    @Test
    void shouldWriteThroughR2tWhenDataExceeds8KiB() throws Exception {
        byte[] data = pattern(128 * 1024, 2);
        write(io, 1, 1000, data);
        assertEquals(1, io.r2tCount);
        assertArrayEquals(data, read(io, 1, 1000, 256));
    }

    @Test
    void shouldReadZeroesAfterWriteZeroes() throws Exception {
        write(io, 1, 20, pattern(4096, 3));
        NvmeTcpTestClient.Completion c = io.command(sqe -> NvmCommands.writeZeroes(sqe, 0, 1, 21, 2, false), null, null);
        assertTrue(c.ok(), c.toString());
        byte[] back = read(io, 1, 20, 8);
        assertArrayEquals(new byte[1024], java.util.Arrays.copyOfRange(back, 512, 1536));
        assertArrayEquals(java.util.Arrays.copyOfRange(pattern(4096, 3), 1536, 4096),
                java.util.Arrays.copyOfRange(back, 1536, 4096), "blocks after the range untouched");
    }

    @Test
    void shouldReadZeroesAfterDatasetManagementDeallocate() throws Exception {
        write(io, 1, 40, pattern(8192, 4));
        ByteBuffer ranges = ByteBuffer.allocate(2 * DsmRangeFlyweight.LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        new DsmRangeFlyweight().wrap(ranges, 0).set(0, 40, 4);
        new DsmRangeFlyweight().wrap(ranges, DsmRangeFlyweight.LENGTH).set(0, 50, 2);
        NvmeTcpTestClient.Completion c = io.command(sqe -> NvmCommands.datasetManagement(sqe, 0, 1, 2, true), ranges, null);
        assertTrue(c.ok(), c.toString());
        byte[] back = read(io, 1, 40, 16);
        byte[] expected = pattern(8192, 4);
        java.util.Arrays.fill(expected, 0, 4 * 512, (byte) 0);
        java.util.Arrays.fill(expected, 10 * 512, 12 * 512, (byte) 0);
        assertArrayEquals(expected, back);
    }

    @Test
    void shouldCompleteFlushOnRamNamespace() throws Exception {
        assertTrue(io.command(sqe -> NvmCommands.flush(sqe, 0, 1), null, null).ok());
        assertTrue(io.command(sqe -> NvmCommands.flush(sqe, 0, 0xFFFFFFFF), null, null).ok());
        assertStatus(io.command(sqe -> NvmCommands.flush(sqe, 0, 9), null, null), 0, 0x0B);
    }

    @Test
    void shouldFailWithLbaOutOfRangeWhenTheRangeEndsPastTheNamespace() throws Exception {
        assertStatus(io.command(sqe -> NvmCommands.read(sqe, 0, 1, NS_BLOCKS - 1, 2, false), null,
                ByteBuffer.allocate(1024)), 0, 0x80);
        assertStatus(io.command(sqe -> NvmCommands.write(sqe, 0, 1, NS_BLOCKS, 1, false), ByteBuffer.allocate(512),
                null), 0, 0x80);
        assertStatus(io.command(sqe -> NvmCommands.writeZeroes(sqe, 0, 1, NS_BLOCKS - 1, 2, false), null, null),
                0, 0x80);
        assertTrue(io.command(sqe -> NvmCommands.read(sqe, 0, 1, NS_BLOCKS - 1, 1, false), null,
                ByteBuffer.allocate(512)).ok(), "the last block itself is fine");
    }

    @Test
    void shouldFailWithInvalidNamespaceWhenNsidIsUnknown() throws Exception {
        assertStatus(io.command(sqe -> NvmCommands.read(sqe, 0, 7, 0, 1, false), null, ByteBuffer.allocate(512)),
                0, 0x0B);
        assertStatus(io.command(sqe -> NvmCommands.write(sqe, 0, 7, 0, 1, false), ByteBuffer.allocate(512), null),
                0, 0x0B);
    }

    @Test
    void shouldFailWithDataSglLengthInvalidWhenSglDisagreesWithBlocks() throws Exception {
        NvmeTcpTestClient.Completion read = io.command(sqe -> {
            NvmCommands.read(sqe, 0, 1, 0, 8, false);
            sqe.sglTransportDataBlock(512);
        }, null, ByteBuffer.allocate(512));
        assertStatus(read, 0, 0x0F);
        NvmeTcpTestClient.Completion write = io.command(sqe -> NvmCommands.write(sqe, 0, 1, 0, 2, false), ByteBuffer.allocate(
                512), null);
        assertStatus(write, 0, 0x0F);
        TargetFixture.assertIoWorks(io, 5);
    }

    @Test
    void shouldCompleteReadsBySuccessFlagWhenSqFlowControlIsDisabled() throws Exception {
        NvmeTcpTestClient noFlow = fixture.open();
        assertTrue(noFlow.connect(NQN, NvmeTcpTestClient.HOST_NQN, 2, controller.cntlid(), 127, 0,
                FabricsCommands.CATTR_DISABLE_SQ_FLOW_CONTROL).ok());
        byte[] data = pattern(4096, 6);
        NvmeTcpTestClient.Completion w = noFlow.command(sqe -> NvmCommands.write(sqe, 0, 1, 0, 8, false),
                ByteBuffer.wrap(data), null);
        assertTrue(w.ok(), w.toString());
        assertEquals(0xFFFF, w.sqhd(), "SQHD with flow control disabled");
        ByteBuffer back = ByteBuffer.allocate(4096);
        NvmeTcpTestClient.Completion r = noFlow.command(sqe -> NvmCommands.read(sqe, 0, 1, 0, 8, false), null, back);
        assertTrue(r.viaSuccessFlag(), "completed by C2HData SUCCESS, no CapsuleResp");
        assertArrayEquals(data, back.array());
        // With flow control on, SQHD advances and reads get a CapsuleResp.
        NvmeTcpTestClient.Completion r2 = io.command(sqe -> NvmCommands.read(sqe, 0, 1, 0, 8, false), null,
                ByteBuffer.allocate(4096));
        assertFalse(r2.viaSuccessFlag());
        assertTrue(r2.sqhd() != 0xFFFF && r2.sqhd() > 0, "SQHD " + r2.sqhd());
    }

    @Test
    void shouldCloseTheQueueAfterRespondingWhenDisconnectIsSent() throws Exception {
        NvmeTcpTestClient.Completion c = io.command(sqe -> FabricsCommands.disconnect(sqe, 0, 0), null, null);
        assertTrue(c.ok(), c.toString());
        assertTrue(io.awaitClose(), "the I/O queue closes after the response");
        assertEquals(1, fixture.target.controllerCount(), "the controller stays");
        NvmeTcpTestClient again = fixture.ioQueue(NQN, controller.cntlid(), 1);
        TargetFixture.assertIoWorks(again, 8);
    }

    @Test
    void shouldRefuseAdminCommandsOnAnIoQueue() throws Exception {
        NvmeTcpTestClient.Completion c = io.command(sqe -> dev.nvmeof.protocol.AdminCommands.keepAlive(sqe, 0), null, null);
        assertStatus(c, 0, 0x01);
    }
}
