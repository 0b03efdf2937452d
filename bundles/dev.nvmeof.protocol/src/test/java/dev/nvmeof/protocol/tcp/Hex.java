package dev.nvmeof.protocol.tcp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Test data written as hex, the way the specifications draw it. */
final class Hex {
    private Hex() {
    }

    /** Bytes from hex pairs; spaces, newlines and '|' separators are ignored; "zeros(N)" expands to N zero bytes. */
    static byte[] bytes(String hex) {
        StringBuilder expanded = new StringBuilder();
        for (String token : hex.trim().split("[\\s|]+")) {
            if (token.startsWith("zeros(")) {
                int n = Integer.parseInt(token.substring(6, token.length() - 1));
                expanded.append("00".repeat(n));
            } else {
                expanded.append(token);
            }
        }
        String s = expanded.toString();
        if (s.length() % 2 != 0) {
            throw new IllegalArgumentException("odd hex length: " + s);
        }
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    static ByteBuffer buffer(String hex) {
        return ByteBuffer.wrap(bytes(hex)).order(ByteOrder.LITTLE_ENDIAN);
    }

    static String of(ByteBuffer buffer, int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++) {
            sb.append(String.format("%02x", buffer.get(i) & 0xff));
            if (i + 1 < to) {
                sb.append(' ');
            }
        }
        return sb.toString();
    }

    static String of(byte[] bytes) {
        return of(ByteBuffer.wrap(bytes), 0, bytes.length);
    }

    /** CRC32C as the JDK computes it, written little-endian as NVMe/TCP digests are. */
    static String crc(byte[] bytes, int from, int to) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(bytes, from, to - from);
        int v = (int) crc.getValue();
        return String.format("%02x %02x %02x %02x", v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
    }
}
