package dev.nvmeof.protocol.tls;

import java.util.Optional;

/**
 * The hash of a TLS PSK, as the two-digit {@code hh} of the interchange format and of a PSK identity names it
 * (NVMe TCP Transport, section 3.6.1): {@code 01} SHA-256 for TLS_AES_128_GCM_SHA256, {@code 02} SHA-384 for
 * TLS_AES_256_GCM_SHA384. The key length equals the hash length.
 */
public enum TlsPskHash {
    SHA_256(1, 32, "HmacSHA256"),
    SHA_384(2, 48, "HmacSHA384");

    private final int code;
    private final int length;
    private final String macAlgorithm;

    TlsPskHash(int code, int length, String macAlgorithm) {
        this.code = code;
        this.length = length;
        this.macAlgorithm = macAlgorithm;
    }

    /** The {@code hh} of the interchange format and of the identity. */
    public int code() {
        return code;
    }

    /** The hash length in bytes, which is also the key length. */
    public int length() {
        return length;
    }

    /** The JDK's name of the HMAC with this hash. */
    public String macAlgorithm() {
        return macAlgorithm;
    }

    /** The hash with {@code code}; empty for 0 (no hash) and unknown codes. */
    public static Optional<TlsPskHash> of(int code) {
        for (TlsPskHash hash : values()) {
            if (hash.code == code) {
                return Optional.of(hash);
            }
        }
        return Optional.empty();
    }

    /** The hash whose length is {@code keyLength}, as libnvme picks one for a key of hash id 00. */
    public static Optional<TlsPskHash> ofKeyLength(int keyLength) {
        for (TlsPskHash hash : values()) {
            if (hash.length == keyLength) {
                return Optional.of(hash);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return this == SHA_256 ? "SHA-256" : "SHA-384";
    }
}
