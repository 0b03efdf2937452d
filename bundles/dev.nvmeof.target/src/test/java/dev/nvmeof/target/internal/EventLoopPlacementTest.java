package dev.nvmeof.target.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.nvmeof.protocol.AdminCommands;
import dev.nvmeof.protocol.NvmCommands;
import dev.nvmeof.target.NamespaceConfig;
import dev.nvmeof.target.SubsystemConfig;
import dev.nvmeof.target.TargetOptions;
import dev.nvmeof.testkit.NvmeTcpTestClient;

/** Which event loop a new connection goes to: hosts' I/O queues spread over the loops. */
@Timeout(60)
class EventLoopPlacementTest {
    private static final String NQN = "placement";

    private Engine engine;
    private InetSocketAddress address;
    /** The loop thread that ran a command of each controller's I/O queue, by CNTLID (recorded by the seam). */
    private final Map<Integer, String> ioLoops = new ConcurrentHashMap<>();
    private final List<NvmeTcpTestClient> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        engine = Engine.start(TargetOptions.defaults().withEventLoops(2));
        engine.addSubsystem(SubsystemConfig.of(NQN, NamespaceConfig.ram(1, 1 << 20, 512)));
        address = engine.listen(new InetSocketAddress("127.0.0.1", 0));
    }

    @AfterEach
    void stop() throws IOException {
        for (NvmeTcpTestClient client : clients) {
            client.close();
        }
        engine.close();
    }

    @Test
    void shouldPutTwoHostsIoQueuesOnDifferentLoopsWhenEachOpensItsAdminQueueFirst() throws Exception {
        // Host A's admin queue, then its I/O queue, then host B's: counting every connection alike put both I/O
        // queues on the same loop (each host's admin queue on the other).
        String a = ioQueueLoop();
        String b = ioQueueLoop();

        assertTrue(a.startsWith("nvmeof-target-loop-") && b.startsWith("nvmeof-target-loop-"), a + ", " + b);
        assertNotEquals(a, b, "the two hosts' I/O queues share a loop");
        assertArrayEquals(new int[] {1, 1}, engine.ioLoads(), "admin queues do not count once connected");
    }

    /** A host (a controller) connects its admin queue, then one I/O queue, reads there; the loop that ran it. */
    private String ioQueueLoop() throws Exception {
        NvmeTcpTestClient admin = NvmeTcpTestClient.open(address);
        clients.add(admin);
        int cntlid = admin.connectAndEnable(NQN, 0);
        assertTrue(admin.command(sqe -> AdminCommands.setNumberOfQueues(sqe, 0, 1, 1), null, null).ok());
        NvmeTcpTestClient io = NvmeTcpTestClient.open(address);
        clients.add(io);
        assertTrue(io.connect(NQN, 1, cntlid, 31, 0).ok());
        engine.seam = (qid, sqe) -> ioLoops.putIfAbsent(cntlid, Thread.currentThread().getName());
        try {
            assertTrue(io.command(sqe -> NvmCommands.read(sqe, 0, 1, 0, 1, false), null, ByteBuffer.allocate(512))
                    .ok());
        } finally {
            engine.seam = null;
        }
        return ioLoops.get(cntlid);
    }
}
