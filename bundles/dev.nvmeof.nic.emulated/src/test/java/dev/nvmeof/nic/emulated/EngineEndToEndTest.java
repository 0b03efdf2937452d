package dev.nvmeof.nic.emulated;

import dev.nvmeof.protocol.DataDirection;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nvmeof.protocol.AdminCommands;
import dev.nvmeof.protocol.IdentifyCns;
import dev.nvmeof.protocol.IdentifyControllerFlyweight;
import dev.nvmeof.protocol.NvmCommands;
import dev.nvmeof.protocol.NvmeStatus;
import dev.nvmeof.target.NvmeTarget;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The offload engine against the embedded target over real loopback sockets: handshake, admin and I/O, digests. */
class EngineEndToEndTest {
    static final String NQN = EngineRig.NQN;
    static final int BLOCK = EngineRig.BLOCK;

    EngineRig rig;
    NvmeTarget target;
    InetSocketAddress address;
    NicFunction nic;

    @BeforeEach
    void start() throws Exception {
        rig = new EngineRig();
        target = rig.target;
        address = rig.address;
        nic = rig.nic;
    }

    @AfterEach
    void stop() {
        rig.close();
    }

    @ParameterizedTest(name = "digests {0}")
    @ValueSource(booleans = {false, true})
    void shouldConnectIdentifyAndMoveDataInCapsuleAndThroughR2tFromThePortAddress(boolean digests) throws Exception {
        try (RingClient admin = RingClient.open(nic, "p1p1", address, 0, digests)) {
            InetAddress port = InetAddress.getByName("127.0.0.2");
            assertEquals(port, admin.queuePair().localAddress().getAddress());
            assertTrue(target.connectionSources().stream().anyMatch(s -> s.getAddress().equals(port)),
                    "the target sees the port's address: " + target.connectionSources());
            int cntlid = admin.connectAdmin(NQN);
            ByteBuffer identify = ByteBuffer.allocateDirect(4096).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            RingClient.Completion id = admin.run(s -> AdminCommands.identify(s, 0, IdentifyCns.CONTROLLER, 0),
                    identify, DataDirection.CONTROLLER_TO_HOST);
            assertTrue(id.ok(), "Identify status " + id.status());
            assertEquals(NQN, new IdentifyControllerFlyweight().wrap(identify, 0).subnqn());

            try (RingClient io = RingClient.open(nic, "p1p1", address, 1, digests)) {
                assertTrue(io.connect(NQN, cntlid).ok());
                for (int length : new int[] {4096, 8192, 128 << 10}) { // in-capsule up to 8 KiB, then R2T
                    byte[] pattern = new byte[length];
                    new Random(length).nextBytes(pattern);
                    ByteBuffer out = ByteBuffer.allocateDirect(length).put(pattern).flip();
                    int blocks = length / BLOCK;
                    assertTrue(io.run(s -> NvmCommands.write(s, 0, 1, 64, blocks, false), out,
                            DataDirection.HOST_TO_CONTROLLER).ok(), "write of " + length);
                    ByteBuffer in = ByteBuffer.allocateDirect(length);
                    assertTrue(io.run(s -> NvmCommands.read(s, 0, 1, 64, blocks, false), in,
                            DataDirection.CONTROLLER_TO_HOST).ok(), "read of " + length);
                    byte[] back = new byte[length];
                    in.get(0, back);
                    assertTrue(java.util.Arrays.equals(pattern, back), "data of " + length + " bytes read back");
                    assertEquals(0, out.position(), "the engine leaves the host buffer's position alone");
                }
            }
        }
        NicCounters counters = nic.counters();
        assertEquals(0, counters.digestErrors());
        assertTrue(counters.pdusOut() > 10 && counters.pdusIn() > 10 && counters.bytesIn() > 128 << 10,
                counters.toString());
    }

    @Test
    void shouldCompleteOnlyThatCommandWithDataTransferErrorWhenADataDigestIsCorrupted() throws Exception {
        try (RingClient admin = RingClient.open(nic, "p1p1", address, 0, true)) {
            admin.connectAdmin(NQN);
            ByteBuffer identify = ByteBuffer.allocateDirect(4096).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            nic.faults().corruptNextDataDigest(admin.queuePair());
            RingClient.Completion bad = admin.submit(s -> AdminCommands.identify(s, 0, IdentifyCns.CONTROLLER, 0),
                    identify, DataDirection.CONTROLLER_TO_HOST).get(15, TimeUnit.SECONDS);

            assertEquals(NvmeStatus.DATA_TRANSFER_ERROR, NvmeStatus.of(bad.status()), bad.toString());
            assertEquals(1, nic.counters().digestErrors());
            assertTrue(admin.queuePair().live(), "the connection is fine");
            RingClient.Completion again = admin.submit(s -> AdminCommands.identify(s, 0, IdentifyCns.CONTROLLER, 0),
                    identify.clear(), DataDirection.CONTROLLER_TO_HOST).get(15, TimeUnit.SECONDS);
            assertEquals(0, again.status(), "the retry succeeds");
        }
    }

    /**
     * One command at a time from two threads on two queue pairs, 1,000 each: the engine goes back to its select
     * between commands, so every doorbell races its going to sleep (it is woken only while it waits there). A lost
     * wake-up would leave a command unanswered past the 15 s bound.
     */
    @Test
    void shouldAnswerEveryCommandWhenDoorbellsRaceTheEngineGoingToSleep() throws Exception {
        try (RingClient admin = RingClient.open(nic, "p1p1", address, 0, false)) {
            int cntlid = admin.connectAdmin(NQN);
            java.util.List<java.util.concurrent.CompletableFuture<Integer>> runs = new java.util.ArrayList<>();
            for (int qid = 1; qid <= 2; qid++) {
                int q = qid;
                runs.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try (RingClient io = RingClient.open(nic, "p1p1", address, q, false)) {
                        assertTrue(io.connect(NQN, cntlid).ok());
                        ByteBuffer in = ByteBuffer.allocateDirect(BLOCK);
                        int ok = 0;
                        for (int i = 0; i < 1_000; i++) {
                            RingClient.Completion c = io.submit(s -> NvmCommands.read(s, 0, 1, q, 1, false),
                                    in.clear(), DataDirection.CONTROLLER_TO_HOST).get(15, TimeUnit.SECONDS);
                            ok += c.ok() ? 1 : 0;
                        }
                        return ok;
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            for (java.util.concurrent.CompletableFuture<Integer> run : runs) {
                assertEquals(1_000, run.get(60, TimeUnit.SECONDS));
            }
        }
    }
}
