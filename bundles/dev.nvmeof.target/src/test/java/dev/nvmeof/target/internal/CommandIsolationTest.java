package dev.nvmeof.target.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.nvmeof.protocol.AdminCommands;
import dev.nvmeof.protocol.AdminOpcode;
import dev.nvmeof.protocol.ControllerProperty;
import dev.nvmeof.protocol.NvmCommands;
import dev.nvmeof.protocol.NvmOpcode;
import dev.nvmeof.target.NamespaceConfig;
import dev.nvmeof.target.SubsystemConfig;
import dev.nvmeof.target.TargetOptions;
import dev.nvmeof.testkit.NvmeTcpTestClient;

/**
 * Through the {@link CommandSeam} (a command held on its loop between read and execution, or a handler made to
 * throw): a command of a controller disabled meanwhile is not executed, a throwing handler costs one command an
 * Internal Error and nothing else, and an {@code Error} costs one connection.
 */
@Timeout(60)
class CommandIsolationTest {
    private static final String NQN = "isolation";
    private static final int BLOCK = 512;

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private Engine engine;
    private InetSocketAddress address;

    private void start(int loops) throws Exception {
        engine = Engine.start(TargetOptions.defaults().withEventLoops(loops).withClock(now::get)
                .withHandshakeTimeout(Duration.ofHours(1)));
        engine.addSubsystem(SubsystemConfig.of(NQN, NamespaceConfig.ram(1, 4 << 20, BLOCK)).withMaxIoQueues(2));
        address = engine.listen(new InetSocketAddress("127.0.0.1", 0));
    }

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void shouldNotExecuteAWriteHeldOnItsLoopWhileAnotherLoopDisablesTheController() throws Exception {
        start(2); // connections alternate between the loops: the admin queue on one, the I/O queue on the other
        NvmeTcpTestClient admin = NvmeTcpTestClient.open(address);
        int cntlid = admin.connectAndEnable(NQN, 0);
        assertTrue(admin.command(sqe -> AdminCommands.setNumberOfQueues(sqe, 0, 1, 1), null, null).ok());
        NvmeTcpTestClient io = NvmeTcpTestClient.open(address);
        assertTrue(io.connect(NQN, 1, cntlid, 31, 0).ok());
        byte[] before = new byte[4096];
        new Random(1).nextBytes(before);
        assertTrue(io.command(sqe -> NvmCommands.write(sqe, 0, 1, 0, 8, false), ByteBuffer.wrap(before), null).ok());

        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        engine.seam = (qid, sqe) -> {
            if (qid == 1 && sqe.opcode() == NvmOpcode.WRITE.code()) {
                held.countDown();
                await(release);
            }
        };
        byte[] stale = new byte[4096];
        NvmCommands.write(io.sqe, io.cid(), 1, 0, 8, false);
        io.send(ByteBuffer.wrap(stale), null);
        assertTrue(held.await(10, TimeUnit.SECONDS), "the write reached its loop");
        assertTrue(admin.propertySet(ControllerProperty.CC, 0x00460000).ok(), "CC.EN = 0 on the admin queue's loop");
        release.countDown();
        engine.seam = null;

        NvmeTcpTestClient check = NvmeTcpTestClient.open(address);
        int second = check.connectAndEnable(NQN, 0);
        assertTrue(check.command(sqe -> AdminCommands.setNumberOfQueues(sqe, 0, 1, 1), null, null).ok());
        NvmeTcpTestClient reader = NvmeTcpTestClient.open(address);
        assertTrue(reader.connect(NQN, 1, second, 31, 0).ok());
        ByteBuffer back = ByteBuffer.allocate(4096);
        assertTrue(reader.command(sqe -> NvmCommands.read(sqe, 0, 1, 0, 8, false), null, back).ok());
        assertArrayEquals(before, back.array(), "the held write of the disabled controller did not run");
    }

    @Test
    void shouldCompleteWithInternalErrorWhenAHandlerThrowsAndKeepServing() throws Exception {
        start(1);
        NvmeTcpTestClient admin = NvmeTcpTestClient.open(address);
        admin.connectAndEnable(NQN, 0);
        engine.seam = (qid, sqe) -> {
            if (sqe.opcode() == KEEP_ALIVE) {
                throw new IllegalStateException("a bug in a handler");
            }
        };
        NvmeTcpTestClient.Completion failed = admin.command(sqe -> AdminCommands.keepAlive(sqe, 0), null, null);
        assertEquals(0x06, failed.sc(), "Internal Error: " + failed);
        assertFalse(failed.dnr());
        engine.seam = null;
        assertTrue(admin.command(sqe -> AdminCommands.keepAlive(sqe, 0), null, null).ok(), "the queue serves on");
        NvmeTcpTestClient other = NvmeTcpTestClient.open(address);
        assertTrue(other.connectAndEnable(NQN, 0) > 0, "so does the loop");
    }

    @Test
    void shouldCloseOnlyTheConnectionWhoseCommandRaisedAnErrorAndKeepTheLoop() throws Exception {
        start(1);
        NvmeTcpTestClient bystander = NvmeTcpTestClient.open(address);
        bystander.connectAndEnable(NQN, 0);
        NvmeTcpTestClient victim = NvmeTcpTestClient.open(address);
        victim.connectAndEnable(NQN, 0);
        engine.seam = (qid, sqe) -> {
            if (sqe.opcode() == KEEP_ALIVE) {
                throw new OutOfMemoryError("direct buffer memory (simulated)");
            }
        };
        AdminCommands.keepAlive(victim.sqe, victim.cid());
        int cid = victim.send(null, null);
        assertTrue(victim.awaitCloseWithout(cid), "the connection that ran into the Error is closed");
        engine.seam = null;
        assertTrue(bystander.command(sqe -> AdminCommands.keepAlive(sqe, 0), null, null).ok(), "the loop lives");
    }

    private static final int KEEP_ALIVE = AdminOpcode.KEEP_ALIVE.code();

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released the held command");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
