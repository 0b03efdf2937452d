package dev.nvmeof.protocol;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Namespace Identification Descriptor list (Identify CNS 03h), NVM Express Base 2.0 section 5.17.2.3: 4096 bytes of
 * variable-length descriptors, one after another from byte 0, followed by zeroes.
 *
 * <pre>
 *  descriptor at position p:
 *    p + 0     1  NIDT   namespace identifier type (0 ends the list)
 *    p + 1     1  NIDL   namespace identifier length
 *    p + 2     2  reserved
 *    p + 4  NIDL  NID    namespace identifier
 *  next descriptor at p + 4 + NIDL
 * </pre>
 *
 * <p>A descriptor with NIDT 0 or NIDL 0 ends the list (Linux stops at NIDL 0); so does the end of the 4096 bytes.
 * Iterate by position without allocating:
 * <pre>{@code
 * for (int p = list.first(); p >= 0; p = list.next(p)) {
 *     switch (list.nidt(p)) { ... list.copyNid(p, dst) ... }
 * }
 * }</pre>
 * A descriptor whose identifier would run past the end is malformed: {@link #next(int)} and {@link #toRecords()} throw
 * {@link IllegalStateException}.
 */
public final class NamespaceIdDescriptorListFlyweight extends StructFlyweight<NamespaceIdDescriptorListFlyweight> {
    public static final int LENGTH = 4096;
    public static final int NIDT_OFFSET = 0;
    public static final int NIDL_OFFSET = 1;
    public static final int NID_OFFSET = 4;
    /** Bytes of a descriptor before its NID. */
    public static final int HEADER_LENGTH = 4;

    /** Views the 4096 bytes at {@code offset}; the buffer must be little-endian. Returns {@code this}. */
    public NamespaceIdDescriptorListFlyweight wrap(ByteBuffer buffer, int offset) {
        return wrapAt(buffer, offset, LENGTH);
    }

    /** The position of the first descriptor, or -1 if the list is empty. */
    public int first() {
        return descriptorAt(0);
    }

    /** The position of the descriptor after the one at {@code position}, or -1 at the end of the list. */
    public int next(int position) {
        return descriptorAt(position + HEADER_LENGTH + nidl(position));
    }

    /** NIDT of the descriptor at {@code position}. */
    public int nidt(int position) {
        return u8(position + NIDT_OFFSET);
    }

    /** NIDL of the descriptor at {@code position}. */
    public int nidl(int position) {
        return u8(position + NIDL_OFFSET);
    }

    /** Copies the NID of the descriptor at {@code position} into {@code dst} at index 0; returns NIDL. */
    public int copyNid(int position, byte[] dst) {
        int nidl = nidl(position);
        getBytes(position + NID_OFFSET, dst, nidl);
        return nidl;
    }

    /** The number of descriptors. */
    public int count() {
        int n = 0;
        for (int p = first(); p >= 0; p = next(p)) {
            n++;
        }
        return n;
    }

    /** The descriptors as records. */
    public List<NamespaceIdDescriptor> toRecords() {
        List<NamespaceIdDescriptor> list = new ArrayList<>();
        for (int p = first(); p >= 0; p = next(p)) {
            byte[] nid = new byte[nidl(p)];
            copyNid(p, nid);
            try {
                list.add(new NamespaceIdDescriptor(nidt(p), nid));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("descriptor at " + p + ": " + e.getMessage(), e);
            }
        }
        return List.copyOf(list);
    }

    /** Writes {@code descriptors} from position 0 and zeroes the rest; fails if they do not fit 4096 bytes. */
    public NamespaceIdDescriptorListFlyweight write(List<NamespaceIdDescriptor> descriptors) {
        int total = 0;
        for (NamespaceIdDescriptor d : descriptors) {
            total += HEADER_LENGTH + d.nidl();
        }
        if (total > LENGTH) {
            throw new IllegalArgumentException("descriptors take " + total + " bytes, the list holds " + LENGTH);
        }
        int p = 0;
        for (NamespaceIdDescriptor d : descriptors) {
            u8(p + NIDT_OFFSET, d.nidt()).u8(p + NIDL_OFFSET, d.nidl()).u16(p + 2, 0);
            putBytes(p + NID_OFFSET, d.nid());
            p += HEADER_LENGTH + d.nidl();
        }
        return zero(p, LENGTH - p);
    }

    private int descriptorAt(int position) {
        if (position > LENGTH - HEADER_LENGTH || nidt(position) == 0 || nidl(position) == 0) {
            return -1;
        }
        if (position + HEADER_LENGTH + nidl(position) > LENGTH) {
            throw new IllegalStateException("descriptor at " + position + " with NIDL " + nidl(position)
                    + " runs past the end of the " + LENGTH + "-byte list");
        }
        return position;
    }
}
