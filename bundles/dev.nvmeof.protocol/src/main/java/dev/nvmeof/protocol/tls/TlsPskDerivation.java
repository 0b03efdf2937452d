package dev.nvmeof.protocol.tls;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * From a configured PSK to the TLS PSK (NVMe TCP Transport, sections 3.6.1.2 to 3.6.1.4), step by step as libnvme's
 * {@code derive_nvme_keys} computes it:
 *
 * <pre>
 *  retained PSK = HKDF-Expand-Label(HKDF-Extract(0, configured PSK), "HostNQN", hostnqn, key length)
 *                 with the configured PSK's hash (01 / 02); for hash id 00 the configured PSK itself
 *  PSK digest   = base64(HMAC(retained PSK, hostnqn " " subsysnqn " NVMe-over-Fabrics"))      (identity version 1)
 *  TLS PSK      = HKDF-Expand-Label(HKDF-Extract(0, retained PSK), "nvme-tls-psk", context, key length)
 *                 context = the whole identity (version 0) or "hh " + PSK digest (version 1)
 * </pre>
 *
 * Both HKDF steps use the TLS PSK's hash; HKDF-Expand-Label prefixes "tls13 " to the label.
 */
public final class TlsPskDerivation {

    private static final byte[] NO_SALT = new byte[0];
    private static final String RETAINED_LABEL = "HostNQN";
    private static final String TLS_PSK_LABEL = "nvme-tls-psk";
    private static final String DIGEST_SUFFIX = " NVMe-over-Fabrics";

    private TlsPskDerivation() {
    }

    /** The retained PSK for {@code hostNqn}; the caller owns the array and should zero it when done. */
    public static byte[] retainedPsk(TlsPsk configured, String hostNqn, HkdfLabelEncoding encoding) {
        byte[] key = configured.keyBytes();
        if (configured.retainedHash().isEmpty()) {
            return key;
        }
        TlsPskHash hash = configured.retainedHash().get();
        byte[] prk = Hkdf.extract(hash, NO_SALT, key);
        try {
            return Hkdf.expandLabel(hash, prk, RETAINED_LABEL, ascii(hostNqn), key.length, encoding);
        } finally {
            Arrays.fill(prk, (byte) 0);
            Arrays.fill(key, (byte) 0);
        }
    }

    /** The base64 PSK digest of an identity of version 1. */
    public static String pskDigest(TlsPskHash hash, byte[] retainedPsk, String hostNqn, String subsystemNqn) {
        byte[] digest = Hkdf.hmac(hash, retainedPsk, ascii(hostNqn + " " + subsystemNqn + DIGEST_SUFFIX));
        return Base64.getEncoder().encodeToString(digest);
    }

    /**
     * The identity and the TLS PSK a host offers to {@code subsystemNqn}, and the target derives to accept it.
     *
     * @param identityVersion 0 ({@code NVMe0R..}) or 1 ({@code NVMe1R.. <digest>})
     */
    public static DerivedTlsPsk derive(TlsPsk configured, String hostNqn, String subsystemNqn, int identityVersion,
            HkdfLabelEncoding encoding) {
        if (identityVersion != 0 && identityVersion != 1) {
            throw new IllegalArgumentException("a PSK identity has version 0 or 1, not " + identityVersion);
        }
        TlsPskHash hash = configured.hash();
        byte[] retained = retainedPsk(configured, hostNqn, encoding);
        byte[] prk = Hkdf.extract(hash, NO_SALT, retained);
        try {
            PskIdentity identity;
            String context;
            if (identityVersion == 0) {
                identity = PskIdentity.version0(hash, hostNqn, subsystemNqn);
                context = identity.text();
            } else {
                String digest = pskDigest(hash, retained, hostNqn, subsystemNqn);
                identity = PskIdentity.version1(hash, hostNqn, subsystemNqn, digest);
                context = String.format("%02d %s", hash.code(), digest);
            }
            byte[] tlsPsk = Hkdf.expandLabel(hash, prk, TLS_PSK_LABEL, ascii(context), retained.length, encoding);
            return new DerivedTlsPsk(identity, tlsPsk);
        } finally {
            Arrays.fill(prk, (byte) 0);
            Arrays.fill(retained, (byte) 0);
        }
    }

    private static byte[] ascii(String text) {
        // NQNs are ASCII by the base specification; libnvme hashes their bytes as they are.
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
