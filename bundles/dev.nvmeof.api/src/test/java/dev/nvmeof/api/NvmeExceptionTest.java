package dev.nvmeof.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;

import dev.nvmeof.protocol.CommandSpecificStatus;
import dev.nvmeof.protocol.GenericStatus;
import dev.nvmeof.protocol.NvmeStatus;
import dev.nvmeof.protocol.tcp.FatalErrorStatus;

import org.junit.jupiter.api.Test;

class NvmeExceptionTest {

    @Test
    void shouldCarryStatusAndCidWhenACommandFailed() {
        NvmeStatus status = NvmeStatus.generic(GenericStatus.INVALID_FIELD, true);
        NvmeStatusException e = NvmeStatusException.of("Identify Controller", status, 17);
        assertInstanceOf(IOException.class, e);
        assertSame(status, e.status());
        assertEquals(17, e.cid());
        assertTrue(e.getMessage().startsWith("Identify Controller (cid 17) failed: Invalid Field in Command"),
                e.getMessage());
        assertEquals(0x370, NvmeStatusException.hostPathError("Write", 3).status().typeAndCode());
        assertEquals(0x371, NvmeStatusException.hostAborted("Read", NvmeStatusException.NO_CID).status().typeAndCode());
    }

    @Test
    void shouldRefuseAStatusExceptionWhenTheStatusIsSuccessOrTheCidIsOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> NvmeStatusException.of(NvmeStatus.SUCCESS, 1));
        assertThrows(IllegalArgumentException.class, () -> NvmeStatusException.of(NvmeStatus.HOST_ABORTED, 65536));
    }

    @Test
    void shouldSayWhetherToReconnectWhenTheConnectionIsDead() {
        NvmeTransportException digest = NvmeTransportException.protocolError(FatalErrorStatus.HEADER_DIGEST_ERROR,
                "queue 1, CapsuleResp");
        assertEquals(FatalErrorStatus.HEADER_DIGEST_ERROR, digest.fatalErrorStatus());
        assertTrue(digest.reconnectable());
        NvmeTransportException peer = NvmeTransportException.terminatedByController(null, "C2HTermReq FES 0x7");
        assertNull(peer.fatalErrorStatus());
        assertTrue(peer.getMessage().contains("reserved"), peer.getMessage());
        ConnectException refused = new ConnectException("Connection refused");
        NvmeTransportException unreachable = NvmeTransportException.unreachable("127.0.0.1:4420", refused);
        assertSame(refused, unreachable.getCause());
        assertEquals("cannot connect to 127.0.0.1:4420: Connection refused", unreachable.getMessage());
        assertFalse(NvmeTransportException.of("controller deleted", null, false, null).reconnectable());
    }

    @Test
    void shouldNameTheStepAndTimeoutWhenADeadlineIsMissed() {
        NvmeTimeoutException e = NvmeTimeoutException.of(NvmeTimeoutException.IC_RESP, Duration.ofSeconds(10));
        assertEquals("ICResp", e.step());
        assertEquals(Duration.ofSeconds(10), e.timeout());
        assertEquals("ICResp timed out after 10 s", e.getMessage());
        assertEquals("I/O command timed out after 1500 ms (cid 4 on queue 2)", NvmeTimeoutException
                .of(NvmeTimeoutException.IO_COMMAND, Duration.ofMillis(1500), "cid 4 on queue 2").getMessage());
    }

    @Test
    void shouldNameTheOptionWhenAnOptionIsRefused() {
        InvalidOptionException e = InvalidOptionException.invalidValue("queue_size", 8, "must be 16 to 1024");
        assertEquals("queue_size", e.option());
        assertEquals("invalid option queue_size=8: must be 16 to 1024", e.getMessage());
        assertEquals("must be 16 to 1024", e.reason());
        assertInstanceOf(NvmeException.class, InvalidOptionException.unknown("x"));
    }

    @Test
    void shouldNameQueueAndReasonWithAuthenticationRequiredAndDnrWhenAuthenticationFails() {
        NvmeStatusException e = NvmeStatusException.authenticationFailed(2,
                "the controller's response does not verify");

        assertTrue(e.status().is(CommandSpecificStatus.AUTHENTICATION_REQUIRED));
        assertTrue(e.status().dnr());
        assertEquals(NvmeStatusException.NO_CID, e.cid());
        assertTrue(e.getMessage().startsWith("authentication failed on queue 2: the controller's response does not"
                + " verify"), e.getMessage());
    }
}
