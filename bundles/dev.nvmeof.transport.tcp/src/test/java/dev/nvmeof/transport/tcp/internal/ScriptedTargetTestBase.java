package dev.nvmeof.transport.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import dev.nvmeof.api.NvmeTransportException;
import dev.nvmeof.protocol.NanoClock;
import dev.nvmeof.protocol.tcp.FatalErrorStatus;
import dev.nvmeof.protocol.tcp.PduType;
import dev.nvmeof.spi.transport.QueueParameters;
import dev.nvmeof.spi.transport.TransportAssociation;
import dev.nvmeof.spi.transport.TransportQueue;
import dev.nvmeof.spi.transport.TransportRequest;
import dev.nvmeof.testkit.ScriptedTarget;

/**
 * One I/O queue of the transport, through the SPI, against a {@link ScriptedTarget}: the host side of the bad-input
 * tests, with what every one of them checks at the end.
 */
abstract class ScriptedTargetTestBase {
    static final int QUEUE_SIZE = 32;
    static final int LENGTH = 4096;

    TcpTransport transport;
    ScriptedTarget target;
    TransportAssociation association;
    final SpiHost.Recorder events = new SpiHost.Recorder();
    TransportQueue queue;

    @BeforeEach
    void startTransportAndTarget() throws Exception {
        transport = new TcpTransport(1, NanoClock.SYSTEM);
        target = ScriptedTarget.listen();
    }

    @AfterEach
    void stopTransportAndTarget() throws Exception {
        try {
            if (association != null) {
                association.close();
            }
            transport.close();
        } finally {
            target.close();
        }
    }

    /** Connects the queue (ICReq/ICResp with these digests) and waits until the target has answered. */
    void open(boolean headerDigest, boolean dataDigest) throws Exception {
        Future<Void> handshake = target.acceptAndAnswerIcReq(headerDigest, dataDigest);
        association = transport.associate(SpiHost.options(target.address(), headerDigest, dataDigest));
        queue = association.createQueue(new QueueParameters(1, QUEUE_SIZE, 0, headerDigest, dataDigest, false,
                Duration.ofMillis(ScriptedTarget.TIMEOUT_MILLIS)), events);
        handshake.get(ScriptedTarget.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Submits a read of {@code into} with this CID; the future completes with the request when it completes. */
    CompletableFuture<TransportRequest> submitRead(int cid, ByteBuffer into) {
        CompletableFuture<TransportRequest> done = new CompletableFuture<>();
        TransportRequest request = SpiHost.read(new TransportRequest(), cid, 0, into);
        request.attachment(done);
        queue.submit(request);
        return done;
    }

    /** A read submitted and seen by the target as a CapsuleCmd with its CID. */
    CompletableFuture<TransportRequest> readReachingTarget(int cid, ByteBuffer into) throws Exception {
        CompletableFuture<TransportRequest> done = submitRead(cid, into);
        assertEquals(cid, target.readCommand());
        return done;
    }

    /** Waits for {@code failed}; the cause must be a transport exception with this FES (null for none). */
    NvmeTransportException awaitFailure(FatalErrorStatus fes) throws Exception {
        NvmeTransportException cause = events.failed.get(SpiHost.WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(cause.getMessage());
        assertEquals(fes, cause.fatalErrorStatus(), cause.getMessage());
        if (fes != null) {
            assertTrue(cause.getMessage().contains(fes.toString()), cause.getMessage());
        }
        assertTrue(cause.reconnectable(), cause.getMessage());
        return cause;
    }

    /** The target reads the host's H2CTermReq (with this FES and FEI, quoting the PDU in error), then EOF. */
    void expectTermReqThenEof(FatalErrorStatus fes, int fei) throws Exception {
        ScriptedTarget.Received termReq = target.readPdu();
        assertEquals(PduType.H2C_TERM_REQ, termReq.type(), termReq.toString());
        assertEquals(fes, termReq.fes(), termReq.toString());
        assertEquals(fei, termReq.fei(), termReq.toString());
        assertTrue(termReq.quotedLength() > 0, "the TermReq quotes the PDU in error: " + termReq);
        target.expectEof();
    }

    /**
     * After {@code drain()} nothing more can happen: {@code failed} was called exactly once and none of the
     * {@code outstanding} requests completed (nor any other).
     */
    @SafeVarargs
    final void assertFailedOnceAndNothingCompleted(CompletableFuture<TransportRequest>... outstanding) {
        queue.drain();
        assertEquals(1, events.failures.get(), "failed is called exactly once");
        assertEquals(0, events.completions.get(), "no completion after the queue failed");
        for (CompletableFuture<TransportRequest> request : outstanding) {
            assertFalse(request.isDone(), "an outstanding request is the core's again, not completed");
        }
    }
}
