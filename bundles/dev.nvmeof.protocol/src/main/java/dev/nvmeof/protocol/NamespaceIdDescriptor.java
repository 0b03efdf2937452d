package dev.nvmeof.protocol;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.UUID;

/**
 * One Namespace Identification Descriptor (Identify CNS 03h), NVM Express Base 2.0 section 5.17.2.3: a type (NIDT)
 * and its identifier (NID). The byte layout is in {@link NamespaceIdDescriptorListFlyweight}.
 *
 * <pre>
 *  NIDT  NID                     NIDL
 *    1   IEEE EUI-64              8
 *    2   NGUID                   16
 *    3   UUID (RFC 4122)         16
 *    4   command set identifier   1
 * </pre>
 *
 * <p>A known type must have its length; an unknown type (from a newer controller) is kept with any length from 1 to
 * 255, so that a host can skip it.
 *
 * @param nidt namespace identifier type, 1..255
 * @param nid  the identifier bytes; copied in and out
 */
public record NamespaceIdDescriptor(int nidt, byte[] nid) {
    public static final int NIDT_EUI64 = 1;
    public static final int NIDT_NGUID = 2;
    public static final int NIDT_UUID = 3;
    public static final int NIDT_CSI = 4;

    public static final int EUI64_LENGTH = 8;
    public static final int NGUID_LENGTH = 16;
    public static final int UUID_LENGTH = 16;
    public static final int CSI_LENGTH = 1;

    public NamespaceIdDescriptor {
        if (nidt < 1 || nidt > 0xFF) {
            throw new IllegalArgumentException("NIDT must be 1..255, is " + nidt);
        }
        int expected = expectedLength(nidt);
        if (expected != 0 && nid.length != expected) {
            throw new IllegalArgumentException("NIDT " + nidt + " needs " + expected + " bytes, got " + nid.length);
        }
        if (nid.length < 1 || nid.length > 0xFF) {
            throw new IllegalArgumentException("NIDL must be 1..255, is " + nid.length);
        }
        nid = nid.clone();
    }

    public static NamespaceIdDescriptor eui64(byte[] eui64) {
        return new NamespaceIdDescriptor(NIDT_EUI64, eui64);
    }

    public static NamespaceIdDescriptor nguid(byte[] nguid) {
        return new NamespaceIdDescriptor(NIDT_NGUID, nguid);
    }

    /** A UUID descriptor; the UUID is stored most significant byte first, as RFC 4122 lays it out. */
    public static NamespaceIdDescriptor uuid(UUID uuid) {
        ByteBuffer b = ByteBuffer.allocate(UUID_LENGTH); // big-endian on purpose: RFC 4122 network order
        b.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        return new NamespaceIdDescriptor(NIDT_UUID, b.array());
    }

    public static NamespaceIdDescriptor csi(int csi) {
        return new NamespaceIdDescriptor(NIDT_CSI, new byte[] {(byte) StructText.checkUnsigned("csi", csi, 8)});
    }

    /** The NIDL a known type requires; 0 for a type this code does not know. */
    public static int expectedLength(int nidt) {
        return switch (nidt) {
            case NIDT_EUI64 -> EUI64_LENGTH;
            case NIDT_NGUID -> NGUID_LENGTH;
            case NIDT_UUID -> UUID_LENGTH;
            case NIDT_CSI -> CSI_LENGTH;
            default -> 0;
        };
    }

    /** NIDL: the length of the identifier. */
    public int nidl() {
        return nid.length;
    }

    @Override
    public byte[] nid() {
        return nid.clone();
    }

    /** The identifier as a UUID; only for {@link #NIDT_UUID}. */
    public UUID toUuid() {
        if (nidt != NIDT_UUID) {
            throw new IllegalStateException("NIDT " + nidt + " is not a UUID");
        }
        ByteBuffer b = ByteBuffer.wrap(nid);
        return new UUID(b.getLong(), b.getLong());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof NamespaceIdDescriptor o && nidt == o.nidt && Arrays.equals(nid, o.nid);
    }

    @Override
    public int hashCode() {
        return 31 * nidt + Arrays.hashCode(nid);
    }

    @Override
    public String toString() {
        return "NamespaceIdDescriptor[nidt=" + nidt + ", nid=" + HexFormat.of().formatHex(nid) + ']';
    }
}
