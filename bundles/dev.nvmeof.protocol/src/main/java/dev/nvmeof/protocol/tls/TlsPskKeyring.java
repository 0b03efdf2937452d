package dev.nvmeof.protocol.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (permissions.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
                throw new IOException("TLS keyring " + file + " is open to others ("
                        + PosixFilePermissions.toString(permissions) + "): it holds keys; chmod 600 it");
            }
        } catch (UnsupportedOperationException e) {
            // no POSIX permissions on this file system: nothing to check
        }
        Map<String, TlsPsk> keys = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        try {
            for (int n = 1; n <= lines.size(); n++) {
                String line = lines.get(n - 1).strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] fields = line.split("\\s+");
                String where = "TLS keyring " + file + " line " + n;
                if (fields.length != 3) {
                    throw new IOException(where + ": expected '<host NQN> <subsystem NQN> NVMeTLSkey-1:..', found "
                            + fields.length + " field(s)");
                }
                String pair = pairKey(fields[0], fields[1]);
                if (keys.containsKey(pair)) {
                    throw new IOException(where + ": host " + fields[0] + " and subsystem " + fields[1]
                            + " are listed twice");
                }
                try {
                    keys.put(pair, TlsPsk.parse(fields[2]));
                } catch (TlsPskFormatException e) {
                    throw new IOException(where + " (host " + fields[0] + "): " + e.getMessage());
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
