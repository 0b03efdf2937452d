package dev.nvmeof.tls;

import java.util.Optional;

import dev.nvmeof.protocol.tls.DerivedTlsPsk;
import dev.nvmeof.protocol.tls.TlsPskFormatException;

/** How a target finds the TLS PSK for the identity a host offers (its keyring, say). */
@FunctionalInterface
public interface PskLookup {
    /**
     * The TLS PSK for {@code identity}, which the caller (the handshake) closes; empty when there is none.
     *
     * @throws TlsPskFormatException if the identity is not an NVMe PSK identity
     */
    Optional<DerivedTlsPsk> find(String identity) throws TlsPskFormatException;
}
