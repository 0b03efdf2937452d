package dev.nvmeof.transport.tcp.internal;

import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

import dev.nvmeof.protocol.NanoClock;
import dev.nvmeof.spi.transport.QueueParameters;
import dev.nvmeof.spi.transport.TransportAssociation;
import dev.nvmeof.spi.transport.TransportQueue;
import dev.nvmeof.spi.transport.TransportRequest;
import dev.nvmeof.testkit.MisbehavingTargetSuite;
import dev.nvmeof.testkit.ScriptedTarget;

/** The shared misbehaving-target suite (the emulated NIC runs the same) against one I/O queue of this transport. */
@Timeout(120)
class TcpMisbehavingTargetTest {

    @TestFactory
    Stream<DynamicTest> theSharedMisbehavingTargetSuite() {
        return MisbehavingTargetSuite.scenarios(TcpMisbehavingTargetTest::open).stream()
                .map(scenario -> dynamicTest(scenario.name(), scenario.body()::run));
    }

    private static MisbehavingTargetSuite.Connection open(InetSocketAddress target, boolean headerDigest,
            boolean dataDigest) throws Exception {
        TcpTransport transport = new TcpTransport(1, NanoClock.SYSTEM);
        try {
            TransportAssociation association = transport.associate(SpiHost.options(target, headerDigest,
                    dataDigest));
            SpiHost.Recorder events = new SpiHost.Recorder();
            TransportQueue queue = association.createQueue(new QueueParameters(1, 32, 0, headerDigest, dataDigest,
                    false, Duration.ofMillis(ScriptedTarget.TIMEOUT_MILLIS)), events);
            return new Connection(transport, association, queue, events);
        } catch (Exception | Error e) {
            transport.close();
            throw e;
        }
    }

    private record Connection(TcpTransport transport, TransportAssociation association, TransportQueue queue,
            SpiHost.Recorder events) implements MisbehavingTargetSuite.Connection {
        @Override
        public CompletableFuture<Integer> read(int cid, ByteBuffer into) {
            return submit(SpiHost.read(new TransportRequest(), cid, 0, into));
        }

        @Override
        public CompletableFuture<Integer> write(int cid, ByteBuffer from) {
            return submit(SpiHost.write(new TransportRequest(), cid, 0, from));
        }

        private CompletableFuture<Integer> submit(TransportRequest request) {
            CompletableFuture<TransportRequest> done = new CompletableFuture<>();
            request.attachment(done);
            queue.submit(request);
            return done.thenApply(TransportRequest::status);
        }

        @Override
        public CompletableFuture<MisbehavingTargetSuite.Failure> failure() {
            return events.failed.thenApply(e -> new MisbehavingTargetSuite.Failure(e.fatalErrorStatus(),
                    e.getMessage()));
        }

        @Override
        public int completions() {
            return events.completions.get();
        }

        @Override
        public int failures() {
            return events.failures.get();
        }

        @Override
        public void drain() {
            queue.drain();
        }

        @Override
        public void close() {
            try {
                association.close();
            } finally {
                transport.close();
            }
        }
    }
}
