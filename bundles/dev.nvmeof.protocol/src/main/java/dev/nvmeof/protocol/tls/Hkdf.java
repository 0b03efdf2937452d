package dev.nvmeof.protocol.tls;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HKDF (RFC 5869) and HKDF-Expand-Label (RFC 8446, section 7.1) on the JDK's HMAC. */
final class Hkdf {

    private static final byte[] LABEL_PREFIX = "tls13 ".getBytes(StandardCharsets.US_ASCII);
    /** Both the label and the context of RFC 8446 carry a one-byte length. */
    private static final int MAX_VECTOR_LENGTH = 255;

    private Hkdf() {
    }

    /** HKDF-Extract(salt, ikm); an empty salt stands for HashLen zero bytes (RFC 5869, section 2.2). */
    static byte[] extract(TlsPskHash hash, byte[] salt, byte[] ikm) {
        byte[] effectiveSalt = salt.length == 0 ? new byte[hash.length()] : salt;
        Mac mac = mac(hash, effectiveSalt);
        return mac.doFinal(ikm);
    }

    /** HKDF-Expand(prk, info, length). */
    static byte[] expand(TlsPskHash hash, byte[] prk, byte[] info, int length) {
        if (length > 255 * hash.length()) {
            throw new IllegalArgumentException("HKDF-Expand gives at most 255 blocks");
        }
        Mac mac = mac(hash, prk);
        byte[] out = new byte[length];
        byte[] block = new byte[0];
        for (int offset = 0, counter = 1; offset < length; offset += block.length, counter++) {
            mac.update(block);
            mac.update(info);
            mac.update((byte) counter);
            Arrays.fill(block, (byte) 0);
            block = mac.doFinal();
            System.arraycopy(block, 0, out, offset, Math.min(block.length, length - offset));
        }
        Arrays.fill(block, (byte) 0);
        return out;
    }

    /** HKDF-Expand-Label(prk, label, context, length) with the {@code info} encoded as {@code encoding} says. */
    static byte[] expandLabel(TlsPskHash hash, byte[] prk, String label, byte[] context, int length,
            HkdfLabelEncoding encoding) {
        return expand(hash, prk, labelInfo(label, context, length, encoding), length);
    }

    /** The {@code HkdfLabel} structure; package-visible so tests can check its bytes. */
    static byte[] labelInfo(String label, byte[] context, int length, HkdfLabelEncoding encoding) {
        byte[] labelBytes = label.getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream info = new ByteArrayOutputStream();
        if (encoding == HkdfLabelEncoding.RFC_8446) {
            if (LABEL_PREFIX.length + labelBytes.length > MAX_VECTOR_LENGTH || context.length > MAX_VECTOR_LENGTH) {
                throw new IllegalArgumentException("an HKDF label or context is longer than 255 bytes");
            }
            info.write(length >>> 8);
            info.write(length);
            info.write(LABEL_PREFIX.length + labelBytes.length);
            info.writeBytes(LABEL_PREFIX);
            info.writeBytes(labelBytes);
            info.write(context.length);
            info.writeBytes(context);
        } else {
            info.write(length);
            info.write(length >>> 8);
            info.writeBytes(LABEL_PREFIX);
            info.writeBytes(labelBytes);
            info.writeBytes(context);
        }
        return info.toByteArray();
    }

    /** HMAC(key, data) with {@code hash}. */
    static byte[] hmac(TlsPskHash hash, byte[] key, byte[] data) {
        return mac(hash, key).doFinal(data);
    }

    private static Mac mac(TlsPskHash hash, byte[] key) {
        try {
            Mac mac = Mac.getInstance(hash.macAlgorithm());
            mac.init(new SecretKeySpec(key, hash.macAlgorithm()));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks " + hash.macAlgorithm(), e);
        }
    }
}
