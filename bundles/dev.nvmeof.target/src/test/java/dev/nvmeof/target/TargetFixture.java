package dev.nvmeof.target;

import dev.nvmeof.testkit.NvmeTcpTestClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import dev.nvmeof.protocol.AdminCommands;
import dev.nvmeof.protocol.NvmCommands;

/**
 * A running target with subsystem {@value #NQN} (RAM namespace 1: 16 MiB of 512-byte blocks) on an ephemeral
 * loopback port, and the test hosts opened through it; {@link #close} closes them all, then the target.
 */
final class TargetFixture implements AutoCloseable {
    static final String NQN = "testnqn";
    static final int BLOCK = 512;
    static final long NS_BYTES = 16L << 20;
    static final long NS_BLOCKS = NS_BYTES / BLOCK;

    final NvmeTarget target;
    final InetSocketAddress address;
    private final List<NvmeTcpTestClient> hosts = new ArrayList<>();

    TargetFixture(TargetOptions options, SubsystemConfig... subsystems) throws IOException {
        target = NvmeTarget.start(options);
        try {
            for (SubsystemConfig s : subsystems) {
                target.addSubsystem(s);
            }
            address = target.listen(new InetSocketAddress("127.0.0.1", 0));
        } catch (IOException | RuntimeException e) {
            target.close();
            throw e;
        }
    }

    /** The default fixture: two event loops, the default subsystem. */
    static TargetFixture start() throws IOException {
        return new TargetFixture(TargetOptions.defaults().withEventLoops(2), defaultSubsystem());
    }

    static SubsystemConfig defaultSubsystem() {
        return SubsystemConfig.of(NQN, NamespaceConfig.ram(1, NS_BYTES, BLOCK));
    }

    /** A socket that has done ICReq/ICResp and nothing else. */
    NvmeTcpTestClient open() throws IOException {
        return track(NvmeTcpTestClient.open(address));
    }

    NvmeTcpTestClient open(boolean headerDigest, boolean dataDigest) throws IOException {
        return track(NvmeTcpTestClient.open(address, headerDigest, dataDigest));
    }

    NvmeTcpTestClient raw() throws IOException {
        return track(NvmeTcpTestClient.raw(address));
    }

    NvmeTcpTestClient track(NvmeTcpTestClient host) {
        hosts.add(host);
        return host;
    }

    /** A live admin queue of {@code nqn} (CC.EN done, KATO off) with {@code ioQueues} I/O queues granted. */
    Controller controller(String nqn, int ioQueues) throws IOException {
        NvmeTcpTestClient admin = open();
        int cntlid = admin.connectAndEnable(nqn, 0);
        if (ioQueues > 0) {
            NvmeTcpTestClient.Completion c = admin.command(sqe -> AdminCommands.setNumberOfQueues(sqe, 0, ioQueues, ioQueues),
                    null, null);
            assertTrue(c.ok(), c.toString());
        }
        return new Controller(admin, cntlid);
    }

    /** An I/O queue {@code qid} (SQSIZE 127) of a live controller. */
    NvmeTcpTestClient ioQueue(String nqn, int cntlid, int qid) throws IOException {
        NvmeTcpTestClient io = open();
        NvmeTcpTestClient.Completion c = io.connect(nqn, qid, cntlid, 127, 0);
        assertTrue(c.ok(), c.toString());
        return io;
    }

    /** The default controller with one I/O queue. */
    NvmeTcpTestClient defaultIoQueue() throws IOException {
        Controller c = controller(NQN, 1);
        return ioQueue(NQN, c.cntlid(), 1);
    }

    record Controller(NvmeTcpTestClient admin, int cntlid) {
    }

    @Override
    public void close() {
        for (NvmeTcpTestClient host : hosts) {
            try {
                host.close();
            } catch (IOException ignored) {
                // closing after the test
            }
        }
        target.close();
    }

    // ---- data helpers ----

    static byte[] pattern(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static void write(NvmeTcpTestClient io, int nsid, long slba, byte[] data) throws IOException {
        NvmeTcpTestClient.Completion c = io.command(sqe -> NvmCommands.write(sqe, 0, nsid, slba, data.length / BLOCK, false),
                ByteBuffer.wrap(data), null);
        assertTrue(c.ok(), c.toString());
    }

    static byte[] read(NvmeTcpTestClient io, int nsid, long slba, int blocks) throws IOException {
        ByteBuffer back = ByteBuffer.allocate(blocks * BLOCK);
        NvmeTcpTestClient.Completion c = io.command(sqe -> NvmCommands.read(sqe, 0, nsid, slba, blocks, false), null, back);
        assertTrue(c.ok(), c.toString());
        return back.array();
    }

    /** A write and a read-back on an I/O queue: the queue is alive and moves data. */
    static void assertIoWorks(NvmeTcpTestClient io, long seed) throws IOException {
        byte[] data = pattern(4096, seed);
        write(io, 1, 64, data);
        org.junit.jupiter.api.Assertions.assertArrayEquals(data, read(io, 1, 64, 8));
    }

    static void assertStatus(NvmeTcpTestClient.Completion c, int sct, int sc) {
        assertEquals(sct, c.sct(), () -> "SCT of " + c);
        assertEquals(sc, c.sc(), () -> "SC 0x" + Integer.toHexString(c.sc()) + " of " + c);
    }
}
