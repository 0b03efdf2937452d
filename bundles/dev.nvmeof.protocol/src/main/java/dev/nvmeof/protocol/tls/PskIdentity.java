package dev.nvmeof.protocol.tls;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A TLS PSK identity (NVMe TCP Transport, section 3.6.1.3), the text a host offers in its ClientHello and a target
 * looks its PSK up by, built as libnvme's {@code gen_tls_identity} and Linux's {@code nvme_tls_psk_identity} build it:
 *
 * <pre>
 *  version 0: NVMe0R&lt;hh&gt; &lt;host NQN&gt; &lt;subsystem NQN&gt;
 *  version 1: NVMe1R&lt;hh&gt; &lt;host NQN&gt; &lt;subsystem NQN&gt; &lt;base64 PSK digest&gt;
 *             R = retained PSK, hh = 01 SHA-256 / 02 SHA-384 (the TLS PSK's hash, never 00)
 * </pre>
 *
 * The PSK digest is {@code HMAC(retained PSK, hostnqn || " " || subsysnqn || " NVMe-over-Fabrics")}; it is no secret
 * (it travels in clear in the ClientHello) but binds the identity to the key.
 */
public record PskIdentity(int version, TlsPskHash hash, String hostNqn, String subsystemNqn, Optional<String> digest) {

    public PskIdentity {
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(hostNqn, "hostNqn");
        Objects.requireNonNull(subsystemNqn, "subsystemNqn");
        if (version == 0 && digest.isPresent() || version == 1 && digest.isEmpty() || version < 0 || version > 1) {
            throw new IllegalArgumentException("a PSK identity has version 0 without a digest or 1 with one");
        }
    }

    /** {@code NVMe0R<hh> <hostnqn> <subsysnqn>}. */
    public static PskIdentity version0(TlsPskHash hash, String hostNqn, String subsystemNqn) {
        return new PskIdentity(0, hash, hostNqn, subsystemNqn, Optional.empty());
    }

    /** {@code NVMe1R<hh> <hostnqn> <subsysnqn> <digest>}. */
    public static PskIdentity version1(TlsPskHash hash, String hostNqn, String subsystemNqn, String digest) {
        return new PskIdentity(1, hash, hostNqn, subsystemNqn, Optional.of(digest));
    }

    /**
     * Reads an identity as a peer offers it: {@code NVMe<v>R<hh> <hostnqn> <subsysnqn>[ <digest>]}. NQNs contain no
     * spaces, so the fields are separated by single spaces.
     *
     * @throws TlsPskFormatException naming what is wrong
     */
    public static PskIdentity parse(String text) throws TlsPskFormatException {
        String[] fields = text.split(" ", -1);
        String tag = fields[0];
        if (tag.length() != 8 || !tag.startsWith("NVMe") || tag.charAt(5) != 'R' || tag.charAt(6) != '0') {
            throw new TlsPskFormatException("a PSK identity must start with 'NVMe<version>R<hash>', e.g. NVMe1R01");
        }
        int version = tag.charAt(4) - '0';
        if (version != 0 && version != 1) {
            throw new TlsPskFormatException("a PSK identity has version 0 or 1");
        }
        Optional<TlsPskHash> hash = TlsPskHash.of(tag.charAt(7) - '0');
        if (hash.isEmpty()) {
            throw new TlsPskFormatException("the hash of a PSK identity must be 01 (SHA-256) or 02 (SHA-384)");
        }
        int expectedFields = version == 0 ? 3 : 4;
        if (fields.length != expectedFields || Arrays.stream(fields).anyMatch(String::isEmpty)) {
            throw new TlsPskFormatException("a PSK identity of version " + version + " has " + expectedFields
                    + " fields separated by single spaces, not " + fields.length);
        }
        return new PskIdentity(version, hash.get(), fields[1], fields[2],
                version == 0 ? Optional.empty() : Optional.of(fields[3]));
    }

    /** The identity as it goes on the wire (US-ASCII). */
    public String text() {
        return String.format("NVMe%dR%02d %s %s", version, hash.code(), hostNqn, subsystemNqn)
                + digest.map(d -> " " + d).orElse("");
    }

    @Override
    public String toString() {
        return text();
    }
}
