package dev.nvmeof.protocol.auth;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Little-endian writing and checked reading shared by the message codecs. */
final class MessageBytes {

    private MessageBytes() {
    }

    /** A zeroed little-endian buffer of {@code length} bytes with the common header written. */
    static ByteBuffer start(int length, int type, int id, int transactionId) {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        buffer.put(DhchapMessage.AUTH_TYPE_OFFSET, (byte) type);
        buffer.put(DhchapMessage.AUTH_ID_OFFSET, (byte) id);
        buffer.putShort(DhchapMessage.TRANSACTION_ID_OFFSET, (short) transactionId);
        return buffer;
    }

    static int transactionId(ByteBuffer buffer) {
        return buffer.getShort(DhchapMessage.TRANSACTION_ID_OFFSET) & 0xFFFF;
    }

    static int u8(ByteBuffer buffer, int offset) {
        return buffer.get(offset) & 0xFF;
    }

    static int u16(ByteBuffer buffer, int offset) {
        return buffer.getShort(offset) & 0xFFFF;
    }

    static long u32(ByteBuffer buffer, int offset) {
        return buffer.getInt(offset) & 0xFFFF_FFFFL;
    }

    static byte[] bytes(ByteBuffer buffer, int offset, int length) {
        byte[] out = new byte[length];
        buffer.get(offset, out);
        return out;
    }

    /** Throws unless the message has at least {@code needed} bytes. */
    static void requireLength(ByteBuffer buffer, int needed, String message) throws DhchapException {
        if (buffer.limit() < needed) {
            throw DhchapException.payload(message + " needs " + needed + " bytes, the payload has "
                    + buffer.limit());
        }
    }

    /** The hash whose length is {@code hl}, or INCORRECT_PAYLOAD. */
    static DhchapHash hashOfLength(int hl, String message) throws DhchapException {
        for (DhchapHash hash : DhchapHash.values()) {
            if (hash.length() == hl) {
                return hash;
            }
        }
        throw DhchapException.payload(message + " has HL " + hl + "; a hash length is 32, 48 or 64");
    }
}
