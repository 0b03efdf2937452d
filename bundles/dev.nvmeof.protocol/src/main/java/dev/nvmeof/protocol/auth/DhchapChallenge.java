package dev.nvmeof.protocol.auth;

import java.nio.ByteBuffer;

/**
 * DH-HMAC-CHAP_Challenge, controller to host (NVMe Base 2.0, "DH-HMAC-CHAP_Challenge message"; Linux
 * {@code nvmf_auth_dhchap_challenge_data}): the chosen hash and group, the sequence number S1, the challenge C1 and
 * the controller's DH value.
 *
 * <pre>
 *  byte 0-5 header (AUTH_Type 01h, AUTH_Id 01h)   6 HL   7 rsvd   8 HASHID   9 DHGID   10-11 DHVLEN
 *  12-15 SEQNUM (S1)   16 C1 (HL bytes)   16+HL DH value (DHVLEN bytes)
 * </pre>
 */
public record DhchapChallenge(int transactionId, DhchapHash hash, DhGroup group, long sequenceNumber,
        byte[] challenge, byte[] dhValue) implements DhchapMessage {

    public static final int HL_OFFSET = 6;
    public static final int HASHID_OFFSET = 8;
    public static final int DHGID_OFFSET = 9;
    public static final int DHVLEN_OFFSET = 10;
    public static final int SEQNUM_OFFSET = 12;
    public static final int CVAL_OFFSET = 16;

    public DhchapChallenge {
        challenge = challenge.clone();
        dhValue = dhValue.clone();
        if (challenge.length != hash.length() || dhValue.length != group.valueLength()) {
            throw new IllegalArgumentException("a " + hash + " challenge has " + hash.length() + " bytes and a "
                    + group + " value " + group.valueLength());
        }
    }

    @Override
    public byte[] challenge() {
        return challenge.clone();
    }

    @Override
    public byte[] dhValue() {
        return dhValue.clone();
    }

    @Override
    public byte[] encode() {
        ByteBuffer buffer = MessageBytes.start(CVAL_OFFSET + challenge.length + dhValue.length, AUTH_TYPE_DHCHAP,
                AUTH_ID_CHALLENGE, transactionId);
        buffer.put(HL_OFFSET, (byte) challenge.length);
        buffer.put(HASHID_OFFSET, (byte) hash.code());
        buffer.put(DHGID_OFFSET, (byte) group.code());
        buffer.putShort(DHVLEN_OFFSET, (short) dhValue.length);
        buffer.putInt(SEQNUM_OFFSET, (int) sequenceNumber);
        buffer.put(CVAL_OFFSET, challenge);
        buffer.put(CVAL_OFFSET + challenge.length, dhValue);
        return buffer.array();
    }

    static DhchapChallenge decode(ByteBuffer buffer) throws DhchapException {
        MessageBytes.requireLength(buffer, CVAL_OFFSET, "DH-HMAC-CHAP_Challenge");
        int hashId = MessageBytes.u8(buffer, HASHID_OFFSET);
        DhchapHash hash = DhchapHash.of(hashId).orElseThrow(() -> new DhchapException(
                DhchapFailureReason.HASH_FUNCTION_NOT_USABLE,
                String.format("DH-HMAC-CHAP_Challenge has HASHID %02Xh, not a defined hash (01h..03h)", hashId)));
        int hl = MessageBytes.u8(buffer, HL_OFFSET);
        if (hl != hash.length()) {
            throw DhchapException.payload("DH-HMAC-CHAP_Challenge has HL " + hl + " for " + hash + ", which needs "
                    + hash.length());
        }
        int groupId = MessageBytes.u8(buffer, DHGID_OFFSET);
        DhGroup group = DhGroup.of(groupId).orElseThrow(() -> new DhchapException(
                DhchapFailureReason.DH_GROUP_NOT_USABLE,
                String.format("DH-HMAC-CHAP_Challenge has DHGID %02Xh, not a defined group (00h..05h)", groupId)));
        int dhvlen = MessageBytes.u16(buffer, DHVLEN_OFFSET);
        if (dhvlen != group.valueLength()) {
            throw DhchapException.payload("DH-HMAC-CHAP_Challenge has DHVLEN " + dhvlen + " for group " + group
                    + ", which needs " + group.valueLength());
        }
        MessageBytes.requireLength(buffer, CVAL_OFFSET + hl + dhvlen, "DH-HMAC-CHAP_Challenge with HL " + hl
                + " and DHVLEN " + dhvlen);
        return new DhchapChallenge(MessageBytes.transactionId(buffer), hash, group,
                MessageBytes.u32(buffer, SEQNUM_OFFSET), MessageBytes.bytes(buffer, CVAL_OFFSET, hl),
                MessageBytes.bytes(buffer, CVAL_OFFSET + hl, dhvlen));
    }

    @Override
    public String messageName() {
        return "DH-HMAC-CHAP_Challenge";
    }

    @Override
    public String toString() {
        return "DhchapChallenge[transactionId=" + transactionId + ", hash=" + hash + ", group=" + group
                + ", sequenceNumber=" + sequenceNumber + "]";
    }
}
