package dev.nvmeof.protocol.auth;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The hash functions of DH-HMAC-CHAP, by their HashID (NVMe Base 2.0, "DH-HMAC-CHAP hash function identifiers"; Linux
 * {@code NVME_AUTH_HASH_*}). HashID 0 exists only in a secret's representation, where it means "not transformed"; it
 * is never negotiated, so it has no constant here.
 */
public enum DhchapHash {
    SHA_256(0x01, "SHA-256", "HmacSHA256", 32),
    SHA_384(0x02, "SHA-384", "HmacSHA384", 48),
    SHA_512(0x03, "SHA-512", "HmacSHA512", 64);

    private static final DhchapHash[] BY_CODE = {null, SHA_256, SHA_384, SHA_512};

    private final int code;
    private final String digestAlgorithm;
    private final String macAlgorithm;
    private final int length;

    DhchapHash(int code, String digestAlgorithm, String macAlgorithm, int length) {
        this.code = code;
        this.digestAlgorithm = digestAlgorithm;
        this.macAlgorithm = macAlgorithm;
        this.length = length;
    }

    /** The HashID on the wire. */
    public int code() {
        return code;
    }

    /** The JDK's {@code MessageDigest} algorithm name. */
    public String digestAlgorithm() {
        return digestAlgorithm;
    }

    /** The JDK's {@code Mac} algorithm name. */
    public String macAlgorithm() {
        return macAlgorithm;
    }

    /** Output length in bytes, also the challenge and response length (HL) of a transaction using it. */
    public int length() {
        return length;
    }

    /** The hash for a HashID, empty for 0 and for any ID the specification does not define. */
    public static Optional<DhchapHash> of(int code) {
        return code > 0 && code < BY_CODE.length ? Optional.of(BY_CODE[code]) : Optional.empty();
    }

    /**
     * The hash an operator names: {@code sha384}, {@code SHA-384} or nvmet's {@code hmac(sha384)}, in any case; empty
     * for any other name.
     */
    public static Optional<DhchapHash> named(String name) {
        String plain = name.trim().toLowerCase(Locale.ROOT).replace("-", "");
        if (plain.startsWith("hmac(") && plain.endsWith(")")) {
            plain = plain.substring("hmac(".length(), plain.length() - 1);
        }
        for (DhchapHash hash : values()) {
            if (hash.digestAlgorithm.toLowerCase(Locale.ROOT).replace("-", "").equals(plain)) {
                return Optional.of(hash);
            }
        }
        return Optional.empty();
    }

    /**
     * The hashes of a comma-separated list, in its order (a controller's order of preference), each once.
     *
     * @throws IllegalArgumentException naming the first name that is not a hash, or when the list is empty
     */
    public static List<DhchapHash> listOf(String list) {
        return AlgorithmNames.parse(list, "hash", DhchapHash::named, "sha256, sha384, sha512");
    }

    @Override
    public String toString() {
        return digestAlgorithm;
    }
}
