package dev.nvmeof.protocol.tcp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/** Builds a byte stream of PDUs with the encoder, appending the data and data digest a sender would. */
final class StreamBuilder {
    final PduEncoder encoder = new PduEncoder();
    private final ByteBuffer out = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);

    StreamBuilder negotiated(boolean hdgst, boolean ddgst, int peerPda) {
        encoder.negotiated(hdgst, ddgst, peerPda);
        return this;
    }

    StreamBuilder icReq(int hpda, boolean hdgst, boolean ddgst) {
        encoder.icReq(out, hpda, hdgst, ddgst, 0);
        return this;
    }

    StreamBuilder icResp(int cpda, boolean hdgst, boolean ddgst, int maxH2cData) {
        encoder.icResp(out, cpda, hdgst, ddgst, maxH2cData);
        return this;
    }

    StreamBuilder capsuleCmd(int opcode, int cid, byte[] inCapsule) {
        ByteBuffer sqe = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        sqe.put(0, (byte) opcode).putShort(2, (short) cid).putInt(4, 1);
        encoder.capsuleCmd(out, sqe, 0, inCapsule.length);
        return data(inCapsule);
    }

    StreamBuilder capsuleResp(int cid, int statusWord) {
        ByteBuffer cqe = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        cqe.putShort(12, (short) cid).putShort(14, (short) statusWord);
        encoder.capsuleResp(out, cqe, 0);
        return this;
    }

    StreamBuilder r2t(int cid, int ttag, int offset, int length) {
        encoder.r2t(out, cid, ttag, offset, length);
        return this;
    }

    StreamBuilder h2cData(int cid, int ttag, int datao, byte[] data, boolean last) {
        encoder.h2cData(out, cid, ttag, datao, data.length, last);
        return data(data);
    }

    StreamBuilder c2hData(int cid, int datao, byte[] data, boolean last, boolean success) {
        encoder.c2hData(out, cid, datao, data.length, last, success);
        return data(data);
    }

    StreamBuilder termReq(boolean hostToController, FatalErrorStatus fes, int fei, byte[] quoted) {
        encoder.termReq(out, hostToController, fes, fei, ByteBuffer.wrap(quoted));
        return this;
    }

    StreamBuilder raw(byte[] bytes) {
        out.put(bytes);
        return this;
    }

    private StreamBuilder data(byte[] data) {
        if (data.length > 0) {
            out.put(data);
            encoder.dataDigest(out, ByteBuffer.wrap(data));
        }
        return this;
    }

    int position() {
        return out.position();
    }

    byte[] bytes() {
        return Arrays.copyOf(out.array(), out.position());
    }

    static byte[] pattern(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }
}
