package dev.nvmeof.target;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * An NVM subsystem: its NQN (any string, as Linux accepts), identity, which hosts may connect, how many I/O queues a
 * controller may have, and its namespaces.
 *
 * @param allowAnyHost when false, only host NQNs in {@code allowedHosts} may connect
 * @param maxIoQueues  the most I/O queues granted to a controller (max_qid; nvmet's default is 128)
 * @param authentication DH-HMAC-CHAP per host (since 1.2); {@link SubsystemAuthentication#NONE} when not given
 */
public record SubsystemConfig(String nqn, String serial, String model, boolean allowAnyHost, Set<String> allowedHosts,
        int maxIoQueues, List<NamespaceConfig> namespaces, SubsystemAuthentication authentication) {
    public static final String DEFAULT_MODEL = "nvmeof-offload target";
    public static final int DEFAULT_MAX_IO_QUEUES = 128;

    public SubsystemConfig {
        Objects.requireNonNull(nqn, "nqn");
        if (nqn.isEmpty() || nqn.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 223) {
            throw new IllegalArgumentException("an NQN is 1..223 bytes of UTF-8: '" + nqn + "'");
        }
        if (nqn.equals(NvmeTarget.DISCOVERY_NQN)) {
            throw new IllegalArgumentException("the discovery NQN names the discovery subsystem");
        }
        if (maxIoQueues < 1 || maxIoQueues > 0xFFFF) {
            throw new IllegalArgumentException("maxIoQueues must be 1..65535, was " + maxIoQueues);
        }
        serial = serial == null || serial.isEmpty() ? Integer.toHexString(nqn.hashCode()) : serial;
        model = model == null || model.isEmpty() ? DEFAULT_MODEL : model;
        allowedHosts = Set.copyOf(allowedHosts == null ? Set.of() : allowedHosts);
        namespaces = List.copyOf(namespaces == null ? List.of() : namespaces);
        authentication = authentication == null ? SubsystemAuthentication.NONE : authentication;
        if (namespaces.stream().map(NamespaceConfig::nsid).distinct().count() != namespaces.size()) {
            throw new IllegalArgumentException("two namespaces with the same NSID in " + nqn);
        }
    }

    /** The configuration of 1.1, without authentication. */
    public SubsystemConfig(String nqn, String serial, String model, boolean allowAnyHost, Set<String> allowedHosts,
            int maxIoQueues, List<NamespaceConfig> namespaces) {
        this(nqn, serial, model, allowAnyHost, allowedHosts, maxIoQueues, namespaces, SubsystemAuthentication.NONE);
    }

    /** A subsystem any host may use, with the default identity and queue limit. */
    public static SubsystemConfig of(String nqn, NamespaceConfig... namespaces) {
        return new SubsystemConfig(nqn, null, null, true, Set.of(), DEFAULT_MAX_IO_QUEUES, List.of(namespaces));
    }

    public SubsystemConfig withAllowedHosts(Set<String> hosts) {
        return new SubsystemConfig(nqn, serial, model, false, hosts, maxIoQueues, namespaces, authentication);
    }

    public SubsystemConfig withMaxIoQueues(int max) {
        return new SubsystemConfig(nqn, serial, model, allowAnyHost, allowedHosts, max, namespaces, authentication);
    }

    /** @since 1.2 */
    public SubsystemConfig withAuthentication(SubsystemAuthentication auth) {
        return new SubsystemConfig(nqn, serial, model, allowAnyHost, allowedHosts, maxIoQueues, namespaces, auth);
    }

    /** Whether {@code hostNqn} may connect: allowed, and holding a secret where authentication is required. */
    public boolean allows(String hostNqn) {
        boolean listed = allowAnyHost || allowedHosts.contains(hostNqn);
        return listed && (!authentication.required() || authentication.secrets(hostNqn).isPresent());
    }
}
