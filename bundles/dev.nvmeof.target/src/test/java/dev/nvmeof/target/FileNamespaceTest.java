package dev.nvmeof.target;

import dev.nvmeof.testkit.NvmeTcpTestClient;
import static dev.nvmeof.target.TargetFixture.NQN;
import static dev.nvmeof.target.TargetFixture.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.nvmeof.protocol.NvmCommands;

/** File namespaces: Flush and FUA force the file before the completion, and the data outlives the target. */
class FileNamespaceTest {
    private static final long SIZE = 4L << 20;

    @TempDir
    Path dir;

    @Test
    void shouldForceTheFileBeforeCompletingFlushAndFuaWrites() throws Exception {
        AtomicInteger forced = new AtomicInteger();
        Path file = dir.resolve("ns1.img");
        TargetOptions options = TargetOptions.defaults().withEventLoops(2)
                .withDurability((nqn, nsid) -> {
                    if (nqn.equals(NQN) && nsid == 1) {
                        forced.incrementAndGet();
                    }
                });
        try (TargetFixture fixture = new TargetFixture(options,
                SubsystemConfig.of(NQN, NamespaceConfig.file(1, file, SIZE, 512)))) {
            NvmeTcpTestClient io = fixture.defaultIoQueue();
            TargetFixture.write(io, 1, 0, pattern(4096, 1));
            assertEquals(0, forced.get(), "a plain write is not forced");

            NvmeTcpTestClient.Completion fua = io.command(sqe -> NvmCommands.write(sqe, 0, 1, 8, 8, true),
                    ByteBuffer.wrap(pattern(4096, 2)), null);
            assertTrue(fua.ok(), fua.toString());
            assertEquals(1, forced.get(), "forced before the FUA write's completion was sent");

            NvmeTcpTestClient.Completion big = io.command(sqe -> NvmCommands.write(sqe, 0, 1, 64, 64, true),
                    ByteBuffer.wrap(pattern(32768, 3)), null);
            assertTrue(big.ok(), big.toString());
            assertEquals(2, forced.get(), "a FUA write through R2T is forced too");

            assertTrue(io.command(sqe -> NvmCommands.flush(sqe, 0, 1), null, null).ok());
            assertEquals(3, forced.get(), "forced before the Flush completion was sent");
        }
    }

    @Test
    void shouldKeepDataWhenTheTargetRestartsOnTheSameFile() throws Exception {
        Path file = dir.resolve("ns1.img");
        SubsystemConfig config = SubsystemConfig.of(NQN, NamespaceConfig.file(1, file, SIZE, 512));
        byte[] small = pattern(4096, 10);
        byte[] big = pattern(65536, 11);
        try (TargetFixture first = new TargetFixture(TargetOptions.defaults().withEventLoops(1), config)) {
            NvmeTcpTestClient io = first.defaultIoQueue();
            TargetFixture.write(io, 1, 0, small);
            TargetFixture.write(io, 1, SIZE / 512 - 128, big);
            assertTrue(io.command(sqe -> NvmCommands.flush(sqe, 0, 1), null, null).ok());
        }
        assertEquals(SIZE, java.nio.file.Files.size(file));
        try (TargetFixture second = new TargetFixture(TargetOptions.defaults().withEventLoops(1), config)) {
            NvmeTcpTestClient io = second.defaultIoQueue();
            assertArrayEquals(small, TargetFixture.read(io, 1, 0, 8));
            assertArrayEquals(big, TargetFixture.read(io, 1, SIZE / 512 - 128, 128));
            assertArrayEquals(new byte[512], TargetFixture.read(io, 1, 8, 1), "never written: zeroes");
        }
    }
}
