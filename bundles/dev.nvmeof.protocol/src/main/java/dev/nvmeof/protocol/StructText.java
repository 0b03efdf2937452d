package dev.nvmeof.protocol;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Shared checks and text fields of the Identify and log page structures.
 *
 * <p>The structures hold two kinds of string: ASCII strings padded with spaces (20h), like SN, MN and FR of Identify
 * Controller and TRADDR/TRSVCID of a discovery log entry (NVM Express Base 2.0, section 1.5, "ASCII string"), and
 * NUL-terminated UTF-8 strings, like SUBNQN. Readers are lenient (they stop at the first NUL and drop trailing spaces,
 * since Linux nvmet fills TRADDR and TRSVCID with NULs where SPDK pads them with spaces); writers follow the spec.
 */
final class StructText {
    private StructText() {
    }

    /** Rejects a buffer that is not little-endian or cannot hold {@code length} bytes at {@code offset}. */
    static void checkWrap(ByteBuffer buffer, int offset, int length) {
        if (buffer.order() != ByteOrder.LITTLE_ENDIAN) {
            throw new IllegalArgumentException("buffer must be little-endian, is " + buffer.order());
        }
        if (offset < 0 || offset > buffer.limit() - length) {
            throw new IndexOutOfBoundsException(
                    "need " + length + " bytes at offset " + offset + ", limit is " + buffer.limit());
        }
    }

    /** Reads an ASCII field: bytes up to the first NUL, without trailing spaces. */
    static String readAscii(ByteBuffer buffer, int index, int length) {
        return read(buffer, index, length, true);
    }

    /** Reads a NUL-terminated UTF-8 field (an NQN). Trailing spaces are kept: they would be part of the name. */
    static String readUtf8(ByteBuffer buffer, int index, int length) {
        return read(buffer, index, length, false);
    }

    private static String read(ByteBuffer buffer, int index, int length, boolean ascii) {
        int end = 0;
        while (end < length && buffer.get(index + end) != 0) {
            end++;
        }
        if (ascii) {
            while (end > 0 && buffer.get(index + end - 1) == ' ') {
                end--;
            }
        }
        byte[] bytes = new byte[end];
        buffer.get(index, bytes);
        return new String(bytes, ascii ? StandardCharsets.US_ASCII : StandardCharsets.UTF_8);
    }

    /** Writes {@code value} and pads the field with spaces; fails if it is not printable ASCII or too long. */
    static void writeAscii(ByteBuffer buffer, int index, int length, String value) {
        byte[] bytes = checkAscii(value, length);
        buffer.put(index, bytes);
        for (int i = bytes.length; i < length; i++) {
            buffer.put(index + i, (byte) ' ');
        }
    }

    /** Writes {@code value} as UTF-8 and fills the rest with NULs; at least one NUL terminates it. */
    static void writeUtf8(ByteBuffer buffer, int index, int length, String value) {
        byte[] bytes = checkUtf8(value, length);
        buffer.put(index, bytes);
        for (int i = bytes.length; i < length; i++) {
            buffer.put(index + i, (byte) 0);
        }
    }

    /** Returns the ASCII bytes of {@code value}, rejecting non-printable characters and more than {@code max}. */
    static byte[] checkAscii(String value, int max) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw new IllegalArgumentException("not printable ASCII at " + i + ": \"" + value + '"');
            }
        }
        if (value.length() > max) {
            throw new IllegalArgumentException(
                    "\"" + value + "\" is " + value.length() + " characters, the field holds " + max);
        }
        return value.getBytes(StandardCharsets.US_ASCII);
    }

    /** Returns the UTF-8 bytes of {@code value}, which must leave room for the NUL terminator in {@code length}. */
    static byte[] checkUtf8(String value, int length) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > length - 1) {
            throw new IllegalArgumentException(
                    "\"" + value + "\" is " + bytes.length + " bytes, the field holds " + (length - 1) + " and a NUL");
        }
        for (byte b : bytes) {
            if (b == 0) {
                throw new IllegalArgumentException("NUL inside \"" + value + '"');
            }
        }
        return bytes;
    }

    /** Checks that {@code value} fits an unsigned field of {@code bits} bits (at most 31) and returns it. */
    static int checkUnsigned(String name, int value, int bits) {
        if (value < 0 || value >>> bits != 0) {
            throw new IllegalArgumentException(name + " must fit " + bits + " unsigned bits, is " + value);
        }
        return value;
    }

    /** The unsigned 128-bit value of two little-endian halves. */
    static BigInteger u128(long low, long high) {
        BigInteger lo = new BigInteger(Long.toUnsignedString(low));
        return high == 0 ? lo : new BigInteger(Long.toUnsignedString(high)).shiftLeft(64).add(lo);
    }

    /** Checks {@code value} is in 0 .. 2^128 - 1; {@link BigInteger#longValue()} then gives the low half. */
    static BigInteger checkU128(String name, BigInteger value) {
        if (value.signum() < 0 || value.bitLength() > 128) {
            throw new IllegalArgumentException(name + " must fit 128 unsigned bits, is " + value);
        }
        return value;
    }

    /** The high 64 bits of an unsigned 128-bit value. */
    static long high64(BigInteger value) {
        return value.shiftRight(64).longValue();
    }

    /** Copies {@code bytes}, checking it has exactly {@code length} of them. */
    static byte[] copyExact(String name, byte[] bytes, int length) {
        if (bytes.length != length) {
            throw new IllegalArgumentException(name + " must be " + length + " bytes, is " + bytes.length);
        }
        return bytes.clone();
    }
}
