package dev.nvmeof.target;

import dev.nvmeof.testkit.NvmeTcpTestClient;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.nvmeof.protocol.AdminCommands;
import dev.nvmeof.protocol.IdentifyCns;
import dev.nvmeof.protocol.IdentifyControllerFlyweight;
import dev.nvmeof.protocol.NvmCommands;

class LoopbackSmokeTest {
    private NvmeTarget target;
    private InetSocketAddress address;

    @BeforeEach
    void start() throws Exception {
        target = NvmeTarget.start(TargetOptions.defaults().withEventLoops(2));
        target.addSubsystem(SubsystemConfig.of("testnqn", NamespaceConfig.ram(1, 16 << 20, 512)));
        address = target.listen(new InetSocketAddress("127.0.0.1", 0));
    }

    @AfterEach
    void stop() {
        target.close();
    }

    @Test
    void shouldWriteAndReadBackInCapsuleAndThroughR2t() throws Exception {
        try (NvmeTcpTestClient admin = NvmeTcpTestClient.open(address, true, true)) {
            int cntlid = admin.connectAndEnable("testnqn", 5000);
            ByteBuffer id = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
            NvmeTcpTestClient.Completion identify = admin.command(
                    sqe -> AdminCommands.identify(sqe, 0, IdentifyCns.CONTROLLER, 0), null, id);
            assertTrue(identify.ok(), identify.toString());
            IdentifyControllerFlyweight ctrl = new IdentifyControllerFlyweight().wrap(id, 0);
            assertEquals("testnqn", ctrl.subnqn());
            assertEquals(cntlid, ctrl.cntlid());

            try (NvmeTcpTestClient io = NvmeTcpTestClient.open(address, true, true)) {
                assertTrue(io.connect("testnqn", 1, cntlid, 127, 0).ok());
                byte[] small = new byte[4096];
                byte[] big = new byte[65536];
                new Random(1).nextBytes(small);
                new Random(2).nextBytes(big);
                assertTrue(io.command(sqe -> NvmCommands.write(sqe, 0, 1, 0, 8, false), ByteBuffer.wrap(small), null).ok());
                assertTrue(io.command(sqe -> NvmCommands.write(sqe, 0, 1, 100, 128, false), ByteBuffer.wrap(big), null)
                        .ok());
                assertEquals(1, io.r2tCount);
                ByteBuffer back = ByteBuffer.allocate(65536);
                assertTrue(io.command(sqe -> NvmCommands.read(sqe, 0, 1, 100, 128, false), null, back).ok());
                assertArrayEquals(big, back.array());
                ByteBuffer back2 = ByteBuffer.allocate(4096);
                assertTrue(io.command(sqe -> NvmCommands.read(sqe, 0, 1, 0, 8, false), null, back2).ok());
                assertArrayEquals(small, back2.array());
            }
        }
    }
}
