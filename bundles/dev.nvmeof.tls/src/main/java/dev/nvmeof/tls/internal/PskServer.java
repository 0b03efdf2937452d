package dev.nvmeof.tls.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Vector;

import org.bouncycastle.tls.AbstractTlsServer;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.PskIdentity;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsPSKExternal;
import org.bouncycastle.tls.crypto.TlsCrypto;

import dev.nvmeof.protocol.tls.DerivedTlsPsk;
import dev.nvmeof.protocol.tls.TlsPskFormatException;
import dev.nvmeof.tls.PskLookup;

/**
 * A target's side: TLS 1.3 only, both NVMe/TCP cipher suites, and the first offered identity its lookup knows. An
 * offer with no known identity ends in {@code unknown_psk_identity}; a known identity with another key in
 * {@code decrypt_error} (the binder does not verify).
 */
public final class PskServer extends AbstractTlsServer {
    private final PskLookup lookup;
    private volatile String identity;
    private volatile String offered = "";
    private volatile int selectedSuite = -1;

    public PskServer(TlsCrypto crypto, PskLookup lookup) {
        super(crypto);
        this.lookup = lookup;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.TLSv13.only();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return new int[] {CipherSuite.TLS_AES_256_GCM_SHA384, CipherSuite.TLS_AES_128_GCM_SHA256};
    }

    @Override
    public TlsPSKExternal getExternalPSK(Vector identities) {
        StringBuilder seen = new StringBuilder();
        for (Object each : identities) {
            String text = new String(((PskIdentity) each).getIdentity(), StandardCharsets.US_ASCII);
            seen.append(seen.length() == 0 ? "" : ", ").append(printable(text));
            Optional<DerivedTlsPsk> psk;
            try {
                psk = lookup.find(text);
            } catch (TlsPskFormatException e) {
                continue; // not an NVMe identity: perhaps the next one is
            }
            if (psk.isPresent()) {
                try (DerivedTlsPsk found = psk.get()) {
                    identity = text;
                    return Psks.external(getCrypto(), found);
                }
            }
        }
        offered = seen.toString();
        return null;
    }

    @Override
    public TlsCredentials getCredentials() throws IOException {
        // Reached only when no offered identity was known: this server has no certificate to fall back on.
        throw new TlsFatalAlert(AlertDescription.unknown_psk_identity,
                "no PSK for the offered identity " + (offered.isEmpty() ? "(none offered)" : offered));
    }

    @Override
    public int getSelectedCipherSuite() throws IOException {
        selectedSuite = super.getSelectedCipherSuite();
        return selectedSuite;
    }

    /** The identity the handshake used, or null before one was chosen. */
    public String identity() {
        return identity;
    }

    /** What the client offered when none was known, for the error message. */
    public String offered() {
        return offered;
    }

    public String cipherSuite() {
        return selectedSuite < 0 ? "none" : Psks.suiteName(selectedSuite);
    }

    /** Identities are ASCII text; anything else is shown escaped, and long ones cut, for logs. */
    private static String printable(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && i < 300; i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c));
        }
        return text.length() > 300 ? out + "..." : out.toString();
    }
}
