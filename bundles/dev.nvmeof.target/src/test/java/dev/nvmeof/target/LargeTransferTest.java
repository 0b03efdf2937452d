package dev.nvmeof.target;

import static dev.nvmeof.target.TargetFixture.NQN;
import static dev.nvmeof.target.TargetFixture.assertStatus;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.nvmeof.protocol.AdminCommands;
import dev.nvmeof.protocol.IdentifyCns;
import dev.nvmeof.protocol.IdentifyControllerFlyweight;
import dev.nvmeof.protocol.NvmCommands;
import dev.nvmeof.testkit.NvmeTcpTestClient;

/**
 * Commands of 1 MiB (the default MDTS 8) move in R2Ts and C2HData PDUs of at most 128 KiB, so a host that announces a
 * large write and sends its data slowly makes the target hold one 128 KiB buffer, not the whole transfer.
 */
@Timeout(60)
class LargeTransferTest {
    private static final int MIB = 1 << 20;
    private static final int MAXH2CDATA = 128 * 1024;

    @ParameterizedTest(name = "digests {0}")
    @ValueSource(booleans = {false, true})
    void shouldWriteAndReadOneMebibyteInOneCommandThroughBoundedR2ts(boolean digests) throws Exception {
        try (TargetFixture fixture = TargetFixture.start()) {
            TargetFixture.Controller controller = fixture.controller(NQN, 1);
            NvmeTcpTestClient admin = controller.admin();
            ByteBuffer identify = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
            assertTrue(admin.command(sqe -> AdminCommands.identify(sqe, 0, IdentifyCns.CONTROLLER, 0), null,
                    identify).ok());
            assertEquals(8, identify.get(IdentifyControllerFlyweight.MDTS_OFFSET), "1 MiB with 4 KiB pages");

            NvmeTcpTestClient io = fixture.open(digests, digests);
            assertTrue(io.connect(NQN, 1, controller.cntlid(), 127, 0).ok());
            assertEquals(MAXH2CDATA, io.maxH2cData);
            byte[] data = TargetFixture.pattern(MIB, 5);
            NvmeTcpTestClient.Completion w = io.command(sqe -> NvmCommands.write(sqe, 0, 1, 8, MIB / 512, false),
                    ByteBuffer.wrap(data), null);
            assertTrue(w.ok(), w.toString());
            assertEquals(MIB / MAXH2CDATA, io.r2tCount, "one R2T per 128 KiB");
            ByteBuffer back = ByteBuffer.allocate(MIB);
            assertTrue(io.command(sqe -> NvmCommands.read(sqe, 0, 1, 8, MIB / 512, false), null, back).ok());
            assertArrayEquals(data, back.array());
            assertTrue(!io.dataDigestErrorSeen, "every C2HData digest checked out");
        }
    }

    /**
     * With 16 MiB of large reads asked for before the host reads anything, the socket fills in the middle of the
     * target's writes, and every byte and digest still arrives right.
     */
    @Test
    void shouldDeliverManyLargeReadsFromMemoryThroughAFullSocketWithDigests() throws Exception {
        try (TargetFixture fixture = TargetFixture.start()) {
            TargetFixture.Controller controller = fixture.controller(NQN, 1);
            NvmeTcpTestClient io = fixture.open(true, true);
            assertTrue(io.connect(NQN, 1, controller.cntlid(), 127, 0).ok());
            int reads = 16;
            byte[][] data = new byte[reads][];
            for (int i = 0; i < reads; i++) {
                data[i] = TargetFixture.pattern(MIB, 100 + i);
                long slba = (long) i * (MIB / 512);
                NvmeTcpTestClient.Completion w = io.command(sqe -> NvmCommands.write(sqe, 0, 1, slba, MIB / 512,
                        false), ByteBuffer.wrap(data[i]), null);
                assertTrue(w.ok(), w.toString());
            }
            List<Integer> cids = new ArrayList<>();
            List<ByteBuffer> backs = new ArrayList<>();
            for (int i = 0; i < reads; i++) {
                long slba = (long) i * (MIB / 512);
                ByteBuffer back = ByteBuffer.allocate(MIB);
                backs.add(back);
                NvmCommands.read(io.sqe, io.cid(), 1, slba, MIB / 512, false);
                cids.add(io.send(null, back));
            }
            for (int i = 0; i < reads; i++) {
                NvmeTcpTestClient.Completion r = io.await(cids.get(i));
                assertTrue(r.ok(), r.toString());
                assertArrayEquals(data[i], backs.get(i).array(), "read " + i);
            }
            assertTrue(!io.dataDigestErrorSeen, "every C2HData digest checked out");
        }
    }

    @Test
    void shouldRefuseACommandBeyondMaxTransferSizeWithInvalidField() throws Exception {
        try (TargetFixture fixture = new TargetFixture(TargetOptions.defaults().withEventLoops(2)
                .withMaxTransferSize(256 * 1024), TargetFixture.defaultSubsystem())) {
            NvmeTcpTestClient io = fixture.defaultIoQueue();
            assertStatus(io.command(sqe -> NvmCommands.read(sqe, 0, 1, 0, 1024, false), null,
                    ByteBuffer.allocate(512 * 1024)), 0, 0x02);
            TargetFixture.assertIoWorks(io, 3);
        }
    }

    @Test
    void shouldFailOnlyTheWriteWhoseMiddleR2tDataHasABadDigest() throws Exception {
        try (TargetFixture fixture = TargetFixture.start()) {
            NvmeTcpTestClient io = queueAnsweringR2tsByHand(fixture);
            NvmCommands.write(io.sqe, io.cid(), 1, 0, MIB / 512, false);
            int cid = io.send(ByteBuffer.allocate(MIB), null);
            byte[] part = new byte[MAXH2CDATA];
            sendPart(io, part);
            io.corruptNextDataDigest = true;
            sendPart(io, part);
            NvmeTcpTestClient.Completion failed = io.await(cid);
            assertStatus(failed, 0, 0x22); // Transient Transport Error
            TargetFixture.assertIoWorks(io, 4);
        }
    }

    /**
     * Writes at a queue depth get their R2Ts at once, up to four per connection, so their round trips overlap; a
     * fifth waits until a transfer ends. Data sent in another order than the R2Ts came lands where each command said.
     */
    @Test
    void shouldRunFourR2tTransfersAtOnceAndStartTheFifthWhenOneEnds() throws Exception {
        try (TargetFixture fixture = TargetFixture.start()) {
            NvmeTcpTestClient io = queueAnsweringR2tsByHand(fixture);
            int writes = 5;
            int blocks = MAXH2CDATA / 512;
            byte[][] data = new byte[writes][];
            int[] cids = new int[writes];
            for (int i = 0; i < writes; i++) {
                data[i] = TargetFixture.pattern(MAXH2CDATA, 40 + i);
                NvmCommands.write(io.sqe, io.cid(), 1, (long) i * blocks, blocks, false);
                cids[i] = io.send(ByteBuffer.wrap(data[i]), null);
            }
            // A read sent after the writes completes after every R2T the writes got at their arrival.
            assertTrue(io.command(sqe -> NvmCommands.read(sqe, 0, 1, 0, 8, false), null,
                    ByteBuffer.allocate(4096)).ok());
            assertEquals(4, io.manualR2ts.size(), "R2Ts outstanding at once");
            int[][] granted = io.manualR2ts.toArray(new int[0][]);
            io.manualR2ts.clear();
            for (int k = granted.length - 1; k >= 0; k--) { // the last R2T's data first
                int[] r2t = granted[k];
                int i = indexOf(cids, r2t[0]);
                assertEquals(MAXH2CDATA, r2t[3], "R2TL");
                io.sendH2cData(r2t[0], r2t[1], r2t[2], data[i], true);
            }
            for (int k = 0; k < granted.length; k++) {
                assertTrue(io.await(granted[k][0]).ok());
            }
            while (io.manualR2ts.isEmpty()) {
                io.readSome();
            }
            int[] fifth = io.manualR2ts.poll();
            assertEquals(cids[writes - 1], fifth[0], "the fifth write's R2T once a transfer ended");
            io.sendH2cData(fifth[0], fifth[1], fifth[2], data[writes - 1], true);
            assertTrue(io.await(cids[writes - 1]).ok());

            for (int i = 0; i < writes; i++) {
                ByteBuffer back = ByteBuffer.allocate(MAXH2CDATA);
                long slba = (long) i * blocks;
                assertTrue(io.command(sqe -> NvmCommands.read(sqe, 0, 1, slba, blocks, false), null, back).ok());
                assertArrayEquals(data[i], back.array(), "write " + i);
            }
        }
    }

    /** An I/O queue with data digests whose test sends each R2T's H2CData itself. */
    private static NvmeTcpTestClient queueAnsweringR2tsByHand(TargetFixture fixture) throws Exception {
        TargetFixture.Controller c = fixture.controller(NQN, 1);
        NvmeTcpTestClient io = fixture.open(false, true);
        assertTrue(io.connect(NQN, 1, c.cntlid(), 127, 0).ok());
        io.manualR2t = true;
        return io;
    }

    private static int indexOf(int[] cids, int cid) {
        for (int i = 0; i < cids.length; i++) {
            if (cids[i] == cid) {
                return i;
            }
        }
        throw new AssertionError("R2T for CID " + cid + ", which no write has");
    }

    @Test
    void shouldHoldOneBoundedBufferPerConnectionWhenHostsSendLargeWritesSlowly() throws Exception {
        BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(p -> p.getName().equals("direct")).findFirst().orElseThrow();
        try (TargetFixture fixture = TargetFixture.start()) {
            int cntlid = fixture.controller(NQN, 8).cntlid();
            List<NvmeTcpTestClient> slow = new ArrayList<>();
            List<Integer> cids = new ArrayList<>();
            for (int q = 1; q <= 8; q++) {
                NvmeTcpTestClient io = fixture.ioQueue(NQN, cntlid, q);
                io.manualR2t = true;
                slow.add(io);
            }
            long before = direct.getMemoryUsed();
            for (int i = 0; i < slow.size(); i++) {
                NvmeTcpTestClient io = slow.get(i);
                long slba = (long) i * (MIB / 512);
                NvmCommands.write(io.sqe, io.cid(), 1, slba, MIB / 512, false);
                cids.add(io.send(ByteBuffer.allocate(MIB), null));
                while (io.lastR2t == null) {
                    io.readSome();
                }
                assertEquals(MAXH2CDATA, io.lastR2t[3], "R2TL");
                byte[] first = new byte[4096];
                Arrays.fill(first, (byte) (i + 1));
                io.sendH2cData(io.lastR2t[0], io.lastR2t[1], 0, first, false); // then nothing for a while
            }
            fixture.target.checkDeadlines().get(10, java.util.concurrent.TimeUnit.SECONDS); // the loops read it all
            long held = direct.getMemoryUsed() - before;
            // One 128 KiB R2T buffer per connection (plus the send buffer growing for the R2T PDU): 8 x 1 MiB of
            // announced data would be 8 MiB if the target buffered whole transfers.
            assertTrue(held < 8 * 300 * 1024L, "direct memory grew " + held / 1024 + " KiB for 8 slow 1 MiB writes");

            for (int i = 0; i < slow.size(); i++) {
                NvmeTcpTestClient io = slow.get(i);
                byte[] rest = new byte[MIB - 4096];
                Arrays.fill(rest, (byte) (i + 1));
                finishSlowly(io, rest);
                assertTrue(io.await(cids.get(i)).ok());
                ByteBuffer back = ByteBuffer.allocate(MIB);
                long slba = (long) i * (MIB / 512);
                assertTrue(io.command(sqe -> NvmCommands.read(sqe, 0, 1, slba, MIB / 512, false), null, back).ok());
                byte[] expected = new byte[MIB];
                Arrays.fill(expected, (byte) (i + 1));
                assertArrayEquals(expected, back.array(), "queue " + (i + 1));
            }
        }
    }

    /** Sends the rest of a write whose first 4 KiB went already, R2T by R2T. */
    private static void finishSlowly(NvmeTcpTestClient io, byte[] rest) throws Exception {
        int offset = 4096;
        int fromRest = 0;
        while (fromRest < rest.length) {
            int[] r2t = io.lastR2t;
            int end = r2t[2] + r2t[3];
            int n = end - offset;
            io.lastR2t = null;
            io.sendH2cData(r2t[0], r2t[1], offset, Arrays.copyOfRange(rest, fromRest, fromRest + n), true);
            offset += n;
            fromRest += n;
            if (fromRest < rest.length) {
                while (io.lastR2t == null) {
                    io.readSome();
                }
                assertEquals(offset, io.lastR2t[2], "the next R2T starts where the last ended");
            }
        }
    }

    /** The next R2T's data in one H2CData PDU. */
    private static void sendPart(NvmeTcpTestClient io, byte[] data) throws Exception {
        while (io.lastR2t == null) {
            io.readSome();
        }
        int[] r2t = io.lastR2t;
        io.lastR2t = null;
        assertNotNull(r2t);
        io.sendH2cData(r2t[0], r2t[1], r2t[2], Arrays.copyOf(data, r2t[3]), true);
    }
}
