package dev.nvmeof.target;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import dev.nvmeof.protocol.KeyringFile;
import dev.nvmeof.protocol.auth.DhGroup;
import dev.nvmeof.protocol.auth.DhchapHash;
import dev.nvmeof.protocol.auth.DhchapPolicy;
import dev.nvmeof.protocol.auth.DhchapSecret;
import dev.nvmeof.protocol.auth.DhchapSecretFormatException;

/**
 * In-band authentication (DH-HMAC-CHAP, NVMe Base 2.0 section 8.13) of one subsystem, as Linux's nvmet configures it
 * per allowed host ({@code dhchap_key}, {@code dhchap_ctrl_key}, {@code dhchap_hash}, {@code dhchap_dhgroup}):
 * each host with a secret must authenticate every queue right after its Connect; with {@code required}, a host
 * without a secret may not connect at all. The secrets are {@code DHHC-1} text, checked here; {@link #toString()}
 * never shows them.
 *
 * @param required whether a host without a secret here is refused
 * @param hosts    the secrets by host NQN
 * @param hashes   the hashes the subsystem accepts, strongest first
 * @param groups   the DH groups it accepts, strongest first; without {@link DhGroup#NULL}, no plain HMAC-CHAP
 * @since 1.2
 */
public record SubsystemAuthentication(boolean required, Map<String, HostSecrets> hosts, List<DhchapHash> hashes,
        List<DhGroup> groups) {

    /** No authentication: the default. */
    public static final SubsystemAuthentication NONE = new SubsystemAuthentication(false, Map.of(),
            DhchapPolicy.STRONGEST_HASHES_FIRST, DhchapPolicy.STRONGEST_GROUPS_FIRST);

    public SubsystemAuthentication {
        hosts = Map.copyOf(hosts);
        hashes = List.copyOf(hashes);
        groups = List.copyOf(groups);
        if (hashes.isEmpty() || groups.isEmpty()) {
            throw new IllegalArgumentException("authentication allows at least one hash and one DH group");
        }
    }

    /** Every host listed must authenticate, and no other may connect; every hash and DH group, strongest first. */
    public static SubsystemAuthentication required(Map<String, HostSecrets> hosts) {
        return new SubsystemAuthentication(true, hosts, DhchapPolicy.STRONGEST_HASHES_FIRST,
                DhchapPolicy.STRONGEST_GROUPS_FIRST);
    }

    /**
     * The hosts' secrets from a keyring file, one host per line: {@code <host NQN> <secret> [<controller secret>]},
     * secrets in {@code DHHC-1} form, blank lines and {@code #} comments ignored. Like ssh with its keys, the file must
     * not be readable or writable by group or others (where the file system has POSIX permissions).
     *
     * @throws IOException if the file cannot be read, is open to others, or a line is malformed (naming the line and
     *                     what is wrong, never a secret)
     * @since 1.2
     */
    public static SubsystemAuthentication fromKeyring(Path keyring, boolean required) throws IOException {
        Map<String, HostSecrets> hosts = new LinkedHashMap<>();
        for (KeyringFile.Entry entry : KeyringFile.read(keyring, "keyring")) {
            List<String> fields = entry.fields();
            String where = "keyring " + keyring + " line " + entry.line();
            if (fields.size() < 2 || fields.size() > 3) {
                throw new IOException(where + ": expected '<host NQN> <secret> [<controller secret>]', found "
                        + fields.size() + " field(s)");
            }
            String host = fields.get(0);
            if (hosts.containsKey(host)) {
                throw new IOException(where + ": host " + host + " is listed twice");
            }
            try {
                hosts.put(host, new HostSecrets(fields.get(1), fields.size() == 3 ? fields.get(2) : null));
            } catch (IllegalArgumentException e) {
                throw new IOException(where + " (host " + host + "): " + e.getMessage());
            }
        }
        return new SubsystemAuthentication(required, hosts, DhchapPolicy.STRONGEST_HASHES_FIRST,
                DhchapPolicy.STRONGEST_GROUPS_FIRST);
    }

    public SubsystemAuthentication withAlgorithms(List<DhchapHash> hashes, List<DhGroup> groups) {
        return new SubsystemAuthentication(required, hosts, hashes, groups);
    }

    /** The secrets of {@code hostNqn}, if it has any. */
    public Optional<HostSecrets> secrets(String hostNqn) {
        return Optional.ofNullable(hosts.get(hostNqn));
    }

    /** A new policy for one transaction of {@code hostNqn}; the caller destroys its secrets when done. */
    public Optional<DhchapPolicy> policy(String hostNqn) {
        return secrets(hostNqn).map(s -> new DhchapPolicy(s.parseHostSecret(), s.parseControllerSecret(), hashes,
                groups));
    }

    @Override
    public String toString() {
        return "SubsystemAuthentication[required=" + required + ", hosts=" + hosts.keySet() + ", hashes=" + hashes
                + ", groups=" + groups + "]";
    }

    /**
     * One host's secrets.
     *
     * @param hostSecret       what the host proves it knows ({@code DHHC-1:..})
     * @param controllerSecret what the controller proves it knows when the host asks (bidirectional), or null
     */
    public record HostSecrets(String hostSecret, String controllerSecret) {

        /**
         * @throws IllegalArgumentException naming which secret is malformed and why, never its value
         */
        public HostSecrets {
            Objects.requireNonNull(hostSecret, "hostSecret");
            check("host secret", hostSecret);
            if (controllerSecret != null) {
                check("controller secret", controllerSecret);
            }
        }

        DhchapSecret parseHostSecret() {
            return parse(hostSecret);
        }

        Optional<DhchapSecret> parseControllerSecret() {
            return controllerSecret == null ? Optional.empty() : Optional.of(parse(controllerSecret));
        }

        private static DhchapSecret parse(String text) {
            try {
                return DhchapSecret.parse(text);
            } catch (DhchapSecretFormatException e) {
                throw new IllegalStateException(e.getMessage()); // checked in the constructor
            }
        }

        private static void check(String which, String text) {
            try (DhchapSecret secret = DhchapSecret.parse(text)) {
                // valid
            } catch (DhchapSecretFormatException e) {
                throw new IllegalArgumentException(which + ": " + e.getMessage());
            }
        }

        @Override
        public String toString() {
            return "HostSecrets[hidden" + (controllerSecret == null ? "" : ", bidirectional") + "]";
        }
    }
}
