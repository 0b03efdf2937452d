package dev.nvmeof.protocol.auth;

import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.crypto.spec.DHParameterSpec;

/**
 * The Diffie-Hellman groups of DH-HMAC-CHAP by their DH group identifier (NVMe Base 2.0, "DH-HMAC-CHAP Diffie-Hellman
 * group identifiers"; Linux {@code NVME_AUTH_DHGROUP_*}): the null group (plain HMAC-CHAP, no DH exchange) and the
 * RFC 7919 groups ffdhe2048 to ffdhe8192, generator 2. A DH value on the wire is the group's prime length in bytes,
 * big-endian, left-padded with zeros (Linux {@code crypto_kpp_maxsize}).
 */
public enum DhGroup {
    NULL(0x00, "null", null),
    FFDHE2048(0x01, "ffdhe2048", FfdhePrimes.FFDHE2048),
    FFDHE3072(0x02, "ffdhe3072", FfdhePrimes.FFDHE3072),
    FFDHE4096(0x03, "ffdhe4096", FfdhePrimes.FFDHE4096),
    FFDHE6144(0x04, "ffdhe6144", FfdhePrimes.FFDHE6144),
    FFDHE8192(0x05, "ffdhe8192", FfdhePrimes.FFDHE8192);

    public static final BigInteger GENERATOR = BigInteger.TWO;

    private static final DhGroup[] BY_CODE = values();

    private final int code;
    private final String groupName;
    private final BigInteger prime;

    DhGroup(int code, String groupName, BigInteger prime) {
        this.code = code;
        this.groupName = groupName;
        this.prime = prime;
    }

    /** The DH group identifier on the wire. */
    public int code() {
        return code;
    }

    /** The name Linux and nvme-cli use ({@code null}, {@code ffdhe2048}, ...). */
    public String groupName() {
        return groupName;
    }

    /** Whether this group has a DH exchange, i.e. it is not {@link #NULL}. */
    public boolean hasExchange() {
        return prime != null;
    }

    /** Length of a DH value on the wire in bytes (DHVLEN): the prime's length, 0 for the null group. */
    public int valueLength() {
        return prime == null ? 0 : (prime.bitLength() + 7) / 8;
    }

    /** The prime and generator for the JDK's "DH" algorithms. */
    public DHParameterSpec parameters() {
        if (prime == null) {
            throw new IllegalStateException("the null DH group has no parameters");
        }
        return new DHParameterSpec(prime, GENERATOR);
    }

    BigInteger prime() {
        return prime;
    }

    /** The group for an identifier, empty for any identifier the specification does not define. */
    public static Optional<DhGroup> of(int code) {
        return code >= 0 && code < BY_CODE.length ? Optional.of(BY_CODE[code]) : Optional.empty();
    }

    /** The group an operator names ({@code null}, {@code ffdhe2048} ... {@code ffdhe8192}, any case); empty else. */
    public static Optional<DhGroup> named(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        for (DhGroup group : values()) {
            if (group.groupName.equals(wanted)) {
                return Optional.of(group);
            }
        }
        return Optional.empty();
    }

    /**
     * The groups of a comma-separated list, in its order (a controller's order of preference), each once.
     *
     * @throws IllegalArgumentException naming the first name that is not a group, or when the list is empty
     */
    public static List<DhGroup> listOf(String list) {
        return AlgorithmNames.parse(list, "DH group", DhGroup::named,
                "null, ffdhe2048, ffdhe3072, ffdhe4096, ffdhe6144, ffdhe8192");
    }

    @Override
    public String toString() {
        return groupName;
    }
}
