package dev.nvmeof.target;

import java.util.Objects;

import dev.nvmeof.protocol.DiscoveryLogEntryFlyweight;
import dev.nvmeof.protocol.tls.TlsPskKeyring;

/**
 * Whether a listener speaks TLS 1.3 with PSKs (NVMe TCP Transport, TP 8011), as Linux nvmet's port attributes
 * {@code addr_tsas} and {@code addr_treq} set it: {@link Tls#NONE} (plain NVMe/TCP only), {@link Tls#REQUIRED} (TLS
 * only) or {@link Tls#ALLOWED} (both: a connection's first byte tells a TLS ClientHello from an ICReq). A TLS host
 * is admitted only with a PSK for its identity in {@link #keyring()}, and only to the host and subsystem that
 * identity names.
 *
 * @param tls     the TLS requirement
 * @param keyring the TLS PSKs of the hosts (by host and subsystem NQN); null with {@link Tls#NONE}. The target does
 *                not close it: its owner does once the listener is gone
 */
public record ListenerSecurity(Tls tls, TlsPskKeyring keyring) {
    public enum Tls { NONE, REQUIRED, ALLOWED }

    public ListenerSecurity {
        Objects.requireNonNull(tls, "tls");
        if (tls != Tls.NONE) {
            Objects.requireNonNull(keyring, "a TLS listener needs a keyring");
        }
    }

    public static ListenerSecurity none() {
        return new ListenerSecurity(Tls.NONE, null);
    }

    public static ListenerSecurity tlsRequired(TlsPskKeyring keyring) {
        return new ListenerSecurity(Tls.REQUIRED, keyring);
    }

    public static ListenerSecurity tlsAllowed(TlsPskKeyring keyring) {
        return new ListenerSecurity(Tls.ALLOWED, keyring);
    }

    /** The discovery log's TREQ secure channel bits (bits 1:0) for this listener. */
    public int treqSecureChannel() {
        return switch (tls) {
            case NONE -> DiscoveryLogEntryFlyweight.TREQ_SECURE_CHANNEL_NOT_SPECIFIED;
            case REQUIRED -> DiscoveryLogEntryFlyweight.TREQ_SECURE_CHANNEL_REQUIRED;
            case ALLOWED -> DiscoveryLogEntryFlyweight.TREQ_SECURE_CHANNEL_NOT_REQUIRED;
        };
    }

    /** The discovery log's TCP SECTYPE for this listener. */
    public int sectype() {
        return tls == Tls.NONE ? DiscoveryLogEntryFlyweight.SECTYPE_NONE : DiscoveryLogEntryFlyweight.SECTYPE_TLS13;
    }
}
