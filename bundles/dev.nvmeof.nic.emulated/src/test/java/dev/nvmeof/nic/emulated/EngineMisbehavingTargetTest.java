package dev.nvmeof.nic.emulated;

import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

import dev.nvmeof.protocol.DataDirection;
import dev.nvmeof.protocol.NvmCommands;
import dev.nvmeof.protocol.tcp.QueueFailure;
import dev.nvmeof.testkit.MisbehavingTargetSuite;

/**
 * The shared misbehaving-target suite (the tcp transport runs the same) against a queue pair of the offload engine,
 * through its rings. A failure reaches the driver as the protocol engine's {@link QueueFailure}, with its FES.
 */
@Timeout(120)
class EngineMisbehavingTargetTest {
    private static NicFunction nic;

    @BeforeAll
    static void startNic() {
        nic = NicFunction.start(new NicCapabilities(0x1AC3, 0x0100, "MIS-1", 25_000, 8, 128 << 10, 32, true), 1);
        nic.netDevice().addAddress("p1p1", "127.0.0.2/24");
    }

    @AfterAll
    static void stopNic() {
        nic.close();
    }

    @TestFactory
    Stream<DynamicTest> theSharedMisbehavingTargetSuite() {
        return MisbehavingTargetSuite.scenarios(EngineMisbehavingTargetTest::open).stream()
                .map(scenario -> dynamicTest(scenario.name(), scenario.body()::run));
    }

    private static MisbehavingTargetSuite.Connection open(InetSocketAddress target, boolean headerDigest,
            boolean dataDigest) throws Exception {
        return new Connection(RingClient.open(nic, "p1p1", target, 1, headerDigest, dataDigest, 0));
    }

    private record Connection(RingClient client) implements MisbehavingTargetSuite.Connection {
        @Override
        public CompletableFuture<Integer> read(int cid, ByteBuffer into) {
            return client.submit(s -> NvmCommands.read(s, 0, 1, 0, into.remaining() / 512, false), into,
                    DataDirection.CONTROLLER_TO_HOST, cid).thenApply(RingClient.Completion::status);
        }

        @Override
        public CompletableFuture<Integer> write(int cid, ByteBuffer from) {
            return client.submit(s -> NvmCommands.write(s, 0, 1, 0, from.remaining() / 512, false), from,
                    DataDirection.HOST_TO_CONTROLLER, cid).thenApply(RingClient.Completion::status);
        }

        @Override
        public CompletableFuture<MisbehavingTargetSuite.Failure> failure() {
            return client.failure.thenApply(Connection::classified);
        }

        private static MisbehavingTargetSuite.Failure classified(IOException cause) {
            if (cause instanceof QueueFailure failure) {
                return new MisbehavingTargetSuite.Failure(failure.fes(), failure.getMessage());
            }
            return new MisbehavingTargetSuite.Failure(null, cause.getMessage());
        }

        @Override
        public int completions() {
            return client.completions.get();
        }

        @Override
        public int failures() {
            return client.failures.get();
        }

        @Override
        public void drain() {
            client.queuePair().drain();
        }

        @Override
        public void close() {
            client.close();
        }
    }
}
