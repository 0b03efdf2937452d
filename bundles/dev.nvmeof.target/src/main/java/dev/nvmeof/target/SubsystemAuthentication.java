package dev.nvmeof.target;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

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
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(keyring);
            if (permissions.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
                throw new IOException("keyring " + keyring + " is open to others ("
                        + PosixFilePermissions.toString(permissions) + "): it holds secrets; chmod 600 it");
            }
        } catch (UnsupportedOperationException e) {
            // no POSIX permissions on this file system: nothing to check
        }
        Map<String, HostSecrets> hosts = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(keyring, StandardCharsets.UTF_8);
        for (int n = 1; n <= lines.size(); n++) {
            String line = lines.get(n - 1).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\\s+");
            String where = "keyring " + keyring + " line " + n;
            if (fields.length < 2 || fields.length > 3) {
                throw new IOException(where + ": expected '<host NQN> <secret> [<controller secret>]', found "
                        + fields.length + " field(s)");
            }
            if (hosts.containsKey(fields[0])) {
                throw new IOException(where + ": host " + fields[0] + " is listed twice");
            }
            try {
                hosts.put(fields[0], new HostSecrets(fields[1], fields.length == 3 ? fields[2] : null));
            } catch (IllegalArgumentException e) {
                throw new IOException(where + " (host " + fields[0] + "): " + e.getMessage());
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
