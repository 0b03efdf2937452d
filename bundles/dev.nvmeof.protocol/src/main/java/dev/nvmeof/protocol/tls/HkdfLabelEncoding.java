package dev.nvmeof.protocol.tls;

/**
 * How the {@code info} of HKDF-Expand-Label is encoded. The NVMe TCP Transport specification names RFC 8446's
 * HKDF-Expand-Label; libnvme before 1.11 (nvme-cli before 2.11, the {@code --compat} derivation of later ones)
 * encoded it differently, and a host and a target must agree or the TLS handshake fails with a PSK mismatch.
 */
public enum HkdfLabelEncoding {
    /**
     * RFC 8446, section 7.1: {@code uint16 length} big-endian, {@code opaque label<7..255>} = "tls13 " + label with
     * its length byte, {@code opaque context<0..255>} with its length byte. libnvme 1.11 and later.
     */
    RFC_8446,
    /**
     * libnvme before 1.11: the length little-endian, then "tls13 " + label + context with no length bytes.
     */
    LIBNVME_COMPAT
}
