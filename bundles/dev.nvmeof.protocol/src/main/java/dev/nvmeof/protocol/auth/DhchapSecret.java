package dev.nvmeof.protocol.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.security.auth.Destroyable;

/**
 * A DH-HMAC-CHAP secret (NVMe Base 2.0, section 8.13.5.8 "DH-HMAC-CHAP secret representation"), as {@code nvme
 * gen-dhchap-key} prints it and Linux's {@code nvme_auth_extract_key} reads it:
 *
 * <pre>
 *  DHHC-1:hh:base64( key (32, 48 or 64 bytes) || CRC-32 of key, little-endian (4 bytes) ):
 *         hh = 00 key used as is, 01 / 02 / 03 transformed with HMAC-SHA-256 / -384 / -512
 * </pre>
 *
 * The transformed key (section 8.13.5.7) is {@code HMAC(key, NQN || "NVMe-over-Fabrics")} with the hash {@code hh}
 * names, or the key itself for {@code 00}; the host's key is transformed with the host NQN, the controller's with the
 * subsystem NQN (Linux {@code nvme_auth_transform_key}).
 *
 * <p>{@link #toString()} shows the transformation and the length, never the key; {@link #close()} and
 * {@link #destroy()} overwrite the key bytes with zeros, after which every use of the key throws
 * {@link IllegalStateException}. Thread-safe for reading; destroy it once nothing uses it.
 */
public final class DhchapSecret implements AutoCloseable, Destroyable {

    public static final String PREFIX = "DHHC-1:";
    public static final int CRC_LENGTH = 4;
    /** The key lengths the representation allows, whatever the transformation. */
    public static final int[] KEY_LENGTHS = {32, 48, 64};

    private static final byte[] TRANSFORM_SUFFIX = "NVMe-over-Fabrics".getBytes(StandardCharsets.US_ASCII);
    private static final int HASH_ID_DIGITS = 2;

    private final byte[] key;
    private final int transformId;
    private volatile boolean destroyed;

    private DhchapSecret(byte[] key, int transformId) {
        this.key = key;
        this.transformId = transformId;
    }

    /**
     * Reads the {@code DHHC-1:hh:<base64>:} representation; the final colon may be left out, as Linux allows.
     *
     * @throws DhchapSecretFormatException naming what is wrong (prefix, hash id, base64, length or CRC), never the text
     */
    public static DhchapSecret parse(String text) throws DhchapSecretFormatException {
        if (text == null || !text.startsWith(PREFIX)) {
            throw new DhchapSecretFormatException("a DH-HMAC-CHAP secret must start with '" + PREFIX + "'");
        }
        int idEnd = PREFIX.length() + HASH_ID_DIGITS;
        if (text.length() <= idEnd || text.charAt(idEnd) != ':') {
            throw new DhchapSecretFormatException(
                    "a DH-HMAC-CHAP secret must have a two-digit hash id after '" + PREFIX + "', then ':'");
        }
        int transformId = transformId(text.substring(PREFIX.length(), idEnd));
        String encoded = text.endsWith(":") ? text.substring(idEnd + 1, text.length() - 1) : text.substring(idEnd + 1);
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            // The JDK's message quotes the offending character: not repeated here.
            throw new DhchapSecretFormatException("the key of a DH-HMAC-CHAP secret is not valid base64");
        }
        try {
            int keyLength = decoded.length - CRC_LENGTH;
            if (!isKeyLength(keyLength)) {
                throw new DhchapSecretFormatException("the key of a DH-HMAC-CHAP secret decodes to " + decoded.length
                        + " bytes; expected 36, 52 or 68 (a key of 32, 48 or 64 bytes and its 4-byte CRC-32)");
            }
            long expectedCrc = crc32(decoded, keyLength);
            long storedCrc = (decoded[keyLength] & 0xFFL) | (decoded[keyLength + 1] & 0xFFL) << 8
                    | (decoded[keyLength + 2] & 0xFFL) << 16 | (decoded[keyLength + 3] & 0xFFL) << 24;
            if (storedCrc != expectedCrc) {
                throw new DhchapSecretFormatException(
                        "the CRC-32 of a DH-HMAC-CHAP secret does not match its key: the secret is corrupted or"
                                + " mistyped");
            }
            return new DhchapSecret(Arrays.copyOf(decoded, keyLength), transformId);
        } finally {
            Arrays.fill(decoded, (byte) 0);
        }
    }

    /** A secret over a copy of {@code key}. */
    public static DhchapSecret of(byte[] key, Optional<DhchapHash> transform) {
        if (!isKeyLength(key.length)) {
            throw new IllegalArgumentException("a DH-HMAC-CHAP key has 32, 48 or 64 bytes, not " + key.length);
        }
        return new DhchapSecret(key.clone(), transform.map(DhchapHash::code).orElse(0));
    }

    /**
     * A new random secret, as {@code nvme gen-dhchap-key} makes one (without its transformation of the printed key).
     *
     * @param keyLength 32, 48 or 64
     */
    public static DhchapSecret generate(Optional<DhchapHash> transform, int keyLength, SecureRandom random) {
        if (!isKeyLength(keyLength)) {
            throw new IllegalArgumentException("a DH-HMAC-CHAP key has 32, 48 or 64 bytes, not " + keyLength);
        }
        byte[] key = new byte[keyLength];
        random.nextBytes(key);
        return new DhchapSecret(key, transform.map(DhchapHash::code).orElse(0));
    }

    /** The hash this secret is transformed with, empty for hash id 00 (used as is). */
    public Optional<DhchapHash> transformHash() {
        return DhchapHash.of(transformId);
    }

    public int keyLength() {
        return key.length;
    }

    /** The CRC-32 of the key, as its representation carries it and {@code nvme check-dhchap-key} prints it. */
    public long crc32() {
        checkNotDestroyed();
        return crc32(key, key.length);
    }

    /**
     * The transformed key for {@code nqn} (section 8.13.5.7): {@code HMAC(key, nqn || "NVMe-over-Fabrics")}, or a copy
     * of the key for hash id 00. The caller owns the array and should zero it when done.
     */
    public byte[] transform(String nqn) {
        checkNotDestroyed();
        Optional<DhchapHash> hash = transformHash();
        if (hash.isEmpty()) {
            return key.clone();
        }
        try {
            Mac mac = Mac.getInstance(hash.get().macAlgorithm());
            mac.init(new SecretKeySpec(key, hash.get().macAlgorithm()));
            mac.update(nqn.getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(TRANSFORM_SUFFIX);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks " + hash.get().macAlgorithm(), e);
        }
    }

    /**
     * The {@code DHHC-1} representation. It contains the key: for storing it where secrets belong or showing it to
     * the user who asked for a new one, never for a log.
     */
    public String format() {
        checkNotDestroyed();
        byte[] withCrc = Arrays.copyOf(key, key.length + CRC_LENGTH);
        long crc = crc32(key, key.length);
        for (int i = 0; i < CRC_LENGTH; i++) {
            withCrc[key.length + i] = (byte) (crc >>> 8 * i);
        }
        try {
            return PREFIX + String.format("%02x", transformId) + ":" + Base64.getEncoder().encodeToString(withCrc)
                    + ":";
        } finally {
            Arrays.fill(withCrc, (byte) 0);
        }
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

    /** Same as {@link #destroy()}. */
    @Override
    public void close() {
        destroy();
    }

    @Override
    public String toString() {
        return "DhchapSecret[transform=" + transformHash().map(DhchapHash::toString).orElse("none") + ", length="
                + key.length + (destroyed ? ", destroyed" : "") + "]";
    }

    /** The key array itself, for tests that check it is zeroed. */
    byte[] keyBytes() {
        return key;
    }

    private void checkNotDestroyed() {
        if (destroyed) {
            throw new IllegalStateException("this DH-HMAC-CHAP secret has been destroyed");
        }
    }

    private static int transformId(String digits) throws DhchapSecretFormatException {
        if (digits.length() == HASH_ID_DIGITS && digits.charAt(0) == '0'
                && digits.charAt(1) >= '0' && digits.charAt(1) <= '3') {
            return digits.charAt(1) - '0';
        }
        throw new DhchapSecretFormatException("the hash id of a DH-HMAC-CHAP secret must be 00 (none), 01 (SHA-256),"
                + " 02 (SHA-384) or 03 (SHA-512)");
    }

    private static boolean isKeyLength(int length) {
        return length == 32 || length == 48 || length == 64;
    }

    private static long crc32(byte[] bytes, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, length);
        return crc.getValue();
    }
}
