package dev.nvmeof.transport.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.NvmeTimeoutException;
import dev.nvmeof.api.NvmeTransportException;
import dev.nvmeof.protocol.NanoClock;
import dev.nvmeof.protocol.tls.TlsPsk;
import dev.nvmeof.protocol.tls.TlsPskHash;
import dev.nvmeof.spi.transport.QueueParameters;
import dev.nvmeof.spi.transport.TransportAssociation;
import dev.nvmeof.spi.transport.TransportRequest;
import dev.nvmeof.target.NamespaceConfig;
import dev.nvmeof.target.NvmeTarget;
import dev.nvmeof.target.SubsystemConfig;
import dev.nvmeof.target.TargetOptions;

/** Handshake deadlines, unreachable targets, a target going away, and drain. */
class TcpQueueFailureTest {
    private static final Duration SHORT = Duration.ofMillis(500);
    private static final long MARGIN_MILLIS = 2_000;

    private TcpTransport transport;

    @BeforeEach
    void start() {
        transport = new TcpTransport(1, NanoClock.SYSTEM);
    }

    @AfterEach
    void stop() {
        transport.close();
    }

    private static QueueParameters admin(Duration timeout) {
        return new QueueParameters(0, 32, 8192, false, false, false, timeout);
    }

    @Test
    void shouldTimeOutNamingIcRespWhenThePeerAcceptsAndNeverAnswers() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            // The kernel completes the TCP handshake from the backlog; nobody ever sends an ICResp.
            InetSocketAddress at = new InetSocketAddress("127.0.0.1", silent.getLocalPort());
            try (TransportAssociation association = transport.associate(SpiHost.options(at, false, false))) {
                long start = System.nanoTime();
                NvmeTimeoutException e = assertThrows(NvmeTimeoutException.class,
                        () -> association.createQueue(admin(SHORT), new SpiHost.Recorder()));
                long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertEquals(NvmeTimeoutException.IC_RESP, e.step(), e.getMessage());
                assertEquals(SHORT, e.timeout());
                assertTrue(tookMillis >= SHORT.toMillis() - 50 && tookMillis < SHORT.toMillis() + MARGIN_MILLIS,
                        "took " + tookMillis + " ms");
            }
        }
    }

    @Test
    void shouldTimeOutNamingTheTlsHandshakeWhenTheTargetNeverAnswersTheClientHello() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            InetSocketAddress at = new InetSocketAddress("127.0.0.1", silent.getLocalPort());
            String key = TlsPsk.generate(TlsPskHash.SHA_256, new java.security.SecureRandom()).format();
            ConnectOptions options = ConnectOptions.builder().transport("tcp").traddr("127.0.0.1")
                    .trsvcid(at.getPort()).nqn(SpiHost.NQN).hostnqn("nqn.2024-01.dev.nvmeof:tls-stall")
                    .tlsKey(key).build();
            try (TransportAssociation association = transport.associate(options)) {
                NvmeTimeoutException e = assertThrows(NvmeTimeoutException.class,
                        () -> association.createQueue(admin(SHORT), new SpiHost.Recorder()));
                assertEquals("TLS handshake", e.step(), e.getMessage());
                assertFalse(e.getMessage().contains(key.substring(16, 40)), e.getMessage());
            }
        }
    }

    @Test
    void shouldFailAConnectInProgressWhenTheTransportCloses() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            InetSocketAddress at = new InetSocketAddress("127.0.0.1", silent.getLocalPort());
            TransportAssociation association = transport.associate(SpiHost.options(at, false, false));
            java.util.concurrent.CompletableFuture<Object> connecting = new java.util.concurrent.CompletableFuture<>();
            Thread connector = new Thread(() -> {
                try {
                    connecting.complete(association.createQueue(admin(Duration.ofMinutes(5)),
                            new SpiHost.Recorder()));
                } catch (Exception | Error e) {
                    connecting.completeExceptionally(e);
                }
            });
            connector.start();
            silent.setSoTimeout(10_000);
            try (java.net.Socket accepted = silent.accept()) { // the queue is connected and waits for ICResp
                transport.close();
                java.util.concurrent.ExecutionException e = assertThrows(
                        java.util.concurrent.ExecutionException.class, () -> connecting.get(10, TimeUnit.SECONDS));
                assertTrue(e.getCause() instanceof NvmeTransportException, String.valueOf(e.getCause()));
                assertTrue(e.getCause().getMessage().contains("the tcp transport closed"), e.getCause().getMessage());
            }
            NvmeTransportException after = assertThrows(NvmeTransportException.class,
                    () -> association.createQueue(admin(SHORT), new SpiHost.Recorder()));
            assertTrue(after.getMessage().contains("the tcp transport is closed"), after.getMessage());
        }
    }

    @Test
    void shouldReportUnreachableWhenTheConnectionIsRefused() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        InetSocketAddress at = new InetSocketAddress("127.0.0.1", port);
        try (TransportAssociation association = transport.associate(SpiHost.options(at, false, false))) {
            NvmeTransportException e = assertThrows(NvmeTransportException.class,
                    () -> association.createQueue(admin(Duration.ofSeconds(10)), new SpiHost.Recorder()));
            assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
            assertNotNull(e.getCause());
        }
    }

    @Test
    void shouldFailTheQueueOnceWhenTheTargetClosesTheConnection() throws Exception {
        try (NvmeTarget target = NvmeTarget.start(TargetOptions.defaults())) {
            target.addSubsystem(SubsystemConfig.of(SpiHost.NQN, NamespaceConfig.ram(1, 1 << 20, 512)));
            InetSocketAddress at = target.listen(new InetSocketAddress("127.0.0.1", 0));
            try (SpiHost host = SpiHost.connect(transport, at, true, true, 32)) {
                target.removeSubsystem(SpiHost.NQN);
                NvmeTransportException io = host.ioEvents.failed.get(SpiHost.WAIT_SECONDS, TimeUnit.SECONDS);
                NvmeTransportException admin = host.adminEvents.failed.get(SpiHost.WAIT_SECONDS, TimeUnit.SECONDS);
                assertTrue(io.reconnectable());
                assertNotNull(admin.getMessage());
                // After drain nothing more can happen: the counts are final.
                host.io.drain();
                host.admin.drain();
                assertEquals(1, host.ioEvents.failures.get());
                assertEquals(1, host.adminEvents.failures.get());
                // A submit on a failed queue is the core's again: it never completes.
                TransportRequest late = new TransportRequest();
                host.io.submit(SpiHost.read(late, 3, 0, ByteBuffer.allocate(512)));
                host.io.drain();
                assertEquals(1, host.ioEvents.completions.get(), "only the I/O queue's Connect completed");
            }
        }
    }

    @Test
    void shouldDeliverNoCompletionAfterDrainReturns() throws Exception {
        try (NvmeTarget target = NvmeTarget.start(TargetOptions.defaults())) {
            target.addSubsystem(SubsystemConfig.of(SpiHost.NQN, NamespaceConfig.ram(1, 8 << 20, 512)));
            InetSocketAddress at = target.listen(new InetSocketAddress("127.0.0.1", 0));
            try (SpiHost host = SpiHost.connect(transport, at, false, false, 64)) {
                host.ioEvents.listener = request -> { };
                TransportRequest[] requests = new TransportRequest[48];
                for (int cid = 0; cid < requests.length; cid++) {
                    requests[cid] = SpiHost.read(new TransportRequest(), cid, cid * 8L, ByteBuffer.allocate(4096));
                    host.io.submit(requests[cid]);
                }
                host.io.drain();
                int atDrain = host.ioEvents.completions.get();
                // A round trip on the admin queue, served by the same (single) event loop, gives the target ample
                // time to answer everything submitted before the drain; none of it may be delivered.
                TransportRequest probe = new TransportRequest();
                dev.nvmeof.protocol.FabricsCommands.propertyGet(probe.sqe(), 9,
                        dev.nvmeof.protocol.ControllerProperty.CSTS);
                SpiHost.check(SpiHost.execute(host.admin, probe, host.adminEvents), "Property Get after drain");
                assertEquals(atDrain, host.ioEvents.completions.get());
                assertTrue(atDrain <= requests.length + 1);
                assertEquals(0, host.ioEvents.failures.get());
            }
        }
    }
}
