package dev.nvmeof.protocol.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The DH-HMAC-CHAP computations (NVMe Base 2.0, section 8.13.5.2 "DH-HMAC-CHAP protocol operation"), with the
 * negotiated hash H, the transformed keys Kh and Kc (see {@link DhchapSecret#transform}), sequence numbers as
 * little-endian 32 bits and the transaction ID T as little-endian 16 bits:
 *
 * <pre>
 *  host response       R1 = HMAC(Kh, Ca || S1 || T || 00h || "HostHost"   || NQNh || 00h || NQNc)
 *  controller response R2 = HMAC(Kc, Cb || S2 || T || 00h || "Controller" || NQNc || 00h || NQNh)
 *  augmented challenge Ca = HMAC(H(g^xy mod p), C1), Cb likewise from C2; without DH, Ca = C1 and Cb = C2
 * </pre>
 *
 * The order and encodings are those of Linux's {@code nvme_auth_dhchap_setup_host_response},
 * {@code nvme_auth_dhchap_setup_ctrl_response} and {@code nvme_auth_augmented_challenge}. NQNs are hashed without a
 * terminating NUL.
 */
public final class DhchapResponse {

    private static final byte[] HOST_LABEL = "HostHost".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTROLLER_LABEL = "Controller".getBytes(StandardCharsets.US_ASCII);

    private DhchapResponse() {
    }

    /** R1, what the host sends in DH-HMAC-CHAP_Reply and the controller verifies. */
    public static byte[] host(DhchapHash hash, byte[] hostKey, byte[] challenge, long sequenceNumber,
            int transactionId, String hostNqn, String subsystemNqn) {
        return compute(hash, hostKey, challenge, sequenceNumber, transactionId, HOST_LABEL, hostNqn, subsystemNqn);
    }

    /** R2, what the controller sends in DH-HMAC-CHAP_Success1 and the host verifies. */
    public static byte[] controller(DhchapHash hash, byte[] controllerKey, byte[] challenge, long sequenceNumber,
            int transactionId, String hostNqn, String subsystemNqn) {
        return compute(hash, controllerKey, challenge, sequenceNumber, transactionId, CONTROLLER_LABEL, subsystemNqn,
                hostNqn);
    }

    /** {@code HMAC(H(sharedSecret), challenge)}: the challenge bound to the DH exchange. */
    public static byte[] augmentChallenge(DhchapHash hash, byte[] sharedSecret, byte[] challenge) {
        byte[] hashedSecret = null;
        try {
            hashedSecret = MessageDigest.getInstance(hash.digestAlgorithm()).digest(sharedSecret);
            Mac mac = mac(hash, hashedSecret);
            return mac.doFinal(challenge);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks " + hash.digestAlgorithm(), e);
        } finally {
            if (hashedSecret != null) {
                Arrays.fill(hashedSecret, (byte) 0);
            }
        }
    }

    /** Constant-time comparison of an expected and a received response. */
    public static boolean matches(byte[] expected, byte[] received) {
        return MessageDigest.isEqual(expected, received);
    }

    private static byte[] compute(DhchapHash hash, byte[] key, byte[] challenge, long sequenceNumber,
            int transactionId, byte[] label, String firstNqn, String secondNqn) {
        try {
            Mac mac = mac(hash, key);
            mac.update(challenge);
            mac.update(new byte[] {(byte) sequenceNumber, (byte) (sequenceNumber >>> 8),
                (byte) (sequenceNumber >>> 16), (byte) (sequenceNumber >>> 24)});
            mac.update(new byte[] {(byte) transactionId, (byte) (transactionId >>> 8)});
            mac.update((byte) 0);
            mac.update(label);
            mac.update(firstNqn.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            mac.update(secondNqn.getBytes(StandardCharsets.UTF_8));
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks " + hash.macAlgorithm(), e);
        }
    }

    private static Mac mac(DhchapHash hash, byte[] key) throws GeneralSecurityException {
        Mac mac = Mac.getInstance(hash.macAlgorithm());
        mac.init(new SecretKeySpec(key, hash.macAlgorithm()));
        return mac;
    }
}
