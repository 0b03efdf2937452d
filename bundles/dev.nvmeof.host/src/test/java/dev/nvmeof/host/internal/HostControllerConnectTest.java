package dev.nvmeof.host.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.nvmeof.api.ControllerState;
import dev.nvmeof.api.InvalidOptionException;
import dev.nvmeof.api.NvmeNamespace;
import dev.nvmeof.api.NvmeTimeoutException;
import dev.nvmeof.spi.transport.QueueParameters;
import dev.nvmeof.spi.transport.TransportLimits;

/** The connect sequence against a fake transport: order, clamping, queue counts, deadlines, disconnect. */
class HostControllerConnectTest {
    private final HostFixture f = new HostFixture();

    @Test
    void shouldRunTheConnectSequenceInOrder() throws Exception {
        HostController c = f.connect(HostFixture.build(f.options().queueSize(64).keepAliveTmo(5)));

        assertEquals(List.of(
                "q0 Connect qid=0 sqsize=31 kato=5000",
                "q0 Property Get CAP",
                "q0 Property Get VS",
                "q0 Property Set CC 0x460001",
                "q0 Property Get CSTS",
                "q0 Identify CNS 1 nsid 0",
                "q0 Set Features 7 0x10001",
                "q1 Connect qid=1 sqsize=63 kato=0",
                "q2 Connect qid=2 sqsize=63 kato=0",
                "q0 Identify CNS 2 nsid 0",
                "q0 Identify CNS 0 nsid 1",
                "q0 Async Event Request"), f.transport.commands());
        assertEquals(ControllerState.LIVE, c.state());
        assertEquals("nvme0", c.name());
        assertEquals(f.target.cntlid, c.cntlid());
        assertEquals(2, c.ioQueueCount());
        assertEquals(f.identity.hostnqn(), f.target.lastHostNqn);
        NvmeNamespace ns = c.namespaces().get(0);
        assertEquals("nvme0n1", ns.name());
        assertEquals(1, ns.nsid());
        assertEquals(2048, ns.blocks());
        assertEquals(512, ns.blockSize());
        List<QueueParameters> queues = f.transport.queueParameters();
        assertEquals(new QueueParameters(0, 32, 8192, false, false, false, Duration.ofSeconds(10)), queues.get(0));
        assertEquals(new QueueParameters(1, 64, 0x104 * 16 - 64, false, false, false, Duration.ofSeconds(10)),
                queues.get(1));
    }

    @Test
    void shouldClampQueueSizeToMqesPlusOne() throws Exception {
        f.target.mqes = 31;
        f.connect(HostFixture.build(f.options().queueSize(128)));
        assertTrue(f.transport.commands().contains("q1 Connect qid=1 sqsize=31 kato=0"));
        assertEquals(32, f.transport.queueParameters().get(1).queueSize());
    }

    @Test
    void shouldClampQueueSizeToMaxcmd() throws Exception {
        f.target.maxcmd = 20;
        f.connect(HostFixture.build(f.options().queueSize(128)));
        assertEquals(20, f.transport.queueParameters().get(1).queueSize());
    }

    @Test
    void shouldCreateTheFewestOfAskedTransportLimitAndGrantedQueues() throws Exception {
        f.transport.limits = new TransportLimits(4, 1 << 20, 1, false);
        f.target.grantedQueues = 3;
        HostController c = f.connect(HostFixture.build(f.options().nrIoQueues(8)));
        assertTrue(f.transport.commands().contains("q0 Set Features 7 0x30003"), "asks min(8, 4)");
        assertEquals(3, c.ioQueueCount());
    }

    @Test
    void shouldHonourFewerQueuesAskedThanAllowed() throws Exception {
        HostController c = f.connect(HostFixture.build(f.options().nrIoQueues(1)));
        assertTrue(f.transport.commands().contains("q0 Set Features 7 0x0"));
        assertEquals(1, c.ioQueueCount());
    }

    @Test
    void shouldNameCstsRdyWhenTheControllerNeverBecomesReady() {
        f.target.readyAfterPolls = -1;
        long start = f.clock.nanoTime();
        NvmeTimeoutException e = assertThrows(NvmeTimeoutException.class, f::connect);
        assertEquals(NvmeTimeoutException.CSTS_RDY, e.step());
        assertEquals(Duration.ofSeconds(1), e.timeout()); // CAP.TO 2 x 500 ms
        assertTrue(f.clock.nanoTime() - start >= Duration.ofSeconds(1).toNanos());
        assertTrue(f.host.controllers().isEmpty(), "a failed connect leaves no controller");
    }

    @Test
    void shouldWaitForReadyWithinCapTimeout() throws Exception {
        f.target.readyAfterPolls = 5;
        assertEquals(ControllerState.LIVE, f.connect().state());
    }

    @Test
    void shouldNameTheStepWhenIdentifyIsNeverAnswered() throws Exception {
        f.transport.drop = name -> name.startsWith("q0 Identify CNS 1");
        ExecutorService connector = Executors.newSingleThreadExecutor();
        try {
            CompletableFuture<Void> connecting = CompletableFuture.runAsync(() -> {
                try {
                    f.connect();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }, connector);
            assertTrue(f.transport.awaitCommand("q0 Identify CNS 1", 10_000));
            HostController c = f.host.hostController("nvme0").orElseThrow();
            f.clock.advance(Duration.ofSeconds(60).minusNanos(1));
            c.doWork(f.clock.nanoTime());
            assertFalse(connecting.isDone());
            f.clock.advance(1);
            c.doWork(f.clock.nanoTime());
            ExecutionException e = assertThrows(ExecutionException.class, () -> connecting.get(10, TimeUnit.SECONDS));
            NvmeTimeoutException timeout = assertInstanceOf(NvmeTimeoutException.class, e.getCause().getCause());
            assertEquals(NvmeTimeoutException.IDENTIFY, timeout.step());
            assertEquals(ControllerState.DEAD, c.state());
        } finally {
            connector.shutdownNow();
        }
    }

    @Test
    void shouldRefuseADuplicateConnectUnlessAllowed() throws Exception {
        f.connect();
        InvalidOptionException e = assertThrows(InvalidOptionException.class, f::connect);
        assertEquals("duplicate_connect", e.option());
        HostController second = f.connect(HostFixture.build(f.options().duplicateConnect(true)));
        assertEquals("nvme1", second.name());
        assertEquals(2, f.host.controllers().size());
    }

    @Test
    void shouldRefuseAnOptionTheTransportDoesNotAllowBeforeAssociating() {
        InvalidOptionException e = assertThrows(InvalidOptionException.class,
                () -> f.connect(HostFixture.build(f.options().hostIface("eth0"))));
        assertEquals("host_iface", e.option());
        assertEquals(0, f.transport.associations());
    }

    @Test
    void shouldShutDownAndForgetTheControllerOnDisconnect() throws Exception {
        HostController c = f.connect();
        f.transport.clearCommands();
        c.disconnect();
        assertEquals(List.of("q0 Property Set CC 0x464001", "q0 Property Get CSTS"), f.transport.commands());
        assertEquals(ControllerState.DEAD, c.state());
        assertTrue(f.host.controllers().isEmpty());
        HostFixture.Counted late = new HostFixture.Counted();
        f.device().submit(late.request.flush());
        assertEquals(1, late.completions.get());
        assertEquals(0x370, late.request.failure().status().typeAndCode());
    }

    @Test
    void shouldAbortRequestsInFlightWhenDisconnected() throws Exception {
        HostController c = f.connect();
        f.transport.autoComplete = false;
        HostFixture.Counted inFlight = new HostFixture.Counted();
        f.device().submit(inFlight.request.write(0, java.nio.ByteBuffer.allocate(512), false));
        f.transport.autoComplete = true; // the shutdown commands are answered, the write never is
        c.disconnect();
        assertEquals(1, inFlight.completions.get());
        assertEquals(0x371, inFlight.request.failure().status().typeAndCode());
    }

    @Test
    void shouldRefuseAControllerWithoutSglSupport() {
        f.target.sgls = 0;
        dev.nvmeof.api.NvmeTransportException e =
                assertThrows(dev.nvmeof.api.NvmeTransportException.class, f::connect);
        assertTrue(e.getMessage().contains("SGL"), e.getMessage());
        assertFalse(e.reconnectable());
        assertTrue(f.host.controllers().isEmpty());
    }
}
