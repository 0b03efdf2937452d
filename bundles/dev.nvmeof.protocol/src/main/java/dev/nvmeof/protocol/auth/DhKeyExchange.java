package dev.nvmeof.protocol.auth;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.KeyAgreement;
import javax.crypto.interfaces.DHPublicKey;
import javax.crypto.spec.DHParameterSpec;
import javax.crypto.spec.DHPrivateKeySpec;
import javax.crypto.spec.DHPublicKeySpec;

/**
 * One side's ephemeral Diffie-Hellman exchange in an ffdhe group, on the JDK's "DH" {@code KeyPairGenerator},
 * {@code KeyFactory} and {@code KeyAgreement}: this side's DH value {@code g^x mod p} to send, and the shared secret
 * {@code g^xy mod p} from the peer's value. Both are fixed-length big-endian byte strings of
 * {@link DhGroup#valueLength()} bytes, as Linux puts them on the wire and hashes them.
 */
public final class DhKeyExchange {

    private static final String ALGORITHM = "DH";

    private final DhGroup group;
    private final KeyPair keyPair;

    private DhKeyExchange(DhGroup group, KeyPair keyPair) {
        this.group = group;
        this.keyPair = keyPair;
    }

    /** A fresh key pair in {@code group}, which must have an exchange. */
    public static DhKeyExchange generate(DhGroup group, SecureRandom random) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(ALGORITHM);
            generator.initialize(group.parameters(), random);
            return new DhKeyExchange(group, generator.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot generate a " + group + " key pair", e);
        }
    }

    /** A key pair with a given private exponent: for test vectors only. */
    static DhKeyExchange withPrivateExponent(DhGroup group, BigInteger x) {
        try {
            DHParameterSpec params = group.parameters();
            KeyFactory factory = KeyFactory.getInstance(ALGORITHM);
            PrivateKey privateKey = factory.generatePrivate(new DHPrivateKeySpec(x, params.getP(), params.getG()));
            BigInteger y = params.getG().modPow(x, params.getP());
            PublicKey publicKey = factory.generatePublic(new DHPublicKeySpec(y, params.getP(), params.getG()));
            return new DhKeyExchange(group, new KeyPair(publicKey, privateKey));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot build a " + group + " key pair", e);
        }
    }

    public DhGroup group() {
        return group;
    }

    /** This side's DH value, {@link DhGroup#valueLength()} bytes, big-endian. */
    public byte[] publicValue() {
        return fixedLength(((DHPublicKey) keyPair.getPublic()).getY(), group.valueLength());
    }

    /**
     * The shared secret {@code peer^x mod p}, {@link DhGroup#valueLength()} bytes, big-endian. The caller owns the
     * array and should zero it when done.
     *
     * @throws DhchapException {@link DhchapFailureReason#INCORRECT_PAYLOAD} if the peer's value has the wrong length,
     *         {@link DhchapFailureReason#DH_GROUP_NOT_USABLE} if it is not in 2..p-2 (which would make the secret
     *         guessable) or the JDK refuses it
     */
    public byte[] sharedSecret(byte[] peerValue) throws DhchapException {
        if (peerValue.length != group.valueLength()) {
            throw DhchapException.payload("a " + group + " DH value has " + group.valueLength() + " bytes, not "
                    + peerValue.length);
        }
        BigInteger y = new BigInteger(1, peerValue);
        BigInteger p = group.prime();
        if (y.compareTo(BigInteger.TWO) < 0 || y.compareTo(p.subtract(BigInteger.TWO)) > 0) {
            throw new DhchapException(DhchapFailureReason.DH_GROUP_NOT_USABLE,
                    "the peer's " + group + " DH value is outside 2..p-2");
        }
        byte[] secret = null;
        try {
            PublicKey peer = KeyFactory.getInstance(ALGORITHM).generatePublic(new DHPublicKeySpec(y, p,
                    DhGroup.GENERATOR));
            KeyAgreement agreement = KeyAgreement.getInstance(ALGORITHM);
            agreement.init(keyPair.getPrivate());
            agreement.doPhase(peer, true);
            secret = agreement.generateSecret();
            // The JDK pads to the prime's length already; a shorter result is padded here, not trusted.
            return secret.length == group.valueLength() ? secret
                    : fixedLength(new BigInteger(1, secret), group.valueLength());
        } catch (GeneralSecurityException e) {
            throw new DhchapException(DhchapFailureReason.DH_GROUP_NOT_USABLE,
                    "the JDK refused the peer's " + group + " DH value (" + e.getClass().getSimpleName() + ")");
        } finally {
            if (secret != null && secret.length != group.valueLength()) {
                Arrays.fill(secret, (byte) 0);
            }
        }
    }

    static byte[] fixedLength(BigInteger value, int length) {
        byte[] raw = value.toByteArray();
        if (raw.length == length) {
            return raw;
        }
        byte[] out = new byte[length];
        int copy = Math.min(raw.length, length);
        // toByteArray may carry one leading sign byte; drop it, or left-pad with zeros.
        System.arraycopy(raw, raw.length - copy, out, length - copy, copy);
        Arrays.fill(raw, (byte) 0);
        return out;
    }

    @Override
    public String toString() {
        return "DhKeyExchange[" + group + "]";
    }
}
