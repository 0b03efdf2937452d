package dev.nvmeof.interop;

import java.util.ArrayList;
import java.util.List;

/**
 * Walks one direction of a TCP stream as TLS records (RFC 8446 section 5.1), independent of Wireshark: every byte
 * must belong to a record, so a plaintext NVMe/TCP PDU anywhere breaks the walk.
 *
 * <pre>
 *  0          1                3                5
 *  +----------+----------------+----------------+------------------------+
 *  | type u8  | version u16 BE | length u16 BE  |  fragment (length)     |
 *  +----------+----------------+----------------+------------------------+
 * </pre>
 * Types: 20 ChangeCipherSpec, 21 alert, 22 handshake, 23 application data; version 0x0301..0x0303 (TLS 1.3 writes
 * 0x0303, a ClientHello may say 0x0301); a TLSCiphertext is at most 2^14 + 256 bytes.
 */
final class TlsRecords {
    static final int HEADER_LENGTH = 5;
    static final int MAX_FRAGMENT = (1 << 14) + 256;
    static final int CHANGE_CIPHER_SPEC = 20;
    static final int ALERT = 21;
    static final int HANDSHAKE = 22;
    static final int APPLICATION_DATA = 23;

    private TlsRecords() {
    }

    /**
     * The content type of each record, in order.
     *
     * @throws IllegalArgumentException naming the offset where the bytes stop being TLS records
     */
    static List<Integer> contentTypes(byte[] stream) {
        List<Integer> types = new ArrayList<>();
        int at = 0;
        while (at < stream.length) {
            if (stream.length - at < HEADER_LENGTH) {
                throw new IllegalArgumentException("a record header cut off at offset " + at);
            }
            int type = stream[at] & 0xff;
            int version = (stream[at + 1] & 0xff) << 8 | stream[at + 2] & 0xff;
            int length = (stream[at + 3] & 0xff) << 8 | stream[at + 4] & 0xff;
            if (type < CHANGE_CIPHER_SPEC || type > APPLICATION_DATA) {
                throw new IllegalArgumentException(String.format("no TLS record at offset %d: type 0x%02x", at, type));
            }
            if (version < 0x0301 || version > 0x0303) {
                throw new IllegalArgumentException(String.format("no TLS record at offset %d: version 0x%04x", at,
                        version));
            }
            if (length == 0 || length > MAX_FRAGMENT) {
                throw new IllegalArgumentException("no TLS record at offset " + at + ": length " + length);
            }
            if (stream.length - at - HEADER_LENGTH < length) {
                throw new IllegalArgumentException("a record of " + length + " bytes cut off at offset " + at);
            }
            types.add(type);
            at += HEADER_LENGTH + length;
        }
        return types;
    }
}
