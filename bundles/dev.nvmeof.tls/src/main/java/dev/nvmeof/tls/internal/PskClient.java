package dev.nvmeof.tls.internal;

import java.io.IOException;
import java.util.Vector;

import org.bouncycastle.tls.AbstractTlsClient;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsPSKExternal;
import org.bouncycastle.tls.crypto.TlsCrypto;

import dev.nvmeof.protocol.tls.DerivedTlsPsk;

/**
 * A host's side: TLS 1.3 only, one external PSK and the one cipher suite its hash goes with, (EC)DHE with it
 * (psk_dhe_ke). No certificates: a server that does not take the PSK fails the handshake.
 */
public final class PskClient extends AbstractTlsClient {
    private final TlsPSKExternal psk;
    private final int suite;
    private volatile int selectedSuite = -1;

    public PskClient(TlsCrypto crypto, DerivedTlsPsk psk) {
        super(crypto);
        this.psk = Psks.external(crypto, psk);
        this.suite = Psks.cipherSuite(psk.hash());
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.TLSv13.only();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return new int[] {suite};
    }

    @Override
    public Vector<TlsPSKExternal> getExternalPSKs() {
        Vector<TlsPSKExternal> psks = new Vector<>(1);
        psks.add(psk);
        return psks;
    }

    @Override
    public void notifySelectedCipherSuite(int selectedCipherSuite) {
        super.notifySelectedCipherSuite(selectedCipherSuite);
        this.selectedSuite = selectedCipherSuite;
    }

    @Override
    public TlsAuthentication getAuthentication() throws IOException {
        // Only reached when the server went for a certificate instead of our PSK. A server that selected no PSK and
        // has no certificate sends its alert (unknown_psk_identity, say) next, which the caller then reports.
        throw new TlsFatalAlert(AlertDescription.handshake_failure, "the server did not accept the PSK");
    }

    /** The identity offered. */
    public String identity() {
        return new String(psk.getIdentity(), java.nio.charset.StandardCharsets.US_ASCII);
    }

    public String cipherSuite() {
        return selectedSuite < 0 ? "none" : Psks.suiteName(selectedSuite);
    }
}
