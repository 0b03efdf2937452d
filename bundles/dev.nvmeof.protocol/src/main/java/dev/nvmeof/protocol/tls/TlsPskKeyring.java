package dev.nvmeof.protocol.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.nvmeof.protocol.KeyringFile;

/**
 * The configured TLS PSKs of a host or a target, read from a keyring file that only its owner may read (mode 600 or
 * stricter; a file open to its group or to others is refused, as for the DH-HMAC-CHAP keyring of the target):
 *
 * <pre>
 *  # comment lines and blank lines are ignored
 *  &lt;host NQN&gt; &lt;subsystem NQN&gt; NVMeTLSkey-1:hh:&lt;base64&gt;:
 * </pre>
 *
 * One line per host and subsystem pair, each pair once. A host looks up the key for the subsystem it connects to
 * ({@link #configured}); a target looks up the identity a host offers ({@link #derive(String, HkdfLabelEncoding)}),
 * which derives the TLS PSK and checks a version 1 identity's digest. Errors name the file, the line and what is
 * wrong, never a key. {@link #close()} zeroes every key.
 */
public final class TlsPskKeyring implements AutoCloseable {

    private final Map<String, TlsPsk> keys;

    private TlsPskKeyring(Map<String, TlsPsk> keys) {
        this.keys = keys;
    }

    /**
     * Reads {@code file}.
     *
     * @throws IOException if the file cannot be read, is open to others, or a line is malformed
     */
    public static TlsPskKeyring read(Path file) throws IOException {
        Map<String, TlsPsk> keys = new LinkedHashMap<>();
        try {
            for (KeyringFile.Entry entry : KeyringFile.read(file, "TLS keyring")) {
                List<String> fields = entry.fields();
                String where = "TLS keyring " + file + " line " + entry.line();
                if (fields.size() != 3) {
                    throw new IOException(where + ": expected '<host NQN> <subsystem NQN> NVMeTLSkey-1:..', found "
                            + fields.size() + " field(s)");
                }
                String pair = pairKey(fields.get(0), fields.get(1));
                if (keys.containsKey(pair)) {
                    throw new IOException(where + ": host " + fields.get(0) + " and subsystem " + fields.get(1)
                            + " are listed twice");
                }
                try {
                    keys.put(pair, TlsPsk.parse(fields.get(2)));
                } catch (TlsPskFormatException e) {
                    throw new IOException(where + " (host " + fields.get(0) + "): " + e.getMessage());
                }
            }
        } catch (IOException | RuntimeException e) {
            keys.values().forEach(TlsPsk::destroy);
            throw e;
        }
        return new TlsPskKeyring(keys);
    }

    /** The configured PSK of {@code hostNqn} for {@code subsystemNqn}, still owned by this keyring. */
    public Optional<TlsPsk> configured(String hostNqn, String subsystemNqn) {
        return Optional.ofNullable(keys.get(pairKey(hostNqn, subsystemNqn)));
    }

    /**
     * The TLS PSK for the identity a host offers, if the keyring has a key for its host and subsystem and, for a
     * version 1 identity, the digest matches that key; the caller closes the result.
     *
     * @throws TlsPskFormatException if the offered identity is malformed
     */
    public Optional<DerivedTlsPsk> derive(String offeredIdentity, HkdfLabelEncoding encoding)
            throws TlsPskFormatException {
        PskIdentity offered = PskIdentity.parse(offeredIdentity);
        Optional<TlsPsk> configured = configured(offered.hostNqn(), offered.subsystemNqn());
        if (configured.isEmpty() || configured.get().hash() != offered.hash()) {
            return Optional.empty();
        }
        DerivedTlsPsk derived = TlsPskDerivation.derive(configured.get(), offered.hostNqn(), offered.subsystemNqn(),
                offered.version(), encoding);
        // A version 1 identity whose digest belongs to another key is refused; compared in constant time, as the
        // digest is derived from the key.
        byte[] expectedDigest = derived.identity().digest().orElse("").getBytes(StandardCharsets.US_ASCII);
        byte[] offeredDigest = offered.digest().orElse("").getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expectedDigest, offeredDigest)) {
            derived.destroy();
            return Optional.empty();
        }
        return Optional.of(derived);
    }

    public int size() {
        return keys.size();
    }

    /** Zeroes every key. */
    @Override
    public void close() {
        keys.values().forEach(TlsPsk::destroy);
    }

    @Override
    public String toString() {
        return "TlsPskKeyring[pairs=" + keys.keySet() + "]";
    }

    private static String pairKey(String hostNqn, String subsystemNqn) {
        // NQNs contain no spaces, so the pair is unambiguous.
        return hostNqn + " " + subsystemNqn;
    }
}
