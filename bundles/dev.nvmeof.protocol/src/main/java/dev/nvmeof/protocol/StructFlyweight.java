package dev.nvmeof.protocol;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The plumbing every flyweight of this package shares: the wrapped buffer and offset, the checks made on wrapping, and
 * the field accessors the public getters and setters are written with.
 *
 * <p>Every NVMe structure is little-endian, and the flyweights use the buffer's own absolute accessors, so the caller's
 * buffer must already be in little-endian order: this package never changes the order of a buffer it does not own.
 * The accessors here take a field's offset within the structure; setters return {@code T}, the flyweight itself, so
 * that a public fluent setter is one line.
 *
 * <p>Text fields come in two kinds: ASCII strings padded with spaces (20h), like SN, MN and FR of Identify Controller
 * and TRADDR/TRSVCID of a discovery log entry (NVM Express Base 2.0, section 1.5, "ASCII string"), and NUL-terminated
 * UTF-8 strings, like SUBNQN. Readers are lenient (they stop at the first NUL and drop trailing spaces, since Linux
 * nvmet fills TRADDR and TRSVCID with NULs where SPDK pads them with spaces); writers follow the spec.
 *
 * @param <T> the flyweight class itself
 */
abstract class StructFlyweight<T extends StructFlyweight<T>> {

    private ByteBuffer buffer;
    private int offset;

    StructFlyweight() {
    }

    /**
     * Checks that {@code buffer} is little-endian and holds {@code length} bytes from {@code index}, up to its limit.
     *
     * @throws IllegalArgumentException if it is big-endian
     * @throws IndexOutOfBoundsException if it is too short
     */
    static void checkWithinLimit(ByteBuffer buffer, int index, int length) {
        checkOrder(buffer);
        if (index < 0 || index > buffer.limit() - length) {
            throw new IndexOutOfBoundsException(
                    "need " + length + " bytes at offset " + index + ", limit is " + buffer.limit());
        }
    }

    private static void checkOrder(ByteBuffer buffer) {
        if (buffer.order() != ByteOrder.LITTLE_ENDIAN) {
            throw new IllegalArgumentException("NVMe structures need a LITTLE_ENDIAN buffer, is " + buffer.order());
        }
    }

    /**
     * Points this view at the {@code length} bytes at {@code offset} of {@code buffer}, which must reach them within
     * its limit (as the buffer's own absolute accessors require).
     *
     * @return this
     * @throws IllegalArgumentException if the buffer is not little-endian
     * @throws IndexOutOfBoundsException if it is too short
     */
    protected final T wrapAt(ByteBuffer buffer, int offset, int length) {
        checkWithinLimit(buffer, offset, length);
        return attach(buffer, offset);
    }

    private T attach(ByteBuffer buffer, int offset) {
        this.buffer = buffer;
        this.offset = offset;
        return self();
    }

    @SuppressWarnings("unchecked")
    private T self() {
        return (T) this;
    }

    /** The buffer this view was last wrapped around; {@code null} before the first {@code wrap}. */
    public final ByteBuffer buffer() {
        return buffer;
    }

    /** The index in {@link #buffer()} where the structure starts. */
    public final int offset() {
        return offset;
    }

    /** Zeroes {@code length} bytes from {@code field}, eight at a time where it can. */
    protected final T zero(int field, int length) {
        int start = offset + field;
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES) {
            buffer.putLong(start + i, 0L);
        }
        for (; i < length; i++) {
            buffer.put(start + i, (byte) 0);
        }
        return self();
    }

    /** The unsigned byte at {@code field}. */
    protected final int u8(int field) {
        return Byte.toUnsignedInt(buffer.get(offset + field));
    }

    /** Writes the low 8 bits of {@code value} at {@code field}. */
    protected final T u8(int field, int value) {
        buffer.put(offset + field, (byte) value);
        return self();
    }

    /** The unsigned 16 bits at {@code field}. */
    protected final int u16(int field) {
        return Short.toUnsignedInt(buffer.getShort(offset + field));
    }

    /** Writes the low 16 bits of {@code value} at {@code field}. */
    protected final T u16(int field, int value) {
        buffer.putShort(offset + field, (short) value);
        return self();
    }

    /** The raw 32 bits at {@code field} (use {@link Integer#toUnsignedLong(int)} for the unsigned value). */
    protected final int u32(int field) {
        return buffer.getInt(offset + field);
    }

    protected final T u32(int field, int value) {
        buffer.putInt(offset + field, value);
        return self();
    }

    /** The raw 64 bits at {@code field}. */
    protected final long u64(int field) {
        return buffer.getLong(offset + field);
    }

    protected final T u64(int field, long value) {
        buffer.putLong(offset + field, value);
        return self();
    }

    /** Copies {@code length} bytes from {@code field} into {@code dst} at index 0. */
    protected final void getBytes(int field, byte[] dst, int length) {
        buffer.get(offset + field, dst, 0, length);
    }

    /** Writes all of {@code src} at {@code field}. */
    protected final T putBytes(int field, byte[] src) {
        buffer.put(offset + field, src);
        return self();
    }

    /** Reads an ASCII field: bytes up to the first NUL, without trailing spaces. */
    protected final String ascii(int field, int length) {
        return text(field, length, true);
    }

    /** Writes {@code value} and pads the field with spaces; fails if it is not printable ASCII or too long. */
    protected final T ascii(int field, int length, String value) {
        return padded(field, length, StructText.checkAscii(value, length), (byte) ' ');
    }

    /** Reads a NUL-terminated UTF-8 field (an NQN). Trailing spaces are kept: they would be part of the name. */
    protected final String utf8(int field, int length) {
        return text(field, length, false);
    }

    /** Writes {@code value} as UTF-8 and fills the rest with NULs; at least one NUL terminates it. */
    protected final T utf8(int field, int length, String value) {
        return padded(field, length, StructText.checkUtf8(value, length), (byte) 0);
    }

    private String text(int field, int length, boolean ascii) {
        int start = offset + field;
        int end = 0;
        while (end < length && buffer.get(start + end) != 0) {
            end++;
        }
        if (ascii) {
            while (end > 0 && buffer.get(start + end - 1) == ' ') {
                end--;
            }
        }
        byte[] bytes = new byte[end];
        buffer.get(start, bytes);
        return new String(bytes, ascii ? StandardCharsets.US_ASCII : StandardCharsets.UTF_8);
    }

    private T padded(int field, int length, byte[] bytes, byte pad) {
        int start = offset + field;
        buffer.put(start, bytes);
        for (int i = bytes.length; i < length; i++) {
            buffer.put(start + i, pad);
        }
        return self();
    }
}
