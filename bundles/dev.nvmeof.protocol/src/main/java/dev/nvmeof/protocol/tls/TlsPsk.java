package dev.nvmeof.protocol.tls;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.zip.CRC32;
import javax.security.auth.Destroyable;

/**
 * A configured TLS PSK in the PSK interchange format (NVMe TCP Transport, section 3.6.1.5), as {@code nvme
 * gen-tls-key} prints it and libnvme's {@code nvme_import_tls_key} reads it:
 *
 * <pre>
 *  NVMeTLSkey-1:hh:base64( key (32 or 48 bytes) || CRC-32 of key, little-endian (4 bytes) ):
 *               hh = 00 the key is used as the retained PSK as is,
 *                    01 / 02 the retained PSK is derived from it with SHA-256 / SHA-384 (32- / 48-byte key)
 * </pre>
 *
 * {@link #toString()} shows the hash id and the length, never the key; {@link #close()} and {@link #destroy()}
 * overwrite the key bytes with zeros, after which every use of the key throws {@link IllegalStateException}.
 */
public final class TlsPsk implements AutoCloseable, Destroyable {

    public static final String PREFIX = "NVMeTLSkey-1:";
    public static final int CRC_LENGTH = 4;

    private static final int HASH_ID_DIGITS = 2;

    private final byte[] key;
    private final int hashId;
    private volatile boolean destroyed;

    private TlsPsk(byte[] key, int hashId) {
        this.key = key;
        this.hashId = hashId;
    }

    /**
     * Reads {@code NVMeTLSkey-1:hh:<base64>:}; the final colon may be left out.
     *
     * @throws TlsPskFormatException naming what is wrong (prefix, hash id, base64, length or CRC), never the text
     */
    public static TlsPsk parse(String text) throws TlsPskFormatException {
        if (text == null || !text.startsWith(PREFIX)) {
            throw new TlsPskFormatException("a TLS PSK must start with '" + PREFIX + "'");
        }
        int idEnd = PREFIX.length() + HASH_ID_DIGITS;
        if (text.length() <= idEnd || text.charAt(idEnd) != ':') {
            throw new TlsPskFormatException("a TLS PSK must have a two-digit hash id after '" + PREFIX + "', then ':'");
        }
        int hashId = hashId(text.substring(PREFIX.length(), idEnd));
        String encoded = text.endsWith(":") ? text.substring(idEnd + 1, text.length() - 1) : text.substring(idEnd + 1);
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            // The JDK's message quotes the offending character: not repeated here.
            throw new TlsPskFormatException("the key of a TLS PSK is not valid base64");
        }
        try {
            int keyLength = decoded.length - CRC_LENGTH;
            Optional<TlsPskHash> lengthHash = TlsPskHash.ofKeyLength(keyLength);
            if (lengthHash.isEmpty()) {
                throw new TlsPskFormatException("the key of a TLS PSK decodes to " + decoded.length
                        + " bytes; expected 36 or 52 (a key of 32 or 48 bytes and its 4-byte CRC-32)");
            }
            if (hashId != 0 && lengthHash.get().code() != hashId) {
                throw new TlsPskFormatException("a TLS PSK of hash id " + String.format("%02d", hashId) + " has "
                        + TlsPskHash.of(hashId).orElseThrow().length() + " bytes, not " + keyLength);
            }
            long storedCrc = (decoded[keyLength] & 0xFFL) | (decoded[keyLength + 1] & 0xFFL) << 8
                    | (decoded[keyLength + 2] & 0xFFL) << 16 | (decoded[keyLength + 3] & 0xFFL) << 24;
            if (storedCrc != crc32(decoded, keyLength)) {
                throw new TlsPskFormatException(
                        "the CRC-32 of a TLS PSK does not match its key: the key is corrupted or mistyped");
            }
            return new TlsPsk(Arrays.copyOf(decoded, keyLength), hashId);
        } finally {
            Arrays.fill(decoded, (byte) 0);
        }
    }

    /**
     * A PSK over a copy of {@code key}.
     *
     * @param retainedHash the hash that derives the retained PSK (hash id 01 or 02); empty for 00, use as is
     */
    public static TlsPsk of(byte[] key, Optional<TlsPskHash> retainedHash) {
        checkLength(key.length, retainedHash);
        return new TlsPsk(key.clone(), retainedHash.map(TlsPskHash::code).orElse(0));
    }

    /** A new random PSK of the hash's length, as {@code nvme gen-tls-key --hmac=N} makes one. */
    public static TlsPsk generate(TlsPskHash hash, SecureRandom random) {
        byte[] key = new byte[hash.length()];
        random.nextBytes(key);
        return new TlsPsk(key, hash.code());
    }

    /** The hash that derives the retained PSK from this one; empty for hash id 00 (this key is the retained PSK). */
    public Optional<TlsPskHash> retainedHash() {
        return TlsPskHash.of(hashId);
    }

    /**
     * The hash of the TLS PSK and the cipher suite: the retained hash, or for hash id 00 the hash of the key's
     * length, as libnvme chooses it.
     */
    public TlsPskHash hash() {
        return retainedHash().or(() -> TlsPskHash.ofKeyLength(key.length)).orElseThrow();
    }

    public int keyLength() {
        return key.length;
    }

    /** The CRC-32 of the key, as the interchange format carries it and {@code nvme check-tls-key} prints it. */
    public long crc32() {
        checkNotDestroyed();
        return crc32(key, key.length);
    }

    /** A copy of the key; the caller owns it and should zero it when done. */
    public byte[] keyBytes() {
        checkNotDestroyed();
        return key.clone();
    }

    /**
     * The interchange format. It contains the key: for storing it where secrets belong or showing it to the user who
     * asked for a new one, never for a log.
     */
    public String format() {
        checkNotDestroyed();
        byte[] withCrc = Arrays.copyOf(key, key.length + CRC_LENGTH);
        long crc = crc32(key, key.length);
        for (int i = 0; i < CRC_LENGTH; i++) {
            withCrc[key.length + i] = (byte) (crc >>> 8 * i);
        }
        try {
            return PREFIX + String.format("%02d", hashId) + ":" + Base64.getEncoder().encodeToString(withCrc) + ":";
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
        return "TlsPsk[hash id=" + String.format("%02d", hashId) + ", length=" + key.length
                + (destroyed ? ", destroyed" : "") + "]";
    }

    /** The key array itself, for tests that check it is zeroed. */
    byte[] keyArray() {
        return key;
    }

    private void checkNotDestroyed() {
        if (destroyed) {
            throw new IllegalStateException("this TLS PSK has been destroyed");
        }
    }

    private static void checkLength(int length, Optional<TlsPskHash> retainedHash) {
        boolean fits = retainedHash.map(h -> h.length() == length)
                .orElse(TlsPskHash.ofKeyLength(length).isPresent());
        if (!fits) {
            String name = retainedHash.map(TlsPskHash::toString).orElse("hash id 00");
            throw new IllegalArgumentException("a TLS PSK of " + name
                    + " cannot have " + length + " bytes");
        }
    }

    private static int hashId(String digits) throws TlsPskFormatException {
        if (digits.length() == HASH_ID_DIGITS && digits.charAt(0) == '0'
                && digits.charAt(1) >= '0' && digits.charAt(1) <= '2') {
            return digits.charAt(1) - '0';
        }
        throw new TlsPskFormatException("the hash id of a TLS PSK must be 00 (none), 01 (SHA-256) or 02 (SHA-384)");
    }

    private static long crc32(byte[] bytes, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, length);
        return crc.getValue();
    }
}
