package dev.nvmeof.protocol.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * 100,000+ mutated streams (flipped bits, random bytes, overwritten length fields, inserted and deleted runs,
 * truncation, splices) fed in random chunks: the decoder consumes every byte, throws nothing but
 * {@link FatalPduException}, never hangs, and never retains more than {@link PduDecoder#MAX_RETAINED_BYTES}.
 */
class PduDecoderFuzzTest {

    private static final int STREAMS = 120_000;
    private static final long SEED = 0x5eed_2026L;

    /** Serves any tag from one big buffer, refuses odd tags, and negotiates whatever the peer's IC PDU says. */
    private static final class FuzzHandler implements HostPduHandler, ControllerPduHandler {
        final ByteBuffer sink = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        PduDecoder decoder;
        int pdus;

        @Override
        public void onIcReq(IcReqPdu pdu) {
            decoder.negotiated(pdu.headerDigest(), pdu.dataDigest(), 0);
            pdus++;
        }

        @Override
        public void onIcResp(IcRespPdu pdu) {
            decoder.negotiated(pdu.headerDigest(), pdu.dataDigest(), pdu.cpda() & 3);
            pdus++;
        }

        @Override
        public void onTermReq(TermReqPdu pdu) {
            pdus++;
        }

        @Override
        public void onCapsuleResp(CapsuleRespPdu pdu) {
            pdus++;
        }

        @Override
        public void onR2t(R2tPdu pdu) {
            pdus++;
        }

        @Override
        public ByteBuffer onC2hData(C2hDataPdu pdu) {
            return (pdu.cccid() & 1) == 0 ? sink : null;
        }

        @Override
        public void onC2hDataEnd(C2hDataPdu pdu, boolean dataDigestOk) {
            pdus++;
        }

        @Override
        public ByteBuffer onCapsuleCmd(CapsuleCmdPdu pdu) {
            pdus++;
            return (pdu.cid() & 1) == 0 ? sink : null;
        }

        @Override
        public void onCapsuleCmdEnd(CapsuleCmdPdu pdu, boolean dataDigestOk) {
        }

        @Override
        public ByteBuffer onH2cData(H2cDataPdu pdu) {
            return (pdu.ttag() & 1) == 0 ? sink : null;
        }

        @Override
        public void onH2cDataEnd(H2cDataPdu pdu, boolean dataDigestOk) {
            pdus++;
        }
    }

    private static List<byte[]> seeds() {
        return List.of(
                new StreamBuilder().icReq(0, false, false).capsuleCmd(1, 2, StreamBuilder.pattern(200, 1))
                        .capsuleCmd(6, 4, new byte[0]).h2cData(2, 4, 0, StreamBuilder.pattern(100, 2), true)
                        .termReq(true, FatalErrorStatus.PDU_SEQUENCE_ERROR, 0, StreamBuilder.pattern(30, 3)).bytes(),
                new StreamBuilder().icReq(0, true, true).negotiated(true, true, 0)
                        .capsuleCmd(1, 2, StreamBuilder.pattern(300, 4)).h2cData(2, 6, 0, StreamBuilder.pattern(64, 5), true)
                        .capsuleCmd(2, 8, new byte[0]).bytes(),
                new StreamBuilder().icResp(0, false, false, 8192).capsuleResp(2, 0).r2t(2, 4, 0, 100)
                        .c2hData(4, 0, StreamBuilder.pattern(200, 6), false, false)
                        .c2hData(4, 200, StreamBuilder.pattern(100, 7), true, true).bytes(),
                new StreamBuilder().icResp(1, true, true, 8192).negotiated(true, true, 0)
                        .capsuleResp(2, 0).c2hData(4, 0, StreamBuilder.pattern(333, 8), true, false)
                        .r2t(6, 2, 0, 4096).termReq(false, FatalErrorStatus.HEADER_DIGEST_ERROR, 0, new byte[8]).bytes());
    }

    @Test
    void shouldOnlyEverRaiseTheTypedProtocolErrorOnMutatedStreams() {
        assertTimeoutPreemptively(Duration.ofMinutes(2), this::fuzz);
    }

    private void fuzz() {
        Random random = new Random(SEED);
        List<byte[]> seeds = seeds();
        int fatal = 0;
        int clean = 0;
        for (int i = 0; i < STREAMS; i++) {
            byte[] seed = seeds.get(i % seeds.size());
            boolean controllerSide = seed[0] == 0x00;
            byte[] stream = mutate(seed, random);
            FuzzHandler handler = new FuzzHandler();
            handler.decoder = controllerSide ? PduDecoder.forController(handler) : PduDecoder.forHost(handler);
            if (decode(handler.decoder, stream, random, i)) {
                clean++;
            } else {
                fatal++;
            }
        }
        // The mutations must exercise both outcomes, or the test proves little.
        assertTrue(fatal > STREAMS / 10, "fatal " + fatal);
        assertTrue(clean > STREAMS / 100, "clean " + clean);
    }

    /** @return true when the whole stream decoded without a fatal error */
    private static boolean decode(PduDecoder decoder, byte[] stream, Random random, int index) {
        int at = 0;
        try {
            while (at < stream.length) {
                int n = Math.min(stream.length - at, 1 + random.nextInt(random.nextBoolean() ? 8 : 600));
                ByteBuffer chunk = ByteBuffer.wrap(stream, at, n).order(ByteOrder.LITTLE_ENDIAN);
                decoder.decode(chunk);
                assertEquals(at + n, chunk.position(), "stream " + index + ": every byte consumed");
                assertTrue(decoder.retainedBytes() <= PduDecoder.MAX_RETAINED_BYTES,
                        "stream " + index + ": retained " + decoder.retainedBytes());
                at += n;
            }
            return true;
        } catch (FatalPduException expected) {
            assertEquals(PduDecoder.State.ERROR, decoder.state());
            return false;
        } catch (RuntimeException | AssertionError e) {
            throw new AssertionError("stream " + index + " (seed " + SEED + ") raised " + e, e);
        }
    }

    static byte[] mutate(byte[] seed, Random random) {
        byte[] s = seed.clone();
        int mutations = 1 + random.nextInt(4);
        for (int m = 0; m < mutations; m++) {
            switch (random.nextInt(7)) {
                case 0: // flip a bit
                    s[random.nextInt(s.length)] ^= (byte) (1 << random.nextInt(8));
                    break;
                case 1: // a random byte
                    s[random.nextInt(s.length)] = (byte) random.nextInt(256);
                    break;
                case 2: { // overwrite a header field of some PDU-looking place with an extreme value
                    int at = random.nextInt(Math.max(1, s.length - 8));
                    int[] values = {0, 1, 0xff, 0x7fffffff, 0xffffffff, 0x80000000, 152, 153, 4096, 8193};
                    int v = values[random.nextInt(values.length)];
                    for (int k = 0; k < 4 && at + k < s.length; k++) {
                        s[at + k] = (byte) (v >>> (8 * k));
                    }
                    break;
                }
                case 3: { // insert a run of random bytes
                    int at = random.nextInt(s.length + 1);
                    byte[] run = new byte[1 + random.nextInt(40)];
                    random.nextBytes(run);
                    byte[] t = new byte[s.length + run.length];
                    System.arraycopy(s, 0, t, 0, at);
                    System.arraycopy(run, 0, t, at, run.length);
                    System.arraycopy(s, at, t, at + run.length, s.length - at);
                    s = t;
                    break;
                }
                case 4: { // delete a run
                    int at = random.nextInt(s.length);
                    int n = Math.min(s.length - at, 1 + random.nextInt(40));
                    byte[] t = new byte[s.length - n];
                    System.arraycopy(s, 0, t, 0, at);
                    System.arraycopy(s, at + n, t, at, s.length - at - n);
                    s = t.length == 0 ? new byte[] {0} : t;
                    break;
                }
                case 5: // truncate
                    s = Arrays.copyOf(s, 1 + random.nextInt(s.length));
                    break;
                default: { // splice a slice of the stream over itself
                    int from = random.nextInt(s.length);
                    int to = random.nextInt(s.length);
                    int n = Math.min(Math.min(s.length - from, s.length - to), 1 + random.nextInt(64));
                    System.arraycopy(s.clone(), from, s, to, n);
                    break;
                }
            }
        }
        return s;
    }
}
