package dev.nvmeof.benchmarks;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import dev.nvmeof.protocol.tcp.C2hDataPdu;
import dev.nvmeof.protocol.tcp.CapsuleRespPdu;
import dev.nvmeof.protocol.tcp.FatalPduException;
import dev.nvmeof.protocol.tcp.HostPduHandler;
import dev.nvmeof.protocol.tcp.IcRespPdu;
import dev.nvmeof.protocol.tcp.PduDecoder;
import dev.nvmeof.protocol.tcp.PduEncoder;
import dev.nvmeof.protocol.tcp.PduType;
import dev.nvmeof.protocol.tcp.R2tPdu;
import dev.nvmeof.protocol.tcp.TermReqPdu;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A host's {@link PduDecoder} on the receive path: one whole PDU per call, from a pre-encoded direct buffer (what a
 * socket read would have filled) that is rewound each call. The decoder was initialized once with an ICResp, as on a
 * live connection. Run with {@code -prof gc}: the data path must allocate nothing ({@code gc.alloc.rate.norm} below
 * 1 B/op).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DecodeBenchmark {
    static final int CID = 0x2a;

    /** A host connection's receive side: the decoder, its handler, and the one PDU it is fed over and over. */
    public abstract static class Connection implements HostPduHandler {
        PduDecoder decoder;
        ByteBuffer pdu;

        /** A decoder past ICResp that granted these digests (PDA 0 both ways). */
        void connect(boolean headerDigest, boolean dataDigest) throws FatalPduException {
            decoder = PduDecoder.forHost(this);
            ByteBuffer icResp = Payloads.direct(IcRespPdu.LENGTH);
            new PduEncoder().icResp(icResp, 0, headerDigest, dataDigest, 128 * 1024);
            if (decoder.decode(icResp.flip()) != 1) {
                throw new IllegalStateException("ICResp not delivered");
            }
        }

        /** The controller's encoder, negotiated like the host's decoder. */
        static PduEncoder controllerEncoder(boolean headerDigest, boolean dataDigest) {
            PduEncoder encoder = new PduEncoder();
            encoder.negotiated(headerDigest, dataDigest, 0);
            return encoder;
        }

        @Override
        public void onIcResp(IcRespPdu pdu) {
            decoder.negotiated(pdu.headerDigest(), pdu.dataDigest(), 0);
        }

        @Override
        public void onTermReq(TermReqPdu pdu) {
            throw new IllegalStateException("unexpected TermReq");
        }

        @Override
        public void onCapsuleResp(CapsuleRespPdu pdu) {
            throw new IllegalStateException("unexpected CapsuleResp");
        }

        @Override
        public void onR2t(R2tPdu pdu) {
            throw new IllegalStateException("unexpected R2T");
        }

        @Override
        public ByteBuffer onC2hData(C2hDataPdu pdu) {
            throw new IllegalStateException("unexpected C2HData");
        }

        @Override
        public void onC2hDataEnd(C2hDataPdu pdu, boolean dataDigestOk) {
            throw new IllegalStateException("unexpected C2HData");
        }
    }

    /**
     * One C2HData PDU carrying a whole read of {@code size} bytes (LAST_PDU) with a data digest, no header digest; the
     * handler names the read's own direct buffer as destination, as the host's tag table would by CCCID.
     */
    @State(Scope.Thread)
    public static class C2hDataState extends Connection {
        @Param({"4096", "131072"})
        int size;

        ByteBuffer payload;
        ByteBuffer destination;
        boolean digestOk;

        @Setup
        public void setUp() throws FatalPduException {
            connect(false, true);
            payload = Payloads.random(size, true);
            destination = Payloads.direct(size);
            PduEncoder encoder = controllerEncoder(false, true);
            pdu = Payloads.direct(encoder.plen(PduType.C2H_DATA, size));
            encoder.c2hData(pdu, CID, 0, size, true, false);
            pdu.put(payload.duplicate());
            encoder.dataDigest(pdu, payload);
            if (pdu.hasRemaining()) {
                throw new IllegalStateException("PLEN disagrees with what was encoded");
            }
            pdu.flip();
            // One decode before measuring, so a wrong copy is caught here and not hidden by later identical ones.
            decodeOne(this);
            verify();
        }

        @TearDown
        public void verify() {
            if (destination.mismatch(payload) != -1) {
                throw new IllegalStateException("decoded data differs from what was sent");
            }
        }

        @Override
        public ByteBuffer onC2hData(C2hDataPdu pdu) {
            return pdu.cccid() == CID ? destination : null;
        }

        @Override
        public void onC2hDataEnd(C2hDataPdu pdu, boolean dataDigestOk) {
            digestOk = dataDigestOk;
        }
    }

    /** One CapsuleResp (a successful completion), with or without a header digest. */
    @State(Scope.Thread)
    public static class CapsuleRespState extends Connection {
        @Param({"false", "true"})
        boolean headerDigest;

        int cid;
        int statusWord;

        @Setup
        public void setUp() throws FatalPduException {
            connect(headerDigest, false);
            PduEncoder encoder = controllerEncoder(headerDigest, false);
            pdu = Payloads.direct(encoder.plen(PduType.CAPSULE_RESP, 0));
            encoder.capsuleResp(pdu, Payloads.successCqe(CID), 0);
            pdu.flip();
        }

        @Override
        public void onCapsuleResp(CapsuleRespPdu pdu) {
            cid = pdu.cid();
            statusWord = pdu.statusWord();
        }
    }

    /**
     * The acceptance benchmark: header checks, the C2H data copied once into the read's buffer, CRC32C over it and
     * the digest compared. Fails the run if the PDU was not completed or its digest did not match.
     */
    @Benchmark
    public int c2hDataWithDigest(C2hDataState s) throws FatalPduException {
        return decodeOne(s);
    }

    /** A control PDU alone: common header checks, the optional header digest, the callback reading CID and status. */
    @Benchmark
    public int capsuleResp(CapsuleRespState s) throws FatalPduException {
        s.pdu.rewind();
        s.cid = -1;
        if (s.decoder.decode(s.pdu) != 1 || s.cid != CID) {
            throw new IllegalStateException("CapsuleResp not delivered");
        }
        return s.statusWord;
    }

    private static int decodeOne(C2hDataState s) throws FatalPduException {
        s.pdu.rewind();
        s.digestOk = false;
        int completed = s.decoder.decode(s.pdu);
        if (completed != 1 || !s.digestOk) {
            throw new IllegalStateException("C2HData not completed with a good data digest");
        }
        return completed;
    }
}
