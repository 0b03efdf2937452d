package dev.nvmeof.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;

/** Golden bytes for the command tests: hex written by hand from the specifications' layouts, spaces and | ignored. */
final class CommandHex {

    private static final HexFormat HEX = HexFormat.of();

    private CommandHex() {
    }

    static byte[] bytes(String hex) {
        return HEX.parseHex(hex.replaceAll("[\\s|]", ""));
    }

    /** A little-endian buffer of {@code capacity} bytes filled with a marker, so untouched bytes show up. */
    static ByteBuffer buffer(int capacity) {
        ByteBuffer buffer = ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < capacity; i++) {
            buffer.put(i, (byte) 0xEE);
        }
        return buffer;
    }

    /** Asserts, as hex so that a failure shows where, that {@code buffer} holds {@code expectedHex} at {@code offset}. */
    static void assertBytes(String expectedHex, ByteBuffer buffer, int offset) {
        byte[] expected = bytes(expectedHex);
        byte[] actual = new byte[expected.length];
        buffer.get(offset, actual);
        assertEquals(spaced(expected), spaced(actual));
    }

    /** Hex in groups of four bytes, the way the golden strings are written. */
    static String spaced(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < bytes.length; i++) {
            if (i > 0 && i % 4 == 0) {
                text.append(' ');
            }
            text.append(HEX.toHexDigits(bytes[i]));
        }
        return text.toString();
    }

    /** A little-endian buffer holding exactly {@code hex}. */
    static ByteBuffer wrap(String hex) {
        return ByteBuffer.wrap(bytes(hex)).order(ByteOrder.LITTLE_ENDIAN);
    }
}
