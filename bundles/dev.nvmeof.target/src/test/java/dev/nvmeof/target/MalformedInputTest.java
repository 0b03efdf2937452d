package dev.nvmeof.target;

import dev.nvmeof.testkit.NvmeTcpTestClient;
import static dev.nvmeof.target.TargetFixture.NQN;
import static dev.nvmeof.target.TargetFixture.assertStatus;
import static dev.nvmeof.target.TargetFixture.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.nvmeof.protocol.NvmCommands;
import dev.nvmeof.protocol.tcp.FatalErrorStatus;
import dev.nvmeof.protocol.tcp.H2cDataPdu;
import dev.nvmeof.protocol.tcp.PduFlags;
import dev.nvmeof.protocol.tcp.PduHeaderFlyweight;

/**
 * Hostile PDUs: each connection-fatal one gets a C2HTermReq with the right FES (and FEI for header fields), the
 * connection closes, and a bystander controller's I/O queue carries on. Data digest errors fail only their command.
 */
class MalformedInputTest {
    private TargetFixture fixture;
    private NvmeTcpTestClient bystander;
    private int cntlid;

    @BeforeEach
    void start() throws Exception {
        fixture = TargetFixture.start();
        cntlid = fixture.controller(NQN, 8).cntlid();
        bystander = fixture.ioQueue(NQN, cntlid, 1);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void shouldTerminateWhenThePduTypeIsUnknown() throws Exception {
        NvmeTcpTestClient host = fixture.open();
        host.writeRaw(new byte[] {0x55, 0, 8, 0, 8, 0, 0, 0});
        assertTerminated(host, FatalErrorStatus.INVALID_PDU_HEADER_FIELD, PduHeaderFlyweight.TYPE_OFFSET);
    }

    @Test
    void shouldTerminateWhenHlenIsWrong() throws Exception {
        NvmeTcpTestClient host = fixture.open();
        byte[] pdu = capsule(host, 0);
        pdu[PduHeaderFlyweight.HLEN_OFFSET] = 64;
        host.writeRaw(pdu);
        assertTerminated(host, FatalErrorStatus.INVALID_PDU_HEADER_FIELD, PduHeaderFlyweight.HLEN_OFFSET);
    }

    @Test
    void shouldTerminateWhenDigestFlagsDisagreeWithTheNegotiation() throws Exception {
        NvmeTcpTestClient host = fixture.open(false, false);
        byte[] pdu = capsule(host, 0);
        pdu[PduHeaderFlyweight.FLAGS_OFFSET] |= PduFlags.HDGSTF;
        host.writeRaw(pdu);
        assertTerminated(host, FatalErrorStatus.INVALID_PDU_HEADER_FIELD, PduHeaderFlyweight.FLAGS_OFFSET);
    }

    @Test
    void shouldTerminateWhenTheHeaderDigestIsWrong() throws Exception {
        NvmeTcpTestClient host = fixture.open(true, false);
        byte[] pdu = capsule(host, 0);
        pdu[pdu.length - 1] ^= 0x5A;
        host.writeRaw(pdu);
        assertTerminated(host, FatalErrorStatus.HEADER_DIGEST_ERROR, -1);
    }

    @Test
    void shouldTerminateWhenPdoIsMisaligned() throws Exception {
        NvmeTcpTestClient host = connectedIoQueue(2);
        NvmCommands.write(host.sqe, host.cid(), 1, 0, 1, false);
        host.sqe.sglInCapsule(0, 512);
        byte[] pdu = host.capsuleHeaderBytes(512);
        pdu[PduHeaderFlyweight.PDO_OFFSET] += 1;
        host.writeRaw(pdu);
        host.writeRaw(new byte[512]);
        assertTerminated(host, FatalErrorStatus.INVALID_PDU_HEADER_FIELD, PduHeaderFlyweight.PDO_OFFSET);
    }

    @Test
    void shouldTerminateWhenInCapsuleDataExceeds8KiB() throws Exception {
        NvmeTcpTestClient host = connectedIoQueue(2);
        NvmCommands.write(host.sqe, host.cid(), 1, 0, 17, false);
        host.sqe.sglInCapsule(0, 17 * 512);
        host.writeRaw(host.capsuleHeaderBytes(17 * 512));
        host.writeRaw(new byte[17 * 512]);
        assertTerminated(host, FatalErrorStatus.DATA_TRANSFER_LIMIT_EXCEEDED, -1);
    }

    @Test
    void shouldTerminateWhenH2cDataNamesAnUnknownTtag() throws Exception {
        NvmeTcpTestClient host = connectedIoQueue(2);
        int[] r2t = awaitR2t(host, 32);
        host.sendH2cData(r2t[0], r2t[1] + 7, 0, new byte[16384], true);
        assertTerminated(host, FatalErrorStatus.INVALID_PDU_HEADER_FIELD, H2cDataPdu.TTAG_OFFSET);
    }

    @Test
    void shouldTerminateWhenH2cDataWithoutAnyR2tArrives() throws Exception {
        NvmeTcpTestClient host = connectedIoQueue(2);
        host.sendH2cData(1, 0, 0, new byte[512], true);
        assertTerminated(host, FatalErrorStatus.INVALID_PDU_HEADER_FIELD, H2cDataPdu.TTAG_OFFSET);
    }

    @Test
    void shouldTerminateWhenH2cDataArrivesOutOfOrder() throws Exception {
        NvmeTcpTestClient host = connectedIoQueue(2);
        int[] r2t = awaitR2t(host, 32);
        host.sendH2cData(r2t[0], r2t[1], 4096, new byte[4096], false);
        assertTerminated(host, FatalErrorStatus.DATA_TRANSFER_OUT_OF_RANGE, -1);
    }

    @Test
    void shouldTerminateWhenLastPduComesBeforeAllTheData() throws Exception {
        NvmeTcpTestClient host = connectedIoQueue(2);
        int[] r2t = awaitR2t(host, 32);
        host.sendH2cData(r2t[0], r2t[1], 0, new byte[4096], true);
        assertTerminated(host, FatalErrorStatus.PDU_SEQUENCE_ERROR, -1);
    }

    @Test
    void shouldTerminateWhenASecondIcReqArrives() throws Exception {
        NvmeTcpTestClient host = fixture.open();
        host.writeRaw(new byte[] {0, 0, (byte) 128, 0, (byte) 128, 0, 0, 0});
        host.writeRaw(new byte[120]);
        assertTerminated(host, FatalErrorStatus.PDU_SEQUENCE_ERROR, -1);
    }

    @Test
    void shouldTerminateWhenTheFirstPduIsNotIcReq() throws Exception {
        NvmeTcpTestClient host = fixture.raw();
        host.writeRaw(new byte[] {0x04, 0, 72, 0, 72, 0, 0, 0});
        host.writeRaw(new byte[64]);
        assertTerminated(host, FatalErrorStatus.PDU_SEQUENCE_ERROR, -1);
    }

    @Test
    void shouldTerminateWhenTheIcReqAsksForAnUnsupportedVersion() throws Exception {
        NvmeTcpTestClient host = fixture.raw();
        byte[] icReq = new byte[128];
        icReq[2] = (byte) 128;
        icReq[4] = (byte) 128;
        icReq[8] = 1; // PFV 1
        host.writeRaw(icReq);
        assertTerminated(host, FatalErrorStatus.UNSUPPORTED_PARAMETER, 8);
    }

    @Test
    void shouldFailOnlyTheCommandWhenTheInCapsuleDataDigestIsWrong() throws Exception {
        NvmeTcpTestClient host = digestIoQueue(2);
        host.corruptNextDataDigest = true;
        NvmeTcpTestClient.Completion c = host.command(sqe -> NvmCommands.write(sqe, 0, 1, 200, 8, false),
                ByteBuffer.wrap(pattern(4096, 1)), null);
        assertStatus(c, 0, 0x22);
        assertArrayEquals(new byte[4096], TargetFixture.read(host, 1, 200, 8), "nothing was written");
        TargetFixture.assertIoWorks(host, 2);
        TargetFixture.assertIoWorks(bystander, 3);
    }

    @Test
    void shouldFailOnlyTheCommandWhenTheH2cDataDigestIsWrong() throws Exception {
        NvmeTcpTestClient host = digestIoQueue(2);
        host.corruptNextDataDigest = true;
        NvmeTcpTestClient.Completion c = host.command(sqe -> NvmCommands.write(sqe, 0, 1, 300, 64, false),
                ByteBuffer.wrap(pattern(32768, 4)), null);
        assertEquals(1, host.r2tCount);
        assertStatus(c, 0, 0x22);
        TargetFixture.assertIoWorks(host, 5);
        byte[] big = pattern(32768, 6);
        TargetFixture.write(host, 1, 300, big);
        assertArrayEquals(big, TargetFixture.read(host, 1, 300, 64), "R2T writes work after the failure");
        TargetFixture.assertIoWorks(bystander, 7);
    }

    // ---- helpers ----

    private void assertTerminated(NvmeTcpTestClient host, FatalErrorStatus fes, int fei) throws Exception {
        assertTrue(host.awaitClose(), "the target closes the connection");
        assertEquals(fes.code(), host.termReqFes, "FES");
        if (fei >= 0) {
            assertEquals(fei, host.termReqFei, "FEI: the offset of the field in error");
        }
        TargetFixture.assertIoWorks(bystander, fes.code());
    }

    private static byte[] capsule(NvmeTcpTestClient host, int inCapsule) {
        dev.nvmeof.protocol.AdminCommands.keepAlive(host.sqe, host.cid());
        return host.capsuleHeaderBytes(inCapsule);
    }

    private NvmeTcpTestClient connectedIoQueue(int qid) throws Exception {
        return fixture.ioQueue(NQN, cntlid, qid);
    }

    private NvmeTcpTestClient digestIoQueue(int qid) throws Exception {
        NvmeTcpTestClient host = fixture.open(true, true);
        assertTrue(host.connect(NQN, qid, cntlid, 127, 0).ok());
        return host;
    }

    /** Sends a write of {@code kib} KiB through R2T and waits for the R2T, answering nothing. */
    private static int[] awaitR2t(NvmeTcpTestClient host, int kib) throws Exception {
        host.manualR2t = true;
        NvmCommands.write(host.sqe, host.cid(), 1, 0, kib * 2, false);
        host.send(ByteBuffer.wrap(new byte[kib * 1024]), null);
        while (host.lastR2t == null) {
            host.readSome();
        }
        assertEquals(kib * 1024, host.lastR2t[3], "R2TL");
        return host.lastR2t;
    }
}
