package dev.nvmeof.tls.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.bouncycastle.tls.BasicTlsPSKExternal;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.PRFAlgorithm;
import org.bouncycastle.tls.TlsPSKExternal;
import org.bouncycastle.tls.crypto.TlsCrypto;

import dev.nvmeof.protocol.tls.DerivedTlsPsk;
import dev.nvmeof.protocol.tls.TlsPskHash;

/** What a TLS PSK's hash decides: its HKDF and its cipher suite (NVMe TCP Transport, 3.6.1). */
final class Psks {
    private Psks() {
    }

    static int prf(TlsPskHash hash) {
        return hash == TlsPskHash.SHA_384 ? PRFAlgorithm.tls13_hkdf_sha384 : PRFAlgorithm.tls13_hkdf_sha256;
    }

    static int cipherSuite(TlsPskHash hash) {
        return hash == TlsPskHash.SHA_384 ? CipherSuite.TLS_AES_256_GCM_SHA384 : CipherSuite.TLS_AES_128_GCM_SHA256;
    }

    /** The PSK as BouncyCastle's external PSK; the key bytes are copied into the crypto's secret and zeroed. */
    static TlsPSKExternal external(TlsCrypto crypto, DerivedTlsPsk psk) {
        byte[] key = psk.keyBytes();
        try {
            return new BasicTlsPSKExternal(psk.identity().text().getBytes(StandardCharsets.US_ASCII),
                    crypto.createSecret(key), prf(psk.hash()));
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    static String suiteName(int suite) {
        return switch (suite) {
            case CipherSuite.TLS_AES_128_GCM_SHA256 -> "TLS_AES_128_GCM_SHA256";
            case CipherSuite.TLS_AES_256_GCM_SHA384 -> "TLS_AES_256_GCM_SHA384";
            default -> String.format("0x%04x", suite);
        };
    }
}
