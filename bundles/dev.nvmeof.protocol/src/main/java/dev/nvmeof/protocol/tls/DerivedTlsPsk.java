package dev.nvmeof.protocol.tls;

import java.util.Arrays;
import javax.security.auth.Destroyable;

/**
 * The TLS PSK and the identity it goes with: what a TLS 1.3 handshake needs as its external PSK. {@link #toString()}
 * shows the identity and the hash, never the key; {@link #close()} zeroes the key.
 */
public final class DerivedTlsPsk implements AutoCloseable, Destroyable {

    private final PskIdentity identity;
    private final byte[] key;
    private volatile boolean destroyed;

    DerivedTlsPsk(PskIdentity identity, byte[] key) {
        this.identity = identity;
        this.key = key;
    }

    public PskIdentity identity() {
        return identity;
    }

    /** The hash of the TLS PSK, which selects the cipher suite (SHA-256: TLS_AES_128_GCM_SHA256). */
    public TlsPskHash hash() {
        return identity.hash();
    }

    /** A copy of the TLS PSK; the caller owns it and should zero it when done. */
    public byte[] keyBytes() {
        if (destroyed) {
            throw new IllegalStateException("this TLS PSK has been destroyed");
        }
        return key.clone();
    }

    /** Zeroes the key bytes; idempotent. */
    @Override
    public void destroy() {
        destroyed = true;
        Arrays.fill(key, (byte) 0);
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public void close() {
        destroy();
    }

    @Override
    public String toString() {
        return "DerivedTlsPsk[identity=" + identity.text() + ", length=" + key.length
                + (destroyed ? ", destroyed" : "") + "]";
    }

    /** The key array itself, for tests that check it is zeroed. */
    byte[] keyArray() {
        return key;
    }
}
