package dev.nvmeof.target;

import static dev.nvmeof.target.TargetFixture.NQN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.nvmeof.protocol.NvmCommands;
import dev.nvmeof.testkit.NvmeTcpTestClient;

/**
 * Reads from a RAM namespace go from its memory to the socket without a copy (at most 64 views wait at a time, then
 * data is copied), over plain TCP: what the host receives is what was written, with digests, when more reads wait
 * than the output lends, and when a read spans two of the namespace's 64 MiB pieces of memory (copied).
 */
@Timeout(60)
class LentReadsTest {
    private static final int BLOCK = TargetFixture.BLOCK;
    private static final int PIECE = 64 << 20;

    @ParameterizedTest(name = "digests {0}")
    @ValueSource(booleans = {false, true})
    void shouldReturnEveryReadAsWrittenWhenMoreReadsWaitThanTheOutputLends(boolean digests) throws Exception {
        try (TargetFixture fixture = TargetFixture.start()) {
            TargetFixture.Controller controller = fixture.controller(NQN, 1);
            NvmeTcpTestClient io = fixture.open(digests, digests);
            assertTrue(io.connect(NQN, 1, controller.cntlid(), 127, 0).ok());
            int reads = 120; // beyond the 64 lent views: the rest is copied, in the same stream
            int length = 4096;
            byte[][] data = new byte[reads][];
            for (int i = 0; i < reads; i++) {
                data[i] = TargetFixture.pattern(length, 7_000 + i);
                write(io, slbaOf(i, length), data[i]);
            }
            List<Integer> cids = new ArrayList<>();
            List<ByteBuffer> backs = new ArrayList<>();
            for (int i = 0; i < reads; i++) { // all sent before any answer is read
                ByteBuffer back = ByteBuffer.allocate(length);
                backs.add(back);
                NvmCommands.read(io.sqe, io.cid(), 1, slbaOf(i, length), length / BLOCK, false);
                cids.add(io.send(null, back));
            }
            for (int i = 0; i < reads; i++) {
                NvmeTcpTestClient.Completion r = io.await(cids.get(i));
                assertTrue(r.ok(), r.toString());
                assertArrayEquals(data[i], backs.get(i).array(), "read " + i);
            }
            assertFalse(io.dataDigestErrorSeen, "every C2HData digest checked out");
        }
    }

    @ParameterizedTest(name = "digests {0}")
    @ValueSource(booleans = {false, true})
    void shouldReadAcrossTwoPiecesOfTheNamespacesMemory(boolean digests) throws Exception {
        try (TargetFixture fixture = new TargetFixture(TargetOptions.defaults().withEventLoops(1),
                SubsystemConfig.of(NQN, NamespaceConfig.ram(1, PIECE + (1 << 20), BLOCK)))) {
            TargetFixture.Controller controller = fixture.controller(NQN, 1);
            NvmeTcpTestClient io = fixture.open(digests, digests);
            assertTrue(io.connect(NQN, 1, controller.cntlid(), 127, 0).ok());
            long before = (PIECE - 4096) / BLOCK;
            byte[] data = TargetFixture.pattern(8192, 42);
            write(io, before, data);

            assertArrayEquals(data, read(io, before, 8192), "the read spanning both pieces");
            byte[] first = new byte[4096];
            byte[] second = new byte[4096];
            System.arraycopy(data, 0, first, 0, 4096);
            System.arraycopy(data, 4096, second, 0, 4096);
            assertArrayEquals(first, read(io, before, 4096), "the end of the first piece");
            assertArrayEquals(second, read(io, PIECE / BLOCK, 4096), "the start of the second");
            assertFalse(io.dataDigestErrorSeen, "every C2HData digest checked out");
        }
    }

    private static long slbaOf(int i, int length) {
        return (long) i * (length / BLOCK) * 3; // not adjacent: each read is its own view
    }

    private static void write(NvmeTcpTestClient io, long slba, byte[] data) throws Exception {
        NvmeTcpTestClient.Completion w = io.command(sqe -> NvmCommands.write(sqe, 0, 1, slba, data.length / BLOCK,
                false), ByteBuffer.wrap(data), null);
        assertTrue(w.ok(), w.toString());
    }

    private static byte[] read(NvmeTcpTestClient io, long slba, int length) throws Exception {
        ByteBuffer back = ByteBuffer.allocate(length);
        NvmeTcpTestClient.Completion r = io.command(sqe -> NvmCommands.read(sqe, 0, 1, slba, length / BLOCK, false),
                null, back);
        assertTrue(r.ok(), r.toString());
        return back.array();
    }
}
