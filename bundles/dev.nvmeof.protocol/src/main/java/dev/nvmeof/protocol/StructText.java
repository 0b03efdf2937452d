package dev.nvmeof.protocol;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * Checks of the values the Identify and log page records hold, and the 128-bit arithmetic of their counters. The
 * flyweights read and write the text fields with {@link StructFlyweight}, which uses {@link #checkAscii} and
 * {@link #checkUtf8} here, so that a record and the buffer accept the same strings.
 */
final class StructText {
    private StructText() {
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
