package dev.nvmeof.target;

import static dev.nvmeof.target.TargetFixture.NQN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.nvmeof.protocol.AdminCommands;
import dev.nvmeof.protocol.DsmRangeFlyweight;
import dev.nvmeof.protocol.IdentifyCns;
import dev.nvmeof.protocol.IdentifyNamespaceFlyweight;
import dev.nvmeof.protocol.NvmCommands;
import dev.nvmeof.testkit.NvmeTcpTestClient;

/**
 * Commands whose size a host chooses (deallocating or zeroing a whole namespace) never stall the event loop: another
 * controller on the same (only) loop gets its Keep Alive answered meanwhile. Deallocating a file namespace is a hint
 * that writes nothing, so it cannot fill the disk, and Identify says so. The 5 s bounds are liveness bounds.
 */
@Timeout(120)
class LongCommandsTest {
    private static final long GIB = 1L << 30;
    private static final int BLOCK = 4096;

    @TempDir
    Path dir;

    @Test
    void shouldDeallocateAWholeSparseFileNamespaceWithoutWritingItWhileAnotherControllerIsServed() throws Exception {
        Path file = dir.resolve("sparse.img");
        long blocks = 8 * GIB / BLOCK;
        try (TargetFixture fixture = oneLoop(NamespaceConfig.file(1, file, 8 * GIB, BLOCK))) {
            long allocatedBefore = allocatedBytes(file);
            TargetFixture.Controller a = fixture.controller(NQN, 1);
            NvmeTcpTestClient io = fixture.ioQueue(NQN, a.cntlid(), 1);
            NvmeTcpTestClient other = fixture.controller(NQN, 1).admin();

            ByteBuffer ranges = ByteBuffer.allocate(DsmRangeFlyweight.LENGTH).order(ByteOrder.LITTLE_ENDIAN);
            new DsmRangeFlyweight().wrap(ranges, 0).set(0, 0, blocks);
            NvmCommands.datasetManagement(io.sqe, io.cid(), 1, 1, true);
            int dsm = io.send(ranges, null);
            assertKeepAliveAnswered(other);
            NvmeTcpTestClient.Completion done = io.await(dsm);
            assertTrue(done.ok(), done.toString());
            assertKeepAliveAnswered(other);
            assertTrue(allocatedBytes(file) <= allocatedBefore + (1 << 20), "the file grew from " + allocatedBefore
                    + " to " + allocatedBytes(file) + " bytes on disk");

            ByteBuffer identify = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
            assertTrue(a.admin().command(sqe -> AdminCommands.identify(sqe, 0, IdentifyCns.NAMESPACE, 1), null,
                    identify).ok());
            assertEquals(0, identify.get(IdentifyNamespaceFlyweight.DLFEAT_OFFSET) & 0x7,
                    "deallocated blocks of a file read as 'not reported'");
        }
    }

    @Test
    void shouldZeroAGibibyteOfAFileNamespaceWhileAnotherControllersKeepAlivesAreAnswered() throws Exception {
        Path file = dir.resolve("zeroes.img");
        try (TargetFixture fixture = oneLoop(NamespaceConfig.file(1, file, GIB, BLOCK))) {
            TargetFixture.Controller a = fixture.controller(NQN, 1);
            NvmeTcpTestClient io = fixture.ioQueue(NQN, a.cntlid(), 1);
            NvmeTcpTestClient other = fixture.controller(NQN, 1).admin();
            byte[] pattern = TargetFixture.pattern(BLOCK, 11);
            long last = GIB / BLOCK - 1;
            writeBlock(io, 0, pattern);
            writeBlock(io, last, pattern);

            List<Integer> zeroing = new ArrayList<>();
            int perCommand = NvmCommands.MAX_BLOCKS; // 256 MiB of 4 KiB blocks
            for (long slba = 0; slba <= last; slba += perCommand) {
                NvmCommands.writeZeroes(io.sqe, io.cid(), 1, slba, perCommand, false);
                zeroing.add(io.send(null, null));
            }
            assertKeepAliveAnswered(other);
            for (int cid : zeroing) {
                NvmeTcpTestClient.Completion c = io.await(cid);
                assertTrue(c.ok(), c.toString());
            }
            assertArrayEquals(new byte[BLOCK], readBlock(io, 0));
            assertArrayEquals(new byte[BLOCK], readBlock(io, last));
        }
    }

    @Test
    void shouldSayDeallocatedBlocksOfARamNamespaceReadAsZeroes() throws Exception {
        try (TargetFixture fixture = TargetFixture.start()) {
            NvmeTcpTestClient admin = fixture.controller(NQN, 1).admin();
            ByteBuffer identify = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
            assertTrue(admin.command(sqe -> AdminCommands.identify(sqe, 0, IdentifyCns.NAMESPACE, 1), null, identify)
                    .ok());
            assertEquals(1, identify.get(IdentifyNamespaceFlyweight.DLFEAT_OFFSET) & 0x7);
        }
    }

    private static TargetFixture oneLoop(NamespaceConfig namespace) throws IOException {
        return new TargetFixture(TargetOptions.defaults().withEventLoops(1), SubsystemConfig.of(NQN, namespace));
    }

    /** A Keep Alive on another controller of the same loop completes within 5 s (a liveness bound). */
    private static void assertKeepAliveAnswered(NvmeTcpTestClient admin) throws Exception {
        NvmeTcpTestClient.Completion c = CompletableFuture.supplyAsync(() -> {
            try {
                return admin.command(sqe -> AdminCommands.keepAlive(sqe, 0), null, null);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).get(5, TimeUnit.SECONDS);
        assertTrue(c.ok(), c.toString());
    }

    private static void writeBlock(NvmeTcpTestClient io, long slba, byte[] data) throws IOException {
        assertTrue(io.command(sqe -> NvmCommands.write(sqe, 0, 1, slba, 1, false), ByteBuffer.wrap(data), null).ok());
    }

    private static byte[] readBlock(NvmeTcpTestClient io, long slba) throws IOException {
        ByteBuffer back = ByteBuffer.allocate(BLOCK);
        assertTrue(io.command(sqe -> NvmCommands.read(sqe, 0, 1, slba, 1, false), null, back).ok());
        return back.array();
    }

    /** Bytes the file occupies on disk ({@code stat %b} blocks of 512 bytes): what a sparse file really uses. */
    private static long allocatedBytes(Path file) throws IOException, InterruptedException {
        Process stat = new ProcessBuilder("stat", "-c", "%b", file.toString()).redirectErrorStream(true).start();
        String out = new String(stat.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        assertTrue(stat.waitFor(10, TimeUnit.SECONDS) && stat.exitValue() == 0, "stat: " + out);
        return Long.parseLong(out) * 512;
    }
}
