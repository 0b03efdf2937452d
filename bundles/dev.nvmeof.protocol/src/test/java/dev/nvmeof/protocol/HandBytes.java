package dev.nvmeof.protocol;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Golden bytes placed by hand at the spec's offsets, independently of the flyweights' constants and accessors.
 */
final class HandBytes {
    private HandBytes() {
    }

    static void le16(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
    }

    static void le32(byte[] b, int at, int v) {
        for (int i = 0; i < 4; i++) {
            b[at + i] = (byte) (v >>> 8 * i);
        }
    }

    static void le64(byte[] b, int at, long v) {
        for (int i = 0; i < 8; i++) {
            b[at + i] = (byte) (v >>> 8 * i);
        }
    }

    /** ASCII text padded with {@code pad} to {@code length} bytes. */
    static void text(byte[] b, int at, int length, String s, char pad) {
        byte[] t = s.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < length; i++) {
            b[at + i] = i < t.length ? t[i] : (byte) pad;
        }
    }

    static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    static ByteBuffer zeroed(int length) {
        return ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    }
}
